"""The Textual app: wires the screens in `screens/` to the domain in `coach/`.

This is the one module of the `coach` package that imports Textual; `coach.__main__`
imports it only when the app is about to run. The app owns what outlives a screen (the
meeting in progress, the library of decks, the settings, the lock) and hands it down; the
screens tell it what happened with the messages in `screens.messages`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.reactive import var
from textual.screen import Screen
from textual.theme import Theme
from textual.widget import Widget

from coach.clock import Clock, SystemClock
from coach.config import load_config
from coach.library import Library
from coach.lock import AlreadyRunning, DataLock
from coach.shutdown import Shutdown
from coach.status_file import StatusFile
from coach.store import normalize_name
from coach.text import name_problem, one_line, visible
from screens import keys, messages, paste_guard
from screens.commands import Action, AppCommands, Command, available, bindings
from screens.stylesheet import ParsedOnce
from screens.terminal_title import TerminalTitle
from screens.workers import use_own_context_pool

# What the first screen does not need is imported where it is used: the first frame comes sooner.
if TYPE_CHECKING:
    from textual.timer import Timer
    from textual.worker import Worker

    from coach.calendar import Slot
    from coach.draft import Draft
    from coach.guides import GuideCounts
    from coach.in_progress import Event, MeetingInProgress
    from coach.meeting import Meeting
    from coach.problems import Problem
    from coach.prompt_watch import PromptWatch
    from screens.notices import Toast
    from screens.partner import PartnerOutcome
    from screens.resume import ResumeChoice
    from screens.save_failed import SaveAgain


HOLD_AT_MOST = 2.0
"""Seconds keys typed while a screen opens wait at most for it (see `CoachApp.hold_keys`)."""


def _takes_tab(widget: Widget | None) -> bool:
    """The focused widget types Tab itself (a text area that indents; asked by its attribute, so
    the first screens do not load the text area)."""
    return getattr(widget, "tab_behavior", None) == "indent"


class CoachApp(App[None]):
    """A meeting coach beside the video call."""

    TITLE = "coach"
    CSS_PATH = "../screens/app.tcss"
    COMMANDS = {AppCommands}  # in place of Textual's: coach's commands with their keys, found by their words
    ACTIONS: ClassVar[list[Action]] = [
        Command("Privacy curtain", "toggle_privacy", "Hide notes, memory, ratings and commitments for screen "
                "sharing", key="f2", footer="Privacy", id="app.privacy",
                also=("share", "screen", "present", "private", "show")),
        Command("Help", "help", "Keys, the flow of a meeting, and tips", key="f1", footer="Help", id="app.help",
                also=("keys", "shortcuts", "how")),
        # Priority: ctrl+q quits from every screen, a dialog too (a modal screen hides the app's other keys)
        Command("Quit", "quit", "Leave coach; during a meeting, asks first and keeps a draft", key="ctrl+q",
                footer="Quit", id="app.quit", also=("exit", "close", "bye"), priority=True),
        Command("History", "history", "Past meetings: find, read and compare them", key="f3", id="app.history",
                also=("past", "summaries", "search")),
        Command("Decks", "decks", "Browse, preview and edit decks and templates", key="f4", id="app.decks",
                also=("cards", "prompts", "templates")),
        Command("Resume meeting", "resume_meeting", "Pick up the unfinished meeting",
                also=("draft", "unfinished", "continue", "restore")),
        # Tab moves the focus before the next key is handed on: keys typed right behind it land
        # in the newly focused field (as a screen binding, they reached the old one meanwhile).
        Binding("tab", "focus_next", show=False, priority=True),
        Binding("shift+tab", "focus_previous", show=False, priority=True),
    ]
    BINDINGS = bindings(ACTIONS)
    TEXTUALS_LEFT_OUT = frozenset({"Quit", "Keys", "Maximize", "Minimize", "Screenshot"})
    """Textual's own palette commands that coach's replace or that have no use beside a call: its
    Quit (coach's asks during a meeting), Keys (Help, F1, lists them), Maximize and Minimize (no
    widget of coach's is made to be maximized) and Screenshot (a picture of private notes, saved
    where the user did not ask)."""

    toast_seconds_min: ClassVar[float] = 0.0
    """The shortest time a toast stays up. The UI tests raise it: a toast goes on a real timer,
    and on a busy machine a test could look for it after it has gone."""

    keep_css: ClassVar[bool] = True
    """Parsed CSS is kept in the cache folder for the next start (`screens.stylesheet`). The UI
    tests turn it off: each has a new cache folder, where it would only cost the writing."""

    trends_apart: ClassVar[bool] = True
    """Prep's trends are worked out in a helper process (`coach.trends_helper`), so that SQLite
    never stays in the app through the meeting. The UI tests turn it off (a process for every prep
    would double their time); `test_trends_apart.py` turns it back on."""

    privacy = var(False, toggle_class="-privacy")
    """The privacy curtain: screens style `CoachApp.-privacy …`, and watch it for what CSS cannot hide."""
    library: var[Library] = var(Library)
    """The decks and templates in use; screens that show them watch it."""

    def __init__(self, partner: str | None = None, template: str | None = None,
                 library: Library | None = None, clock: Clock | None = None, welcome: bool = False,
                 status_file: Path | None = None, autosave_delay: float | None = None) -> None:
        super().__init__()
        keys.install()  # named keys answered without Unicode's name table (0.8 MiB in a meeting)
        paste_guard.install()  # an ESC in a paste stays in the paste (tmux passes it on; Textual read keys)
        self.stylesheet: ParsedOnce = ParsedOnce(variables=self.get_css_variables(), kept=self.keep_css)
        self.clock: Clock = clock or SystemClock()
        self.problems_said: frozenset[str] = frozenset()  # files the user was told coach skipped
        self.welcome = welcome
        self.partner_problem = name_problem(partner) if partner else None
        self.partner = normalize_name(partner) if partner and not self.partner_problem else None
        self.template_id = template
        self._given_library = library
        self._prompts: PromptWatch | None = None  # the decks and templates, read when first needed
        self.config, self.config_problems = load_config(themes=self.available_themes)
        self._autosave_delay = autosave_delay
        self._in_progress: MeetingInProgress | None = None
        self.lock = DataLock()
        self.shutdown = Shutdown(keep=self._keep_draft, release=self.lock.release, leave=self.exit)
        self.status = StatusFile(status_file)
        self.terminal_title = TerminalTitle(self)
        self.read_only: AlreadyRunning | None = None  # another coach holds the data dir
        self._guides: GuideCounts | None = None
        self.merging: Worker[None] | None = None  # the conflict copies' merge at start, once it has begun
        self.flow_started = False  # the first step of a meeting is shown (see `_show`)
        self.leaving = False  # `exit` was called
        self._held_keys: list[events.Key | events.Paste] | None = None  # see `_welcome` and `hold_keys`
        self._hold_timer: Timer | None = None
        self._hold_until: str | None = None  # the screen whose ReadyForKeys lets held keys go (None: any)
        self._replayed: set[int] = set()  # held keys on their way again (by id)
        self._waiting_for_frame: list[Callable[[], object]] | None = []  # see `after_first_frame`

    # -- what is read when first needed ----------------------------------------------------------
    @property
    def prompts(self) -> PromptWatch:
        """The decks and templates in use and their files' watch. Read here when something needs
        them first (prep, help, a draft to resume), or in a thread once the picker is drawn."""
        if self._prompts is None:
            from coach.prompts import load_library

            self._library_read(self._given_library or load_library())
        assert self._prompts is not None
        return self._prompts

    def _library_read(self, library: Library) -> None:
        from coach.config import config_path, template_problems
        from coach.prompt_watch import PromptWatch

        if self._prompts is not None:  # read meanwhile, on demand
            return
        self._prompts = PromptWatch(library, self.clock.monotonic)
        self.library = library
        for problem in template_problems(self.config, config_path(), library.templates):
            self.notify(str(problem), title="Settings", severity="warning", timeout=12)
        if library.problems:
            from screens.notices import prompt_problems

            for toast in prompt_problems(library.problems):
                self.toast(toast)

    def ensure_library(self) -> None:
        """The decks and templates are read (now, if the thread reading them has not finished)."""
        _ = self.prompts

    def read_library_soon(self) -> None:
        """Read the decks and templates in a thread (the picker, once drawn, needs them only later)."""
        if self._prompts is None:
            self.run_worker(self._read_library, thread=True, group="library", exit_on_error=False)

    def _read_library(self) -> None:
        from coach.prompts import load_library

        library = self._given_library or load_library()
        self.call_from_thread(self._library_read, library)

    @property
    def default_template(self) -> str:
        """The template a meeting uses unless one is chosen: `--template`, else the settings', else standard."""
        from coach.library import DEFAULT_TEMPLATE

        if self.template_id is None and self.config.default_template in self.prompts.library.templates:
            return self.config.default_template
        return self.template_id or DEFAULT_TEMPLATE

    @property
    def in_progress(self) -> MeetingInProgress:
        """The meeting in progress and its draft (made when first needed)."""
        if self._in_progress is None:
            from coach.in_progress import AUTOSAVE_DELAY, MeetingInProgress

            delay = AUTOSAVE_DELAY if self._autosave_delay is None else self._autosave_delay
            self._in_progress = MeetingInProgress(self.clock, self.set_timer, self._kept, delay=delay)
        return self._in_progress

    def _keep_draft(self) -> None:
        if self._in_progress is not None:
            self._in_progress.save_draft()

    @property
    def guides(self) -> GuideCounts:
        """How many times each phase's purpose was shown on this device (read when first needed)."""
        if self._guides is None:
            from coach.guides import read_counts

            self._guides, _problems = read_counts()  # a broken state file counts from zero; the next write mends it
        return self._guides

    def on_guide_shown(self, message: messages.GuideShown) -> None:
        from coach.guides import record_shown

        with contextlib.suppress(OSError):  # a read-only state dir: the guide shows again next time
            record_shown(self.guides, message.key)

    @property
    def meeting(self) -> Meeting | None:
        """The meeting in progress, if any."""
        return self._in_progress.meeting if self._in_progress is not None else None

    @property
    def pending_draft(self) -> Draft | None:
        """The unfinished meeting left behind, until the user decides about it."""
        return self._in_progress.left_behind if self._in_progress is not None else None

    # -- start ---------------------------------------------------------------------------
    def on_mount(self) -> None:
        use_own_context_pool(asyncio.get_running_loop())  # a thread worker done lets go of its screen
        self._move_device_files()
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
            self.shutdown.install(asyncio.get_running_loop())
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        self.theme_changed_signal.subscribe(self, self._theme_chosen)
        self.privacy = self.config.privacy
        if self.partner_problem:
            self.notify(f"Not a name coach can keep: {self.partner_problem}. Type it again here.",
                        title="Partner", severity="error", timeout=12)
        for problem in self.config_problems:
            self.notify(str(problem), title="Settings", severity="warning", timeout=12)
        self._open_first_screen()
        # Textual draws nothing until it has finished starting; the first frame comes after that.
        self.call_later(self.call_after_refresh, self._after_first_frame)

    def _open_first_screen(self) -> None:
        from coach.store import draft_path

        if os.path.lexists(draft_path()) and self.in_progress.find_left_behind() is not None:
            self.action_resume_meeting()
            if self.welcome:
                self._welcome()
        elif self.welcome:  # the very first start: the picker (or prep) comes once the welcome is read
            self._welcome(then=self._first_screen)
        else:
            self._first_screen()

    def _welcome(self, then: Callable[[], None] | None = None) -> None:
        from screens.welcome import WelcomeScreen

        def closed(_: object) -> None:
            # Keys typed right behind the Enter that closed the welcome wait for the screen that
            # comes next, which has no field to take them until it is mounted.
            self._held_keys = []
            if then is not None:
                then()
            self.call_after_refresh(self._release_keys)

        self.push_screen(WelcomeScreen(), closed)

    def hold_keys(self, until: str | None = None) -> None:
        """Keys typed from now on wait, in order, for the screen that is about to open (`s` on prep,
        then the first words of the notes, typed before the meeting is drawn): without this they
        went to the screen being left, where a letter may be one of its keys. The next screen
        posts `ReadyForKeys` once its field has focus; they come after `HOLD_AT_MOST` seconds
        whatever happens. `until`: the name of the screen they wait for, when others open first."""
        if self._held_keys is None:
            self._held_keys = []
        self._hold_until = until
        if self._hold_timer is not None:
            self._hold_timer.stop()
        self._hold_timer = self.set_timer(HOLD_AT_MOST, self._release_keys)

    def on_ready_for_keys(self, message: messages.ReadyForKeys) -> None:
        if self._hold_until is None or message.screen == self._hold_until:
            self._release_keys()

    def _release_keys(self) -> None:
        """The held keys go on, in order. Keys already waiting in the app's queue would overtake them
        (`ea` of `great` typed in before `gr`): what comes until the held ones have gone through is
        held too, and goes after them."""
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        held, self._hold_until = self._held_keys or [], None
        if not held:
            self._held_keys = None
            return
        self._held_keys = []
        for key in held:
            again = events.Key(key.key, key.character) if isinstance(key, events.Key) else events.Paste(key.text)
            self._replayed.add(id(again))
            self.post_message(again)
        self.call_later(self._after_replay)  # after them: what came meanwhile, or the end of the hold

    def _after_replay(self) -> None:
        if self._hold_timer is None:  # (else a key let go opened a screen, which now holds the rest)
            self._release_keys()

    @property
    def first_frame_drawn(self) -> bool:
        """The first frame is on the screen, and the reading that waited for it has begun."""
        return self._waiting_for_frame is None

    def after_first_frame(self, callback: Callable[[], object]) -> None:
        """Call `callback` once the first frame is on the screen (at once, after it). Threads that
        read files start so: a thread running meanwhile would slow the frame down, as they share
        one interpreter lock."""
        if self._waiting_for_frame is None:
            self.call_later(callback)
        else:
            self._waiting_for_frame.append(callback)

    def _after_first_frame(self) -> None:
        """The first frame is drawn: what waited for it starts, and, in threads, the decks and
        templates are read and the conflict copies a folder sync made are merged. Called once the
        screen shown first is refreshed, or before, when a key is pressed or that screen gives way
        (it may be gone before its refresh, and its callbacks with it)."""
        if self._waiting_for_frame is None:
            return
        waiting, self._waiting_for_frame = self._waiting_for_frame, None
        if self.leaving:
            return
        for callback in waiting:
            callback()
        self.read_library_soon()
        self._merge_conflict_copies()
        self._keep_stylesheet(thread=True)

    def _keep_stylesheet(self, thread: bool) -> None:
        """The CSS parsed in this run is kept for the next start (`screens.stylesheet`)."""
        if self.keep_css and (taken := self.stylesheet.take_fresh()) is not None:
            if thread:
                self.run_worker(partial(ParsedOnce.keep, *taken), thread=True, exit_on_error=False)
            else:
                ParsedOnce.keep(*taken)

    def _move_device_files(self) -> None:
        """What older versions kept in the data folder (draft, lock, first-run state) moves to this
        device's folder, before the lock is taken and a draft looked for."""
        from coach.device import move_device_files

        for notice in move_device_files():
            self.notify(notice.message, title="Files", severity="warning" if notice.warning else "information",
                        timeout=15)

    def _first_screen(self) -> None:
        """`--partner NAME`: the one partner it finds (as the CLI finds them), a new one when it finds
        none, the picker with the name typed when it could be several."""
        if not self.partner:
            self.open_picker()
            return
        from coach.partner_files import has_file

        if has_file(self.partner):  # the name as their file has it: that partner alone
            found = [self.partner]
        else:
            from coach.partners import find_named, known_partners

            found = find_named(self.partner, [p.name for p in known_partners()[0]])
        if len(found) > 1:
            from screens.picker import PickerScreen

            self._show(PickerScreen(self.partner, f"{self.partner} could be any of {len(found)} partners: "
                                                  "pick one, or type more."))
        else:
            self.open_prep(found[0] if found else self.partner)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """coach's commands, then Textual's (Theme…); `AppCommands` adds their keys."""
        for command in available(self, self.ACTIONS):
            help_text = command.help
            if command.action == "resume_meeting" and self.pending_draft is not None:
                help_text += f" with {one_line(self.pending_draft.partner)}"  # the palette shows it as text
            yield SystemCommand(command.name, help_text, partial(self.run_action, command.action))
        for system_command in super().get_system_commands(screen):
            if system_command.title not in self.TEXTUALS_LEFT_OUT:
                yield system_command

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume_meeting":
            return self.pending_draft is not None and self.meeting is None
        if action in ("focus_next", "focus_previous"):
            return not _takes_tab(self.focused)
        return True

    # -- the steps of a meeting -------------------------------------------------------------
    def _show(self, step: Screen) -> None:
        """Show the next step of a meeting (picker, prep, phases, wrap-up, saved) in place of the one
        before; the first one over the start's empty screen, once the questions of the start (an
        unfinished meeting, the welcome) are answered."""
        if self.flow_started:
            self._after_first_frame()  # if it has not come yet: the first step gives way, it was drawn
            self.switch_screen(step)
        else:
            self.flow_started = True
            self.push_screen(step)

    def open_picker(self) -> None:
        from screens.picker import PickerScreen

        self._show(PickerScreen())

    def open_prep(self, partner: str, slot: Slot | None = None) -> None:
        from screens.prep import PrepScreen

        if self.read_only is not None:
            self.notify(f"Read-only here: {self.read_only}. Carry on in the other window.", severity="warning")
            return
        self._show(PrepScreen(partner, self.template_id, slot=slot))

    def configure(self, meeting: Meeting) -> Meeting:
        """Apply the settings that shape a meeting (the warning threshold)."""
        meeting.warn_fraction = self.config.warn_percent / 100
        meeting.warn_cap = self.config.warn_max_seconds
        return meeting

    def open_meeting(self, meeting: Meeting) -> None:
        from screens.meeting import MeetingScreen

        self.in_progress.start(self.configure(meeting))
        self._show(MeetingScreen(meeting))

    def open_wrap_up(self, meeting: Meeting) -> None:
        from coach.follow_up import follow_up_text
        from screens.wrap_up import WrapUpScreen

        if not meeting.follow_up:
            meeting.follow_up = follow_up_text(meeting.partner, meeting.outcome(), self.clock.wall().date())
        self.in_progress.start(self.configure(meeting))
        self._show(WrapUpScreen(meeting))

    def on_open_picker(self, _: messages.OpenPicker) -> None:
        self.open_picker()

    def on_open_prep(self, message: messages.OpenPrep) -> None:
        self.open_prep(message.partner, message.slot)

    def on_open_meeting(self, message: messages.OpenMeeting) -> None:
        self.open_meeting(message.meeting)

    def on_open_wrap_up(self, message: messages.OpenWrapUp) -> None:
        self.open_wrap_up(message.meeting)

    # -- screens over the current one ----------------------------------------------------------
    def action_history(self, partner: str | None = None) -> None:
        """Past meetings, over the current screen (Escape comes back)."""
        from screens.history import HistoryScreen

        if not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen(partner))

    def action_decks(self) -> None:
        from screens.decks import DecksScreen

        if not isinstance(self.screen, DecksScreen):
            self.ensure_library()
            self.push_screen(DecksScreen())

    def action_help(self) -> None:
        from coach.cards import tips_of
        from screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.ensure_library()
            templates = self.library.templates
            from screens.prep import PrepScreen

            template = self.meeting.template if self.meeting is not None else templates.get(self.default_template)
            if isinstance(self.screen, PrepScreen) and self.screen.template_id in templates:
                template = self.screen.planned  # the one chosen for the meeting about to start
            self.push_screen(HelpScreen(template, [tip.text for tip in tips_of(self.library.decks)]))

    def on_open_history(self, message: messages.OpenHistory) -> None:
        self.action_history(message.partner)

    def on_open_decks(self, _: messages.OpenDecks) -> None:
        self.action_decks()

    def on_open_partner(self, message: messages.OpenPartner) -> None:
        """The partner record, over the current screen; Escape comes back to it."""
        from screens.partner import PartnerScreen

        if not isinstance(self.screen, PartnerScreen):
            self.push_screen(PartnerScreen(message.partner), self._partner_closed)

    def _partner_closed(self, outcome: PartnerOutcome | None) -> None:
        """Back from the partner record: a meeting goes on as it was (its notes focused); prep shows the
        record as it is now, under the partner's name now; the picker lists who is left."""
        from screens.base import MeetingBase
        from screens.picker import PickerScreen

        if isinstance(self.screen, MeetingBase):
            self.screen.focus_notes()
        if outcome is None or not outcome.changed or self.meeting is not None:
            return
        if outcome.partner is None or isinstance(self.screen, PickerScreen):
            self.open_picker()
        else:
            self.open_prep(outcome.partner)

    # -- the meeting in progress: its draft, a draft left behind, the summary ------------------
    def _kept(self, event: Event) -> None:
        from screens.notices import about_the_meeting

        self.toast(about_the_meeting(event))

    def on_meeting_changed(self, _: messages.MeetingChanged) -> None:
        self.in_progress.changed()

    def on_capture_typed(self, message: messages.CaptureTyped) -> None:
        self.in_progress.capture_typed(message.pending)

    def action_resume_meeting(self) -> None:
        from screens.resume import ResumeScreen

        if self.pending_draft is not None:
            self.push_screen(ResumeScreen(self.pending_draft, self.clock.wall()), self._draft_chosen)

    def on_resume_requested(self, _: messages.ResumeRequested) -> None:
        self.action_resume_meeting()

    def _draft_chosen(self, choice: ResumeChoice | None) -> None:
        from coach.meeting import Stage
        from screens.resume import ResumeAction

        if choice is None or self.pending_draft is None:
            return
        self.ensure_library()
        if choice.action is ResumeAction.DISCARD:
            self.in_progress.discard_left_behind()
            self.notify("Draft discarded.", timeout=3)
        if choice.action in (ResumeAction.LATER, ResumeAction.DISCARD):
            if not self.flow_started:
                self._first_screen()
            return
        decks = self.library.decks
        if choice.action is ResumeAction.SAVE:
            self.in_progress.end_left_behind(decks, choice.count_gap)
            self.save_meeting()
            return
        meeting = self.in_progress.resume(decks, choice.count_gap)
        if meeting is not None and meeting.stage is Stage.PHASE:
            self.open_meeting(meeting)
        elif meeting is not None:
            self.open_wrap_up(meeting)

    def save_meeting(self, folder: Path | None = None) -> None:
        """Write the summary; on failure keep everything and offer a retry or another folder."""
        from coach.in_progress import SummaryNotSaved

        try:
            saved = self.in_progress.finish(folder)
        except SummaryNotSaved as failure:
            from screens.save_failed import SaveFailedScreen

            self.push_screen(SaveFailedScreen(failure.where, failure.error), self._after_failed_save)
            return
        if saved is not None:
            from screens.saved import SavedScreen

            self._show(SavedScreen(saved))

    def on_save_requested(self, _: messages.SaveRequested) -> None:
        self.save_meeting()

    def _after_failed_save(self, answer: SaveAgain | None) -> None:
        from coach.meeting import Stage

        meeting = self.meeting
        if answer is not None:
            self.save_meeting(answer.folder)
        elif meeting is not None and meeting.stage is Stage.WRAP_UP and not self.flow_started:
            self.open_wrap_up(meeting)

    # -- decks and templates: live reload and editing ---------------------------------------
    def reload_prompts(self, force: bool = False) -> None:
        """Pick up edited deck and template files (at most every few seconds unless `force`); a
        broken edit keeps the last good version."""
        if self._prompts is None:  # not read yet: they will be read as they are
            return
        reloaded = self.prompts.check(force)
        if reloaded is None:
            return
        from screens.base import MeetingBase
        from screens.notices import prompts_reloaded

        if isinstance(self.screen, MeetingBase):  # mid-meeting: a line on the status line, nothing over the notes
            if reloaded.problems:
                self.screen.say("A prompt file has a problem: F4 shows it", severity="warning", seconds=8)
            elif reloaded.changed:
                self.screen.say(f"Reloaded: {', '.join(reloaded.changed)}")
        else:
            for toast in prompts_reloaded(reloaded):
                self.toast(toast)
        if self.meeting is not None:
            self.meeting.use_decks(reloaded.library.decks)
        self.library = reloaded.library

    def on_card_drawn(self, _: messages.CardDrawn) -> None:
        self.reload_prompts()

    def on_reload_prompts(self, message: messages.ReloadPrompts) -> None:
        self.reload_prompts(force=message.force)

    def on_app_focus(self, _: events.AppFocus) -> None:
        """Back from another window (the editor, perhaps): pick up what was saved there."""
        self.reload_prompts()

    def on_edit_prompt_file(self, message: messages.EditPromptFile) -> None:
        from coach.authoring import AuthoringError
        from screens.editor import edit_prompt_file

        self.ensure_library()
        items = self.library.decks if message.noun == "decks" else self.library.templates
        builtin = items[message.item_id].builtin if message.item_id in items else True
        try:
            status = edit_prompt_file(self, message.noun, message.item_id, message.source, builtin)
        except (AuthoringError, OSError) as error:
            self.notify(str(error), title="Could not edit", severity="error", timeout=10)
            return
        if status:
            self.notify(f"The editor exited with status {status}; what it saved is read again.",
                        title="Editor", severity="warning", timeout=8)
        self.reload_prompts(force=True)

    def say_skipped(self, problems: list[Problem]) -> None:
        """One toast for the files coach could not read, unless the user was told of these already."""
        if not problems:  # the usual case: nothing to say, and the notices' modules not loaded for it
            return
        from screens.notices import skipped

        if (toast := skipped(problems, self.problems_said)) is not None:
            self.notify(toast.message, title=toast.title, severity=toast.severity, timeout=toast.timeout)
        self.problems_said |= frozenset(map(str, problems))

    def say_calendar(self, problems: list[Problem]) -> None:
        """One toast for what is wrong with the calendar files, unless the user was told already."""
        from screens.notices import calendar_problems

        if (toast := calendar_problems(problems, self.problems_said)) is not None:
            self.toast(toast)
        self.problems_said |= frozenset(map(str, problems))

    # -- privacy, theme, the window title --------------------------------------------------------
    def watch_privacy(self) -> None:
        """Textual restyles only the screen on top when the app's classes change: the screens under
        it (a meeting under the Partner record, prep under a dialog) follow the curtain too, so the
        one shown again after Escape hides (or shows) what it should."""
        for screen in self.screen_stack[:-1]:
            screen.update_node_styles(animate=False)

    def action_toggle_privacy(self) -> None:
        """The privacy curtain: timer, phase and card stay; notes and memory are hidden."""
        from screens.base import MeetingBase

        self.privacy = not self.privacy
        said = "Curtain on: safe to share your screen" if self.privacy else "Privacy curtain lifted"
        meeting = next((s for s in reversed(self.screen_stack) if isinstance(s, MeetingBase)), None)
        if meeting is not None:  # in a meeting (or a dialog over it), on its status line: no toast over the notes
            meeting.say(said, seconds=3)
        else:
            self.notify(f"{said}.", timeout=3)

    def _theme_chosen(self, theme: Theme) -> None:
        """Keep the theme picked in the palette for next time."""
        if theme.name == self.config.theme:
            return
        import msgspec

        from coach.config import save_setting
        from coach.problems import ProblemsError

        try:
            save_setting("theme", theme.name)
        except ProblemsError as error:
            self.notify("\n".join(map(str, error.problems)) + "\nFix config.toml there; the theme was not saved.",
                        title="Could not save the theme", severity="warning", timeout=15)
            return
        except OSError as error:
            self.notify(f"Could not save the theme: {error.strerror or error}", severity="warning")
            return
        self.config = msgspec.structs.replace(self.config, theme=theme.name)

    def set_window_title(self, text: str) -> None:
        """Show `text` in the terminal's title bar (visible from the video call's taskbar) and in
        the status file."""
        self.set_reactive(App.sub_title, text)  # no screen shows it: no need to repaint for it
        if (failed := self.status.write(text)) is not None:
            from screens.notices import status_file_failed

            self.toast(status_file_failed(failed))
        self.terminal_title.show(text)

    def on_title_changed(self, message: messages.TitleChanged) -> None:
        self.set_window_title(message.text)

    # -- leaving ---------------------------------------------------------------------------
    async def action_quit(self) -> None:
        """Quit; during a meeting, ask first and keep the draft for next time."""
        from coach.meeting import Stage

        if self.meeting is None or self.meeting.stage is Stage.ENDED:
            self.exit()
            return
        from screens.confirm import Confirm

        if isinstance(self.screen, Confirm) and self.screen.id == "quit":
            return  # asked already: the question on the screen is the answer to ctrl+q

        def answered(yes: bool | None) -> None:
            if yes:
                self.in_progress.save_draft()
                self.exit()

        self.push_screen(Confirm("Quit coach?", "The meeting is kept as a draft; the next start offers to "
                                 "resume it.", yes="Quit", id="quit"), answered)

    def exit(self, *args: Any, **kwargs: Any) -> None:
        self.leaving = True  # what was to come once the first frame is drawn no longer comes
        super().exit(*args, **kwargs)

    def on_unmount(self) -> None:
        self.lock.release()
        self.terminal_title.restore()  # the title the terminal had before coach, where it keeps one
        self._keep_stylesheet(thread=False)  # what the later screens parsed

    # -- conflict copies a folder sync made -----------------------------------------------------
    def _merge_conflict_copies(self) -> None:
        """Conflict copies a folder sync made are merged and moved aside (`coach.conflict_fix`): in a
        thread, once the first frame is drawn; what was done, or could not be, is said in toasts."""
        self.merging = self.run_worker(self._conflict_copies_merged, thread=True, exit_on_error=False)

    def _conflict_copies_merged(self) -> None:
        from coach.conflicts import find_copies
        from coach.store import partners_dir, sessions_dir

        try:  # most starts find none: the merge's code is not loaded for nothing
            if not find_copies(partners_dir()) and not find_copies(sessions_dir(), (".toml", ".md"), below=True):
                return
        except OSError:
            pass  # tidy says what went wrong
        from coach.conflict_fix import Merged, tidy
        from screens.notices import about_conflict_copies, conflict_copies_failed

        merged: list[str] = []
        try:
            tidied = tidy()
            toasts = about_conflict_copies(tidied)
            merged = [done.partner for done in tidied.done if isinstance(done, Merged)]
        except Exception as error:  # whatever goes wrong here, the app carries on
            toasts = [conflict_copies_failed(error)]
        for toast in toasts:
            self.call_from_thread(self.toast, toast)
        if merged:
            self.call_from_thread(self._partners_merged, merged)

    def _partners_merged(self, names: list[str]) -> None:
        """Prep, opened before the merge, shows the partner's record as it is now."""
        from screens.prep import PrepScreen

        screen = self.screen
        if (isinstance(screen, PrepScreen) and self.meeting is None and not self.leaving
                and normalize_name(screen.partner) in {normalize_name(name) for name in names}):
            self.open_prep(screen.partner)

    # -- nothing from a file or a keyboard reaches the terminal raw --------------------------
    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Toasts show data (names, notes, problems in files) as text: never as markup, and with
        control characters made visible. coach's own messages use no markup."""
        timeout = max(self.NOTIFICATION_TIMEOUT if timeout is None else timeout, self.toast_seconds_min)
        super().notify(visible(message), title=one_line(title), severity=severity, timeout=timeout, markup=False)

    def toast(self, toast: Toast) -> None:
        self.notify(toast.message, title=toast.title, severity=toast.severity, timeout=toast.timeout)

    async def on_event(self, event: events.Event) -> None:
        """Pasted text goes in with its control characters made visible (line breaks kept). A key
        pressed means the first frame was seen: what waited for it starts now if it has not yet."""
        if isinstance(event, (events.Key, events.Paste)) and self._waiting_for_frame is not None:
            self._after_first_frame()
        if isinstance(event, (events.Key, events.Paste)) and id(event) in self._replayed:
            self._replayed.discard(id(event))  # a held key, let go: on to the focused widget,
            if self._hold_timer is not None and self._held_keys is not None:  # unless one before it
                self._held_keys.append(event)  # opened a screen that holds keys again
                return
        elif isinstance(event, (events.Key, events.Paste)) and self._held_keys is not None:
            self._held_keys.append(event)
            return
        if isinstance(event, events.Paste) and not event.is_forwarded:
            text = event.text.replace("\r\n", "\n").replace("\r", "\n")
            if text != event.text or visible(text) != text:
                event = events.Paste(visible(text))
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            self._text_to_its_field(event)
        await super().on_event(event)

    def _text_to_its_field(self, event: events.Key | events.Paste) -> None:
        """A focused widget that takes no text (the wrap-up's rating) may name the field for what is
        typed or pasted while it has the focus: that field gets the focus before the key is sent
        on. Here, where keys come one after the other, so a burst typed as the wrap-up opens reaches
        the field whole and in order (sent on by the rating, they overtook each other)."""
        hand_on = getattr(self.focused, "field_for", None)
        if hand_on is not None and (field := hand_on(event)) is not None:
            self.screen.set_focus(field, scroll_visible=False)

    @property
    def clipboard(self) -> str:
        """What ctrl+v pastes from coach's own clipboard, made safe the same way."""
        return visible(super().clipboard)
