"""A meeting's outcome as the wrap-up shows it: a line of counts, then one item a line."""

from __future__ import annotations

from rich.text import Text

from coach.outcome import Outcome
from coach.text import one_line

NOTHING = "Nothing captured or reviewed. ctrl+r, ctrl+g and ctrl+o still work here."
LABELS = {"goals": "Goal", "commitments": "Commitment", "remembered": "Remembered", "done": "Done",
          "carried": "Carried over", "dropped": "Dropped", "goals_reached": "Goal reached",
          "goals_dropped": "Goal dropped"}
"""The label of each line, by the part of the outcome it shows (`coach.outcome.COUNT_KEYS`)."""


def outcome_text(outcome: Outcome) -> Text:
    """What the meeting captured and settled, one item a line under a line of its counts: the
    meeting's outcome, as the summary will keep it."""
    if outcome.empty:
        return Text(NOTHING, style="dim")
    text = Text(outcome.line() + "\n", style="bold")
    parts: dict[str, list[tuple[str, str]]] = {
        "goals": [(goal, "") for goal in outcome.goals],
        "commitments": [(p.text, f" ({p.owner.value}" + (f", by {p.due:%Y-%m-%d})" if p.due else ")"))
                        for p in outcome.commitments],
        "remembered": [(fact, "") for fact in outcome.remembered],
        "done": [(p.text, f" ({p.owner.value})") for p in outcome.done],
        "carried": [(p.text, f" ({p.owner.value})") for p in outcome.carried],
        "dropped": [(p.text, f" ({p.owner.value})") for p in outcome.dropped],
        "goals_reached": [(goal, "") for goal in outcome.goals_reached],
        "goals_dropped": [(goal, "") for goal in outcome.goals_dropped],
    }
    for key, items in parts.items():
        for item, extra in items:
            text.append(f"{LABELS[key]}: ", style="bold")
            text.append(f"{one_line(item)}{extra}\n")
    text.rstrip()
    return text
