"""The meeting: phase strip, countdown, prompt card and the notes of the phase.

The notes editor has focus whenever a phase runs, so typing goes into the notes. One
1 Hz timer runs while a phase is timed (none while paused); each tick redraws only the
countdown, the progress bar and the projected end.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import TextArea

from coach.cards import phase_ids
from coach.guides import guide_for, guide_key
from coach.meeting import MeetingError, Stage
from coach.meeting_view import MeetingView
from coach.timing import Look
from screens.base import CAPTURE_ACTIONS, MeetingBase
from screens.commands import Command, bindings
from screens.confirm import Confirm
from screens.follow import follow
from screens.messages import CardDrawn, GuideShown, OpenWrapUp, ReadyForKeys
from screens.safe import line, visible
from screens.widgets.card import CardView
from screens.widgets.curtain import CurtainMarker
from screens.widgets.key_bar import KeyBar
from screens.widgets.phase_guide import PhaseGuideView
from screens.widgets.phase_strip import PhaseStrip
from screens.widgets.side_panel import SidePanel
from screens.widgets.status_line import Said
from screens.widgets.timer import PhaseTimer, clock_text, remaining_for_display

TICK_AFTER = 0.05
"""Seconds after the clock's second turns that the ticker ticks: a timer is a few ms late, never early."""
WIDE = 120
"""From this many columns on, a side panel shows what you know about the partner."""


