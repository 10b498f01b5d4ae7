"""The partner's record as one list: facts, goals and commitments under their headings, each
with its dates, one highlighted at a time.

Each item is an option whose id is its label in the partner file's order (`f1`, `g2`, `c3`: the
labels `coach partners` uses); headings and "none yet" lines are disabled options, which the
cursor skips. Behind the privacy curtain an item shows its label, dates and status, not its text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from coach.model import Commitment, Fact, Goal, PartnerRecord, Status
from coach.text import one_line, plural
from coach.timefmt import short_date
from screens.widgets.hanging import Hanging

Kind = Literal["fact", "goal", "commitment"]
HIDDEN = "(hidden)"


def day(when: date) -> str:
    """`3 Mar 2026`."""
    return f"{short_date(when)} {when:%Y}"


@dataclass(frozen=True)
class Item:
    """One fact, goal or commitment as listed: where it is in the file, and its text."""

    kind: Kind
    index: int  # 0-based, in the file's list of its kind
    text: str

    @property
    def label(self) -> str:
        return f"{self.kind[0]}{self.index + 1}"


def _row(label: str, mark: Text | str, text: Text) -> Hanging:
    """`f1 ☐ text · dates`, its wrapped lines under the text."""
    return Hanging().add(text, marker=Text.assemble((f"{label} ", "dim"), mark))


def _fact_row(fact: Fact, label: str, hidden: bool) -> Hanging:
    text = Text(HIDDEN if hidden else one_line(fact.text))
    text.append(f" · learned {day(fact.learned)}" if fact.learned else " · date not known", style="dim")
    return _row(label, "", text)


GOAL_MARKS = {Status.OPEN: ("☐", ""), Status.REACHED: ("✓", "green"), Status.DROPPED: ("✗", "dim")}


def _goal_row(goal: Goal, label: str, hidden: bool) -> Hanging:
    mark, style = GOAL_MARKS.get(goal.status, ("☐", ""))
    text = Text(HIDDEN if hidden else one_line(goal.text))
    if goal.status is Status.OPEN:
        text.append(f" · since {day(goal.added)}" if goal.added else "", style="dim")
    else:
        when = f" {day(goal.closed)}" if goal.closed else ""
        text.append(f" · {goal.status.value}{when}", style=style or "dim")
    return _row(label, Text(f"{mark} ", style), text)


def _commitment_row(item: Commitment, label: str, hidden: bool, today: date) -> Hanging:
    text = Text(HIDDEN if hidden else one_line(item.text))
    if item.due:
        late = item.overdue(today)
        text.append(f" · due {day(item.due)}" + (" (overdue)" if late else ""), style="bold yellow" if late else "dim")
    status = item.status.value + (f" {day(item.closed)}" if item.closed and item.status is not Status.OPEN else "")
    text.append(f" · {status}", style="green" if item.status is Status.DONE else "dim")
    text.append(f" · made {day(item.made)}" if item.made else "", style="dim")
    return _row(label, Text(f"[{item.owner.value}] ", "bold"), text)


def counts(record: PartnerRecord) -> str:
    """`2 facts · 1 open goal, 1 reached · 3 commitments, 1 open`."""
    reached = sum(g.status is Status.REACHED for g in record.goals)
    goals = plural(len(record.open_goals()), "open goal") + (f", {reached} reached" if reached else "")
    commitments = plural(len(record.commitments), "commitment")
    if record.commitments:
        commitments += f", {len(record.open_commitments())} open"
    return f"{plural(len(record.facts), 'fact')} · {goals} · {commitments}"


def _heading(title: str) -> Option:
    return Option(Text(title, style="bold underline"), disabled=True)


def _none(text: str) -> Option:
    return Option(Text(f"  {text}", style="dim italic"), disabled=True)


class RecordList(OptionList):
    """Facts (file order), goals (open first) and commitments (open first), under headings."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.items: dict[str, Item] = {}

    def show(self, record: PartnerRecord | None, today: date, hidden: bool) -> None:
        """List `record` (None: nothing could be read), keeping the highlight on the same label."""
        before = self.highlighted_item
        self.items = {}
        options: list[Option] = []
        facts = record.facts if record else []
        options.append(_heading("Facts"))
        for n, fact in enumerate(facts):
            options.append(self._add(Item("fact", n, fact.text), _fact_row(fact, f"f{n + 1}", hidden)))
        if not facts:
            options.append(_none("none yet"))
        goals = sorted(enumerate(record.goals if record else []), key=lambda pair: pair[1].status is not Status.OPEN)
        options.append(_heading("Goals"))
        for n, goal in goals:
            options.append(self._add(Item("goal", n, goal.text), _goal_row(goal, f"g{n + 1}", hidden)))
        if not goals:
            options.append(_none("none yet"))
        commitments = sorted(enumerate(record.commitments if record else []),
                             key=lambda pair: pair[1].status is not Status.OPEN)
        options.append(_heading("Commitments"))
        for n, item in commitments:
            options.append(self._add(Item("commitment", n, item.text),
                                     _commitment_row(item, f"c{n + 1}", hidden, today)))
        if not commitments:
            options.append(_none("none yet"))
        self.set_options(options)
        self.highlight(before.label if before is not None else None)

    def _add(self, item: Item, row: Hanging) -> Option:
        self.items[item.label] = item
        return Option(row, id=item.label)

    def highlight(self, label: str | None) -> None:
        """Highlight the item `label`, or the item that took its place, or the first one."""
        if not self.items:
            self.highlighted = None
            return
        if label is None or label not in self.items:
            kind = label[:1] if label else ""
            same_kind = [key for key in self.items if key.startswith(kind)] if kind else []
            wanted = int(label[1:]) if label and label[1:].isdigit() else 0
            label = next((k for k in same_kind if int(k[1:]) >= wanted), None) or (
                same_kind[-1] if same_kind else next(iter(self.items)))
        self.highlighted = self.get_option_index(label)

    @property
    def highlighted_item(self) -> Item | None:
        option = self.highlighted_option
        return self.items.get(option.id) if option is not None and option.id else None
