"""What the screens tell the app. Screens post these and never call into the app; the app
handles each one (`on_meeting_changed`, `on_open_prep`, …) and hands state back down.

One module for all of them: several screens post the same message, and here the whole
conversation between the screens and the app can be read at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual.message import Message

if TYPE_CHECKING:
    from coach.calendar import Slot
    from coach.meeting import Meeting
    from coach.model import PendingCapture


# -- the meeting in progress ---------------------------------------------------------------
class MeetingChanged(Message):
    """Something in the meeting changed: the app writes its draft shortly."""


class CaptureTyped(Message):
    """What is typed into an open capture dialog, kept in the draft too (None: it closed)."""

    def __init__(self, pending: PendingCapture | None) -> None:
        super().__init__()
        self.pending = pending


class CardDrawn(Message):
    """A prompt card was drawn: time for the app to pick up edited deck files."""


class GuideShown(Message):
    """A phase's purpose was shown when it started: the app counts it (a few times, then no more)."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key


class SaveRequested(Message):
    """Save the summary of the meeting in progress."""


class ResumeRequested(Message):
    """Offer the meeting left behind again (resume, save as it is, or discard)."""


# -- the steps of a meeting, and the screens over them ------------------------------------
class OpenPicker(Message):
    """Back to the partner picker."""


class OpenPrep(Message):
    """Prepare a meeting with `partner`; planned to `slot`, their meeting in the calendar, when given."""

    def __init__(self, partner: str, slot: Slot | None = None) -> None:
        super().__init__()
        self.partner = partner
        self.slot = slot


class OpenMeeting(Message):
    """`meeting` has started: show its first phase."""

    def __init__(self, meeting: Meeting) -> None:
        super().__init__()
        self.meeting = meeting


class ReadyForKeys(Message):
    """The screen just opened has its field focused: keys typed while it opened may come now
    (see `CoachApp.hold_keys`). `screen` is its class's name: a hold for one screen is not let go
    by another (the meeting, shown again for a moment as the end-meeting question closes)."""

    def __init__(self, screen: str = "") -> None:
        super().__init__()
        self.screen = screen


class OpenWrapUp(Message):
    """The phases of `meeting` are over: on to the wrap-up."""

    def __init__(self, meeting: Meeting) -> None:
        super().__init__()
        self.meeting = meeting


class OpenHistory(Message):
    """Past meetings, over the current screen; filtered to `partner` when given."""

    def __init__(self, partner: str | None = None) -> None:
        super().__init__()
        self.partner = partner


class OpenPartner(Message):
    """The partner record of `partner`, over the current screen."""

    def __init__(self, partner: str) -> None:
        super().__init__()
        self.partner = partner


class OpenDecks(Message):
    """Decks and templates, over the current screen."""


# -- decks and templates, the window title ----------------------------------------------------
class EditPromptFile(Message):
    """Open a deck or template in the user's editor, then reload."""

    def __init__(self, noun: Literal["decks", "templates"], item_id: str, source: Path | None) -> None:
        super().__init__()
        self.noun = noun
        self.item_id = item_id
        self.source = source


class ReloadPrompts(Message):
    """Read the deck and template files again: now, or (not `force`) if they changed and were not
    looked at in the last few seconds."""

    def __init__(self, force: bool = True) -> None:
        super().__init__()
        self.force = force


class TitleChanged(Message):
    """The screen's line for the terminal's title bar and the status file."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
