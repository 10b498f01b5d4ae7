"""The Textual app: wires the screens in `screens/` to the domain in `coach/`.

This is the one module of the `coach` package that imports Textual; `coach.__main__`
imports it only when the app is about to run.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from coach.clock import SystemClock
from coach.meeting import Meeting
from coach.prompts import Library, load_library
from coach.store import normalize_name
from coach.summaries import SavedSummary


class CoachApp(App[None]):
    """A meeting coach beside the video call."""

    TITLE = "coach"
    CSS_PATH = "../screens/app.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("f1", "help", "Help", id="app.help"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(self, partner: str | None = None, template: str | None = None,
                 library: Library | None = None, clock=None) -> None:
        super().__init__()
        self.partner = normalize_name(partner) if partner else None
        self.template_id = template
        self.library = library if library is not None else load_library()
        self.clock = clock or SystemClock()
        self._terminal_title = ""

    # -- start ---------------------------------------------------------------------------
    def on_mount(self) -> None:
        for problem in self.library.problems:
            self.notify(str(problem), title="Skipped a prompt file", severity="warning", timeout=12)
        if self.partner:
            self.open_prep(self.partner)
        else:
            self.open_picker()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Keys, the flow of a meeting, and tips", self.action_help)

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

        self._show(PrepScreen(partner, self.template_id))

    def open_meeting(self, meeting: Meeting) -> None:
        from screens.meeting import MeetingScreen

        self._show(MeetingScreen(meeting))

    def open_wrap_up(self, meeting: Meeting) -> None:
        from screens.wrap_up import WrapUpScreen

        self._show(WrapUpScreen(meeting))

    def show_saved(self, saved: SavedSummary) -> None:
        from screens.saved import SavedScreen

        self._show(SavedScreen(saved))

    def action_help(self) -> None:
        from screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    # -- the terminal's window title -------------------------------------------------------
    def set_window_title(self, text: str) -> None:
        """Show `text` in the terminal's title bar (visible from the video call's taskbar)."""
        self.sub_title = text
        if text == self._terminal_title:
            return
        self._terminal_title = text
        driver = self._driver
        if driver is not None and not self.is_headless:
            safe = "".join(ch for ch in text if ch.isprintable())
            driver.write(f"\x1b]2;{safe}\x07")
