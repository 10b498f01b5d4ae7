"""One name matcher for every command that takes a partner's name."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from coach.names import find_partners

NAMES = ["Zoë O'Brien", "Ada Lovelace", "Ada Byron", "🙂", "Grace Hopper"]


def test_case_accents_and_the_start_of_words() -> None:
    for typed in ("zoe", "ZOE", "Zoë", "zo", "o'brien", "brien", "zoe o", "  Zoë   O'Brien  "):
        assert find_partners(typed, NAMES) == ["Zoë O'Brien"], typed
    assert find_partners("ada", NAMES) == ["Ada Lovelace", "Ada Byron"]
    assert find_partners("ada l", NAMES) == ["Ada Lovelace"]
    assert find_partners("🙂", NAMES) == ["🙂"], "a name of emoji alone is found whole"
    assert find_partners("🙂", ["Bo 🙂", "Al"]) == ["Bo 🙂"], "an emoji is a word of its own"
    assert find_partners("obrien", NAMES) == [], "a typed word starts a word of the name"
    assert find_partners("", NAMES) == [] and find_partners("   ", NAMES) == []


def test_a_name_typed_whole_wins_over_the_names_it_starts() -> None:
    assert find_partners("Ada", ["Ada", "Ada Lovelace"]) == ["Ada"]
    assert find_partners("ada", ["Ada", "Ada Lovelace"]) == ["Ada"]


names = st.lists(st.text(min_size=1, max_size=12).map(lambda s: " ".join(s.split())).filter(bool),
                 max_size=6, unique=True)


@given(names, st.text(max_size=14))
def test_what_is_found_is_always_among_the_names(known: list[str], typed: str) -> None:
    assert set(find_partners(typed, known)) <= set(known)


@given(names)
def test_every_name_typed_as_it_is_finds_itself_alone(known: list[str]) -> None:
    for name in known:
        assert find_partners(name, known) == [name]


def test_a_word_typed_whole_wins_over_the_names_it_only_starts() -> None:
    names = ["Zoey", "Zoë O'Brien", "Zoltan"]
    assert find_partners("zoe", names) == ["Zoë O'Brien"]
    assert find_partners("Zoë", names) == ["Zoë O'Brien"]
    assert find_partners("zo", names) == names
    assert find_partners("zoey", names) == ["Zoey"]
    assert find_partners("zoe o", names) == ["Zoë O'Brien"]