class MeetingScreen(MeetingBase):
    """A timed phase of the meeting."""

    CSS_PATH = "meeting.tcss"
    AUTO_FOCUS = "#notes"
    HORIZONTAL_BREAKPOINTS = [(WIDE, "-wide")]
    ACTIONS = [
        Command("Next card", "next_card", "Show the next prompt card", key="ctrl+n", footer="Card",
                id="meeting.next_card"),
        Command("Next phase", "next_phase", "Close this phase and start the next one", key="ctrl+f",
                footer="Phase", id="meeting.next_phase"),
        Command("Pause timer", "pause", "Stop the clock; nothing counts while paused", key="ctrl+t", footer="Pause",
                id="meeting.pause", also=("stop", "hold", "break")),
        Command("Resume timer", "resume", "Start the clock again", key="ctrl+t", footer="Resume", id="meeting.resume",
                also=("continue", "unpause", "restart")),
        *CAPTURE_ACTIONS,
        Command("Add a minute", "add_minute", "Give this phase one more minute", key="ctrl+l", footer="+1 min",
                id="meeting.add_minute"),
        Command("Rebalance", "rebalance", "Shorten the phases still to come so the meeting ends on time",
                key="f8", footer="Rebalance", id="meeting.rebalance"),
        Command("End meeting", "end_meeting", "Skip the remaining phases and go to the wrap-up", key="f10",
                footer="End", id="meeting.end"),
        Command("Previous phase", "previous_phase", "Go back to the phase before, with its notes; its clock goes on",
                key="f9", footer="Back", id="meeting.previous_phase", also=("return", "undo")),
        Command("Previous card", "previous_card", "Go back to the card before", key="ctrl+b", footer="Prev card",
                id="meeting.previous_card"),
        Command("Hide phase guide", "hide_guide", "Hide what this phase is for and the tip under the card",
                key="escape", id="meeting.hide_guide", also=("dismiss", "purpose", "tip")),
        Command("Phase guide", "show_guide", "Show what this phase is for, with a rapport tip", id="meeting.guide",
                also=("purpose", "what is this phase", "tip", "rapport")),
    ]
    BINDINGS = bindings(ACTIONS)

    _ticker: Timer | None = None
    _phase_said: Said | None = None  # the last word about the phase itself ("time to wrap up", "over time")
    _alerted: tuple[int, Look] | None = None
    _guided: set[int]
    """The phases whose guide was shown on this screen: going back to one does not show it again."""

    def compose(self) -> ComposeResult:
        self.timer = PhaseTimer(id="timer")  # at hand for the tick
        yield CurtainMarker()
        with Horizontal(id="body"):
            with Vertical(id="main"):
                yield PhaseStrip(id="strip")
                yield self.timer
                # Its own container: the widgets in it lie outside the region a tick redraws, so
                # Textual does not go through them once a second.
                with Vertical(id="below"):
                    yield CardView(id="card")
                    yield PhaseGuideView(id="guide")
                    notes = TextArea(id="notes", soft_wrap=True, show_line_numbers=False, tab_behavior="focus",
                                     classes="private-text")
                    notes.border_title = "Notes"
                    notes.cursor_blink = False  # a blinking cursor wakes the app twice a second
                    yield notes
            yield SidePanel(id="side", classes="private")
        yield KeyBar()

    def captured(self) -> None:
        self.query_one(SidePanel).show(self.meeting, self.clock.wall().date())

    def on_mount(self) -> None:
        if self.app.leaving or not self.on_stack:  # quit as it opened: its widgets are already going
            return
        follow(self, "privacy", self._card_changed, init=False)  # a card from your notes hides
        follow(self, "library", self._card_changed, init=False)  # edited decks: the card may be new
        self._guided = set()
        self.captured()
        self.show_phase()

    def on_screen_resume(self) -> None:
        """The notes have focus (AUTO_FOCUS, asked of the app before this): what was typed behind
        `s` on prep may come (`CoachApp.hold_keys`)."""
        self.app.post_message(ReadyForKeys("MeetingScreen"))

    # -- drawing -------------------------------------------------------------------------
    def view(self) -> MeetingView:
        return self.meeting.view(self.clock.monotonic(), self.clock.wall())

    def show_phase(self) -> None:
        """Draw everything that changes with the phase: strip, card, notes, timer."""
        view = self.view()
        self.query_one(PhaseStrip).show(view.strip)
        self.timer.show_title(view)
        self.show_card(view)
        phase = self.meeting.current
        notes = self.query_one("#notes", TextArea)
        if phase is not None and notes.text != visible(phase.notes):
            notes.load_text(visible(phase.notes))
            notes.move_cursor(notes.document.end)
        notes.border_title = line(f"Notes · {view.phase_title}")
        self.show_time(view)
        self._tick_in_step()
        self._alerted = (view.phase_index, view.look)  # no alert for the state a phase opens in
        if (status := self.status) is not None and status.said is self._phase_said:
            status.clear()  # "10 s left" was about the phase before (nothing said: nothing to take back)
        if self.meeting.index not in self._guided:
            self._guided.add(self.meeting.index)
            self.show_guide()
        else:
            self.query_one(PhaseGuideView).hide()
        notes.focus()
        if self.meeting.review_due():
            self.call_after_refresh(self.review_pending)

    def show_card(self, view: MeetingView | None = None) -> None:
        view = view or self.view()
        self.query_one(CardView).show(view.card, view.card_position, view.card_count, hidden=self.app.privacy)

    def show_guide(self, always: bool = False) -> None:
        """What the phase is for (the first few times, or `always`) and a tip, under the card."""
        run = self.meeting.current
        if run is None:
            return
        template = self.meeting.template
        started = self.meeting.started or self.clock.wall()
        library = self.app.library
        guide = guide_for(template, run.plan, library.decks, self.app.guides,
                          seed=f"{started.date().isoformat()}/{template.id}",
                          tips=self.app.config.tips or always, always=always,
                          moments=phase_ids(library.templates.values()))
        self.query_one(PhaseGuideView).show(run.plan.title, guide, both=always)
        if guide.purpose and not always:
            self.app.post_message(GuideShown(guide_key(template, run.plan)))

    def action_hide_guide(self) -> None:
        self.query_one(PhaseGuideView).hide()

    def action_show_guide(self) -> None:
        self.show_guide(always=True)

    def _card_changed(self) -> None:
        self.show_card()

    def show_time(self, view: MeetingView) -> None:
        self.timer.show(view)
        state = " (paused)" if view.paused else ""
        self.say_title(f"{view.phase_title} {clock_text(remaining_for_display(view.remaining))}{state}")

    def _tick_in_step(self) -> None:
        """(Re)start the 1 Hz ticker so that it ticks just after the clock's seconds turn. A phase
        starts, and a pause ends, at any point of a second: a ticker left on its old beat would
        show each second up to a second late, and, on the beat's edge, skip one. None runs while
        the clock is paused."""
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        if self.meeting.paused or self.meeting.stage is not Stage.PHASE:
            return
        until_it_turns = self.view().remaining % 1.0 or 1.0  # a whole number of seconds left: a second
        self._ticker = self.set_timer(until_it_turns + TICK_AFTER, self._start_ticking)

    def _start_ticking(self) -> None:
        self.tick()
        self._ticker = self.set_interval(1.0, self.tick)

    def tick(self) -> None:
        """Once a second while the clock runs."""
        if self.meeting.stage is Stage.PHASE:
            view = self.view()
            self.show_time(view)
            self.alert(view)
        self.expire_status()

    def alert(self, view: MeetingView) -> None:
        """A word on the status line when the phase enters its warning or its overtime (a bell only
        if asked)."""
        key = (view.phase_index, view.look)
        if key == self._alerted or view.look is Look.CALM:
            self._alerted = key
            return
        if self._alerted is not None and self._alerted[0] == view.phase_index:
            if view.look is Look.WARN:
                seconds = remaining_for_display(view.remaining)
                left = f"{round(seconds / 60)} min" if seconds >= 90 else f"{int(seconds)} s"
                self.say(f"{left} left: time to wrap it up", severity="warning", seconds=6)
            else:
                last = view.phase_index + 1 == view.phase_count
                self.say("Over time: ^f goes to the wrap-up" if last else "Over time: ^f moves on, F8 rebalances",
                         severity="warning", seconds=8)
            self._said_of_the_phase()
            if self.app.config.sound:
                self.app.bell()
        self._alerted = key

    def _said_of_the_phase(self) -> None:
        """What was just said is about this phase: it goes when the next phase comes."""
        self._phase_said = self.status.said if self.status is not None else None

    # -- typing --------------------------------------------------------------------------
    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id == "notes" and self.meeting.current is not None:
            self.meeting.set_notes(event.text_area.text)
            self.changed()

    # -- actions -------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pause":
            return not self.meeting.paused
        if action == "resume":
            return self.meeting.paused
        if action == "hide_guide":
            return self.query_one(PhaseGuideView).display
        return True

    def action_next_card(self) -> None:
        self.meeting.next_card()
        self.changed()
        self.show_card()
        self.app.post_message(CardDrawn())

    def action_previous_card(self) -> None:
        self.meeting.previous_card()
        self.changed()
        self.show_card()
        self.app.post_message(CardDrawn())

    def action_next_phase(self) -> None:
        self.meeting.next_phase(self.clock.monotonic())
        self.changed()
        if self.meeting.stage is Stage.WRAP_UP:
            self._leave()
        else:
            self.show_phase()
            self.app.post_message(CardDrawn())

    def action_previous_phase(self) -> None:
        if self.meeting.index == 0:
            self.say("This is the first phase")
            self._said_of_the_phase()
            return
        try:
            self.meeting.previous_phase(self.clock.monotonic())
        except MeetingError:  # no phase runs: nothing to go back from
            return
        self.changed()
        self.show_phase()
        self.say(f"Back to {self.view().phase_title}")
        self.app.post_message(CardDrawn())

    def action_end_meeting(self) -> None:
        """Ask first (Enter ends, Escape goes back to the notes with nothing lost)."""
        self.app.push_screen(Confirm("End meeting?", "Skip the phases still to come and go to the wrap-up.",
                                     yes="End meeting", focus_yes=True, hold_keys_after_yes="WrapUpScreen"),
                             self._end_answered)

    def _end_answered(self, yes: bool | None) -> None:
        if yes and self.meeting.stage is Stage.PHASE:
            self.meeting.end_early(self.clock.monotonic())
            self._leave()
        else:
            self.focus_notes()

    def action_pause(self) -> None:
        if not self.meeting.paused:
            self.action_toggle_pause()

    def action_resume(self) -> None:
        if self.meeting.paused:
            self.action_toggle_pause()

    def action_toggle_pause(self) -> None:
        self.meeting.toggle_pause(self.clock.monotonic())
        self.changed()
        self._tick_in_step()
        if (status := self.status) is not None:
            status.clear()  # the word said before gives way: the line says "Paused" at once
        self.show_time(self.view())
        self.refresh_bindings()  # ctrl+t is Pause or Resume: the footer and the palette follow
        self.focus_notes()

    def action_rebalance(self) -> None:
        was_late = self.view().overrun > 0
        if self.meeting.rebalance(self.clock.monotonic(), self.clock.wall()):
            self.changed()
            self.query_one(PhaseStrip).show(self.view().strip)
            view = self.view()
            self.show_time(view)
            self._tick_in_step()  # the phase may be shorter by part of a second
            late = round(view.overrun / 60)
            self.say(f"Rebalanced: still {late} min over (1 min floor)" if late > 0 else
                     "Rebalanced: the meeting ends on time", seconds=5)
        elif was_late:
            self.say("Nothing left to shorten")
        else:
            self.say("Nothing to rebalance: on time")

    def action_add_minute(self) -> None:
        self.meeting.add_minute()
        self.query_one(PhaseStrip).show(self.view().strip)
        self.changed()
        self.show_time(self.view())
        self.say("One more minute for this phase", seconds=3)

    def _leave(self) -> None:
        if self._ticker is not None:
            self._ticker.stop()
        self.app.hold_keys("WrapUpScreen")  # words typed as the wrap-up opens wait for its rating
        self.app.post_message(OpenWrapUp(self.meeting))
