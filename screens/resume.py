"""A meeting was left unfinished: resume it, save it as it is, or discard it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from coach.draft import Draft
from coach.text import plural
from screens.confirm import Confirm
from screens.safe import line
from screens.widgets.button import Button
from screens.widgets.key_bar import KeyBar
from screens.widgets.tick_box import TickBox


def away_text(seconds: float) -> str:
    """`3 min`, `2 h 05 min`, `4 days` — how long the app was away."""
    minutes = int(seconds // 60)
    if minutes < 1:
        return "under a minute"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d} min"
    return plural(hours // 24, "day")


class ResumeAction(StrEnum):
    RESUME = "resume"
    SAVE = "save"  # as it is
    DISCARD = "discard"
    LATER = "later"


@dataclass(frozen=True)
class ResumeChoice:
    """What the user chose to do with the draft."""

    action: ResumeAction
    count_gap: bool = False


def kept_text(words: int, items: int, typing: bool, rated: bool = False, reflected: bool = False) -> str:
    """What the draft keeps, in words: "5 words of notes and 1 captured item are kept."""
    parts = [f"{plural(words, 'word')} of notes" if words else "", plural(items, "captured item") if items else "",
             "a capture still being typed" if typing else "", "the rating" if rated else "",
             "the reflection" if reflected else ""]
    if not (parts := [part for part in parts if part]):
        return "Nothing was typed or captured yet; the phases and their times are kept."
    said = f"{', '.join(parts[:-1])} and {parts[-1]}" if len(parts) > 1 else parts[0]
    return f"{said[0].upper()}{said[1:]} {'are' if len(parts) > 1 or words + items > 1 else 'is'} kept."


class ResumeScreen(ModalScreen[ResumeChoice]):
    """Offer the unfinished meeting back; Resume is the focused choice."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape", "later", "Decide later", id="resume.later"),
        Binding("r", "choose('resume')", "Resume", id="resume.resume"),
        Binding("ctrl+s", "choose('save')", "Save as it is", id="resume.save"),  # as saving is elsewhere; no bare
        # `s`: one pressed meaning "start meeting" would have saved the draft
        Binding("d", "choose('discard')", "Discard", id="resume.discard"),
    ]

    def __init__(self, draft: Draft, wall: datetime) -> None:
        super().__init__()
        self.draft = draft
        self.wall = wall

    def compose(self) -> ComposeResult:
        state = self.draft.state
        away = away_text(self.draft.away_seconds(self.wall))
        with Vertical(classes="dialog") as box:
            box.border_title = "Unfinished meeting"
            yield Label(line(f"Your meeting with {state.partner} was left {state.where()}, "
                             f"{away} ago ({state.saved_at:%a %H:%M})."), classes="question")
            yield Label(kept_text(state.words(), len(state.captures), state.unsaved_capture is not None,
                                  state.rating is not None, bool(state.reflection.strip())), classes="detail")
            yield TickBox(f"Count the time away ({away}) as phase time", id="count-gap",
                           disabled=state.stage != "phase" or state.paused)
            with Horizontal(classes="buttons"):
                yield Button("Resume", id="resume", variant="primary")
                yield Button("Save as it is", id="save")
                yield Button("Discard", id="discard", variant="error")
        yield KeyBar()  # at start, nothing is under the offer: its own keys, and the palette's

    def on_mount(self) -> None:
        self.query_one("#resume", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.action_choose(event.button.id or ResumeAction.RESUME)

    def action_later(self) -> None:
        """Keep the draft; `Resume meeting` in the palette brings this back."""
        self.dismiss(ResumeChoice(ResumeAction.LATER))

    def action_choose(self, action: str) -> None:
        """`action`: a ResumeAction's value (from a key binding or a button's id)."""
        chosen = ResumeAction(action)
        if chosen is ResumeAction.DISCARD:
            self.app.push_screen(
                Confirm("Discard the draft?", f"The notes of your meeting with {self.draft.partner} will be "
                        "gone for good.", yes="Discard"),
                self._discard,
            )
            return
        self.dismiss(ResumeChoice(chosen, self.query_one("#count-gap", TickBox).value))

    def _discard(self, yes: bool | None) -> None:
        if yes:
            self.dismiss(ResumeChoice(ResumeAction.DISCARD))
