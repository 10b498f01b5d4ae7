"""Fitting a template's phases to the time slot of a calendar event."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.model import PhasePlan, Template
from coach.prompts import load_library
from coach.slot_plan import fit_to, too_long

EXAMPLES = settings(max_examples=int(os.environ.get("COACH_EXAMPLES", "200")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def template_of(minutes: list[float]) -> Template:
    return Template("t", "T", tuple(PhasePlan(f"p{i}", f"Phase {i}", m, decks=("d",), purpose="why")
                                    for i, m in enumerate(minutes)))


def minutes_of(template: Template) -> list[float]:
    return [p.minutes for p in template.phases]


def test_the_standard_template_in_a_45_minute_slot():
    """5/15/10 scaled to 45 minutes is 7.5/22.5/15: the half minutes go to the longer phase."""
    standard = load_library().templates["standard"]
    assert minutes_of(standard) == [5, 15, 10]
    fitted = fit_to(standard, 45)
    assert minutes_of(fitted) == [7, 23, 15]
    assert fitted.planned_seconds == 45 * 60
    assert (fitted.id, fitted.title) == (standard.id, standard.title)
    assert [(p.id, p.title, p.decks, p.purpose) for p in fitted.phases] == \
        [(p.id, p.title, p.decks, p.purpose) for p in standard.phases]
    assert not too_long(standard, 45)


def test_a_slot_as_long_as_the_template_changes_nothing():
    assert minutes_of(fit_to(template_of([5, 15, 10]), 30)) == [5, 15, 10]


def test_a_slot_shorter_than_a_minute_a_phase_gives_each_a_minute():
    assert minutes_of(fit_to(template_of([5, 15, 10]), 2)) == [1, 1, 1]
    assert too_long(template_of([5, 15, 10]), 2)
    assert minutes_of(fit_to(template_of([5, 15, 10]), 0)) == [1, 1, 1]
    assert not too_long(template_of([5, 15, 10]), 3)


def test_a_short_phase_keeps_its_minute_and_the_others_share_the_rest():
    assert minutes_of(fit_to(template_of([1, 60, 30]), 10)) == [1, 6, 3]


def test_a_slot_of_odd_seconds_gives_them_to_the_longest_phase():
    """Joined late, 45 and a half minutes left: whole minutes, and the half to the longest phase."""
    fitted = fit_to(template_of([5, 15, 10]), 45.5)
    assert [round(p.seconds) for p in fitted.phases] == [7 * 60, 23 * 60 + 30, 15 * 60]
    assert round(fitted.planned_seconds) == 2730


phase_minutes = st.lists(st.one_of(st.just(0.0), st.floats(0.05, 240.0), st.integers(1, 120).map(float)),
                         min_size=1, max_size=8)
slot_minutes = st.one_of(st.integers(0, 600).map(float), st.integers(0, 600 * 60).map(lambda s: s / 60))


@EXAMPLES
@given(phase_minutes, slot_minutes)
def test_any_template_fits_any_slot(weights: list[float], slot: float):
    fitted = fit_to(template_of(weights), slot)
    seconds = [p.seconds for p in fitted.phases]
    slot_seconds = round(slot * 60)
    assert len(seconds) == len(weights)
    assert all(s >= 60 - 1e-9 for s in seconds), "never below a minute"
    odd = [s for s in seconds if abs(s - round(s / 60) * 60) > 1e-6]
    assert len(odd) <= 1, "whole minutes, but for one phase holding the odd seconds"
    assert all(abs(s - round(s)) < 1e-6 for s in seconds), "whole seconds"
    if slot_seconds >= 60 * len(weights):
        assert abs(sum(seconds) - slot_seconds) < 1e-6, "adds up to the slot"
        assert not too_long(template_of(weights), slot)
    else:
        assert all(abs(s - 60) < 1e-9 for s in seconds)
        assert too_long(template_of(weights), slot)
    for i, a in enumerate(weights):  # a longer phase is never given less
        for j, b in enumerate(weights):
            if a < b:
                assert seconds[i] <= seconds[j] + 1e-6
    total = sum(weights)
    shares = [w / total * slot_seconds for w in weights] if total > 0 else []
    if shares and all(share >= 60 for share in shares):  # no phase held at its minute: in proportion
        bound = 60 if slot_seconds % 60 == 0 else 120  # the odd seconds may add to a minute's rounding
        assert all(abs(s - share) < bound + 1e-6 for s, share in zip(seconds, shares, strict=True))
