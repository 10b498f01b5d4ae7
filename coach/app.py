"""The Textual app: wires the screens in `screens/` to the domain in `coach/`.

This is the one module of the `coach` package that imports Textual; `coach.__main__`
imports it only when the app is about to run. The app owns what outlives a screen: the
meeting in progress, its autosaved draft (kept by `coach.keeping`), and the data dir's lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Iterable
from pathlib import Path

import msgspec
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.markup import escape
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer

from coach import draft as drafts
from coach.clock import SystemClock
from coach.config import config_path, load_config, template_problems
from coach.keeping import AUTOSAVE_DELAY, MeetingKeeper
from coach.lock import AlreadyRunning, DataLock
from coach.meeting import Meeting, Stage
from coach.problems import ProblemsError
from coach.prompts import DEFAULT_TEMPLATE, Library, load_library, reload_library
from coach.store import normalize_name, write_atomic
from coach.summaries import SavedSummary
from coach.text import name_problem, one_line, visible, window_title


class CoachApp(MeetingKeeper, App[None]):
    """A meeting coach beside the video call."""

    TITLE = "coach"
    CSS_PATH = "../screens/app.tcss"
    BINDINGS = [
        Binding("f1", "help", "Help", id="app.help"),
        Binding("f2", "toggle_privacy", "Privacy", id="app.privacy"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(self, partner: str | None = None, template: str | None = None,
                 library: Library | None = None, clock=None, welcome: bool = False,
                 status_file: Path | None = None, autosave_delay: float = AUTOSAVE_DELAY) -> None:
        super().__init__()
        self.autosave_delay = autosave_delay
        self.welcome = welcome
        self.status_file = status_file
        self._status_written = ""
        self.partner_problem = name_problem(partner) if partner else None
        self.partner = normalize_name(partner) if partner and not self.partner_problem else None
        self.template_id = template
        self.library = library if library is not None else load_library()
        self.config, self.config_problems = load_config(themes=self.available_themes)
        self.config_problems += template_problems(self.config, config_path(), self.library.templates)
        if self.template_id is None and self.config.default_template in self.library.templates:
            self.default_template = self.config.default_template
        else:
            self.default_template = self.template_id or DEFAULT_TEMPLATE
        self.clock = clock or SystemClock()
        self._reload_checked = float("-inf")
        self.meeting: Meeting | None = None
        self.drafts = drafts.DraftKeeper()
        self.lock = DataLock()
        self.pending_draft: drafts.Draft | None = None
        self.read_only: AlreadyRunning | None = None  # another coach holds the data dir
        self._autosave: Timer | None = None
        self._autosave_failing = False
        self._terminal_title = ""

    # -- start ---------------------------------------------------------------------------
    def on_mount(self) -> None:
        try:
            self.lock.acquire()
        except AlreadyRunning as error:
            from screens.busy import BusyScreen

            self.read_only = error
            self.push_screen(BusyScreen(error))
            return
        except OSError as error:
            self.notify(f"Could not lock {self.lock.path}: {error.strerror or error}", severity="warning")
        if not self.is_headless:
            self._catch_signals()
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        self.theme_changed_signal.subscribe(self, self._theme_chosen)
        self.set_class(self.config.privacy, "-privacy")
        if self.partner_problem:
            self.notify(f"Not a name coach can keep: {self.partner_problem}. Type it again here.",
                        title="Partner", severity="error", timeout=12)
        for problem in self.config_problems:
            self.notify(str(problem), title="Settings", severity="warning", timeout=12)
        for problem in self.library.problems:
            title = "Prompt file" if problem.warning else "Skipped a prompt file"
            self.notify(str(problem), title=title, severity="warning", timeout=12)
        self.pending_draft = self._find_draft()
        if self.pending_draft is not None:
            self.offer_draft()
        else:
            self._first_screen()
        if self.welcome:
            from screens.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen())

    def _first_screen(self) -> None:
        if self.partner:
            self.open_prep(self.partner)
        else:
            self.open_picker()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Keys, the flow of a meeting, and tips", self.action_help)
        yield SystemCommand("History", "Past meetings: find, read and compare them", self.action_history)
        yield SystemCommand("Decks", "Browse, preview and edit decks and templates", self.action_decks)
        yield SystemCommand("Privacy curtain", "Hide notes, memory, ratings and commitments for screen sharing "
                            "(F2)", self.action_toggle_privacy)
        if self.pending_draft is not None and self.meeting is None:
            name = one_line(self.pending_draft.partner)
            with_whom = f" with {escape(name)}" if "\\" not in name else ""  # the palette reads markup
            yield SystemCommand("Resume meeting", f"Pick up the unfinished meeting{with_whom}", self.offer_draft)

    # -- navigation: each step of the flow replaces the screen before it ------------------
    def _show(self, screen: Screen) -> None:
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def open_picker(self) -> None:
        from screens.picker import PickerScreen

        self._show(PickerScreen())

    def open_prep(self, partner: str) -> None:
        from screens.prep import PrepScreen

        if self.read_only is not None:
            self.notify(f"Read-only here: {self.read_only}. Carry on in the other window.", severity="warning")
            return
        self._show(PrepScreen(partner, self.template_id, self.default_template))

    def configure(self, meeting: Meeting) -> Meeting:
        """Apply the settings that shape a meeting (the warning threshold)."""
        meeting.warn_fraction = self.config.warn_percent / 100
        meeting.warn_cap = self.config.warn_max_seconds
        return meeting

    def open_meeting(self, meeting: Meeting) -> None:
        from screens.meeting import MeetingScreen

        self.meeting = self.configure(meeting)
        self.meeting_changed()
        self._show(MeetingScreen(meeting))

    def open_wrap_up(self, meeting: Meeting) -> None:
        from screens.wrap_up import WrapUpScreen

        self.meeting = self.configure(meeting)
        self.meeting_changed()
        self._show(WrapUpScreen(meeting))

    def show_saved(self, saved: SavedSummary) -> None:
        from screens.saved import SavedScreen

        self._show(SavedScreen(saved))

    # -- privacy, theme, status ------------------------------------------------------------
    def action_toggle_privacy(self) -> None:
        """The privacy curtain: timer, phase and card stay; notes and memory are hidden."""
        on = not self.has_class("-privacy")
        self.set_class(on, "-privacy")
        for screen in self.screen_stack:
            if hasattr(screen, "privacy_changed"):
                screen.privacy_changed()
        self.notify("Privacy curtain on: safe to share your screen." if on else "Privacy curtain lifted.",
                    timeout=3)

    def _theme_chosen(self, theme) -> None:
        """Keep the theme picked in the palette for next time."""
        name = getattr(theme, "name", str(theme))
        if name == self.config.theme:
            return
        from coach.config import save_setting

        try:
            save_setting("theme", name)
        except ProblemsError as error:
            self.notify("\n".join(map(str, error.problems)) + "\nFix config.toml there; the theme was not saved.",
                        title="Could not save the theme", severity="warning", timeout=15)
            return
        except OSError as error:
            self.notify(f"Could not save the theme: {error.strerror or error}", severity="warning")
            return
        self.config = msgspec.structs.replace(self.config, theme=name)

    def write_status(self, line: str) -> None:
        """`--status-file`: one line (phase, time left) for tmux or another status bar, written
        atomically and readable by its owner only, like every file coach writes."""
        if self.status_file is None or line == self._status_written:
            return
        self._status_written = line
        try:
            write_atomic(self.status_file, one_line(line) + "\n", durable=False)
        except OSError as error:  # said once, then no more tries: the meeting matters more
            self.notify(f"Could not write the status file {self.status_file}: {error.strerror or error}. "
                        "It is no longer updated.", title="Status file", severity="warning", timeout=8)
            self.status_file = None

    def action_history(self, partner: str | None = None) -> None:
        """Past meetings, over the current screen (Escape comes back)."""
        from screens.history import HistoryScreen

        if not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen(partner))

    def action_decks(self) -> None:
        from screens.decks import DecksScreen

        if not isinstance(self.screen, DecksScreen):
            self.push_screen(DecksScreen())

    # -- decks and templates: live reload and editing ---------------------------------------
    RELOAD_EVERY = 2.0
    """Seconds between two looks at the prompt files' modification times (no polling timer)."""

    def reload_prompts(self, force: bool = False) -> bool:
        """Pick up edited deck and template files; a broken edit keeps the last good version.

        Called when a card is drawn (at most every RELOAD_EVERY seconds) and after editing.
        """
        now = self.clock.monotonic()
        if not force and now - self._reload_checked < self.RELOAD_EVERY:
            return False
        self._reload_checked = now
        if not self.library.changed():
            return False
        old = self.library
        self.library = reload_library(old)
        known = {str(p) for p in old.problems}
        for problem in self.library.problems:
            if str(problem) not in known:
                self.notify(f"{problem}\nThe last good version stays in use.", title="Prompt file has a problem",
                            severity="error" if not problem.warning else "warning", timeout=15)
        changed = sorted(item_id for kind in ("decks", "templates")
                         for item_id, item in getattr(self.library, kind).items()
                         if getattr(old, kind).get(item_id) != item)
        if changed:
            self.notify(f"Reloaded: {', '.join(changed)}", title="Decks updated", timeout=5)
        if self.meeting is not None:
            self.meeting.use_decks(self.library.decks)
        return True

    def edit_prompt_file(self, noun: str, item_id: str, source: Path | None) -> None:
        """Open a deck or template in the user's editor (a built-in is copied first), then reload."""
        from textual.app import SuspendNotSupported

        from coach.authoring import AuthoringError, editable_copy, ready_editor, run_editor

        try:
            items = self.library.decks if noun == "decks" else self.library.templates
            builtin = items[item_id].builtin if item_id in items else True
            command = ready_editor()  # before the screen is handed over: a missing editor is said here
            path = editable_copy(noun, item_id, source, builtin)
            failure: AuthoringError | None = None
            status = 0
            try:
                with self.suspend():
                    try:
                        status = run_editor(path, command)
                    except AuthoringError as error:  # never leave the terminal suspended
                        failure = error
            except SuspendNotSupported:
                status = run_editor(path, command)
            if failure is not None:
                raise failure
            if status:
                self.notify(f"The editor exited with status {status}; what it saved is read again.",
                            title="Editor", severity="warning", timeout=8)
        except (AuthoringError, OSError) as error:
            self.notify(str(error), title="Could not edit", severity="error", timeout=10)
            return
        self.reload_prompts(force=True)

    def action_help(self) -> None:
        from screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    # -- leaving ---------------------------------------------------------------------------
    async def action_quit(self) -> None:
        """Quit; during a meeting, ask first and keep the draft for next time."""
        if self.meeting is None or self.meeting.stage is Stage.ENDED:
            self.exit()
            return
        from screens.confirm import Confirm

        def answered(yes: bool | None) -> None:
            if yes:
                self.save_draft()
                self.exit()

        self.push_screen(Confirm("Quit coach?", "The meeting is kept as a draft; the next start offers to "
                                 "resume it.", yes="Quit"), answered)

    def _catch_signals(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self._terminate, signum)

    def _terminate(self, signum: int) -> None:
        """SIGTERM or SIGHUP (terminal closed): keep the draft and leave quietly."""
        with contextlib.suppress(Exception):
            self.save_draft()
        self.lock.release()
        if signum == signal.SIGHUP:
            os._exit(0)  # the terminal is gone: there is nothing left to restore or draw on
        self.exit()

    def on_unmount(self) -> None:
        self.lock.release()

    # -- the terminal's window title -------------------------------------------------------
    def set_window_title(self, text: str) -> None:
        """Show `text` in the terminal's title bar (visible from the video call's taskbar)."""
        self.set_reactive(App.sub_title, text)  # no screen shows it: no need to repaint for it
        self.write_status(text)
        if text == self._terminal_title:
            return
        self._terminal_title = text
        driver = self._driver
        if driver is not None and not self.is_headless:
            driver.write(f"\x1b]2;{window_title(text)}\x07")

    # -- nothing from a file or a keyboard reaches the terminal raw --------------------------
    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Toasts show data (names, notes, problems in files) as text: never as markup, and with
        control characters made visible. coach's own messages use no markup."""
        super().notify(visible(message), title=one_line(title), severity=severity, timeout=timeout, markup=False)

    async def on_event(self, event: events.Event) -> None:
        """Pasted text goes in with its control characters made visible (line breaks kept)."""
        if isinstance(event, events.Paste) and not event.is_forwarded:
            text = event.text.replace("\r\n", "\n").replace("\r", "\n")
            if text != event.text or visible(text) != text:
                event = events.Paste(visible(text))
        await super().on_event(event)

    @property
    def clipboard(self) -> str:
        """What ctrl+v pastes from coach's own clipboard, made safe the same way."""
        return visible(self._clipboard)
