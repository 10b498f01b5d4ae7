"""Planning a meeting to the time slot in the user's calendar.

A template's phases are scaled in proportion to the event's length, so that a meeting started on
time ends with the event: a 5/15/10 template in a 45-minute slot is 7.5/22.5/15 minutes, rounded
to whole minutes (7/23/15) that add up to the slot (joined 30 s late, the longest has 22:30). No
phase goes below a minute; a slot too short for that gives every phase its minute, and the plan is
longer than the slot (`too_long`).
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction

from coach.model import Template

MIN_PHASE_SECONDS = 60
"""No phase of a fitted plan is shorter than this."""


def fit_to(template: Template, minutes: float) -> Template:
    """`template` with its phases scaled to last `minutes` in all (see the module's docstring).

    Phases are whole minutes; the leftover of the rounding goes to the phases that lost the most
    to it (the longer, then the earlier, first among equals). A slot of odd seconds (joined late)
    gives those seconds to the longest phase, so the others still read as whole minutes."""
    phases = template.phases
    if not phases:
        return template
    total = max(0, round(minutes * 60))
    weights = [Fraction(p.minutes) for p in phases]
    seconds = [n * 60 for n in _apportion(weights, total // 60, MIN_PHASE_SECONDS // 60)]
    if total >= MIN_PHASE_SECONDS * len(phases) and total % 60:  # the odd seconds: all to the longest phase
        seconds[max(range(len(phases)), key=lambda i: (weights[i], -i))] += total % 60
    fitted = tuple(dataclasses.replace(p, minutes=s / 60) for p, s in zip(phases, seconds, strict=True))
    return dataclasses.replace(template, phases=fitted)


def too_long(template: Template, minutes: float) -> bool:
    """Whether `template`, fitted to `minutes`, still lasts longer than that (the slot is too short
    for a minute a phase)."""
    return max(0, round(minutes * 60)) < MIN_PHASE_SECONDS * len(template.phases)


def _apportion(weights: list[Fraction], units: int, floor: int) -> list[int]:
    """`units` shared out in proportion to `weights`, each share a whole number and at least
    `floor`, adding up to `units` (to more only when `units` cannot give each its floor).

    Shares whose proportion falls below the floor get the floor, and the others share the rest in
    proportion again (repeated until none falls below it); then each takes the whole part of its
    proportion, and the units left go one each to the largest remainders (largest remainder method)."""
    count = len(weights)
    if units <= floor * count:
        return [floor] * count
    if sum(weights) <= 0:  # no lengths to go by: equal shares
        weights = [Fraction(1)] * count
    fixed: set[int] = set()
    while True:
        free = [i for i in range(count) if i not in fixed]
        left = units - floor * len(fixed)
        weight = sum((weights[i] for i in free), Fraction(0))
        ideal = {i: (weights[i] * left / weight if weight > 0 else Fraction(left, len(free))) for i in free}
        below = {i for i in free if ideal[i] < floor}
        if not below:
            break
        fixed |= below
    shares = [floor] * count
    for i in free:
        shares[i] = int(ideal[i])  # ideal >= floor >= 0: int() is the floor
    rest = units - sum(shares)
    for i in sorted(free, key=lambda i: (-(ideal[i] - int(ideal[i])), -weights[i], i))[:rest]:
        shares[i] += 1
    return shares
