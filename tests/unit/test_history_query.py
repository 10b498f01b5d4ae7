"""The search language of the History screen and `coach history --grep`: words, "a phrase",
prefix*; whatever is typed becomes a query SQLite accepts, and snippets show where words were found."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.history_index import COLUMNS, Index
from coach.history_query import TEXT_COLUMNS, Term, any_term, fts_expression, parse_query, searchable
from coach.history_snippet import END, MARK, fold, snippet
from tests.unit.test_readers import EXAMPLES

TYPED = st.text() | st.text(alphabet=st.sampled_from(list('"*:^()-+{}[]NEARO ANDnot\\\'\x00\x1b\ud800🙂李é')))
"""Anything at all, and text made of what FTS5 reads as syntax (and a lone surrogate: what an
undecodable command line gives)."""


def search_terms(typed: str, typing: bool = False) -> tuple:
    """What a search looks for in `typed`: the words of the History filter and of `--grep`."""
    return parse_query(typed, typing)[0].words



@pytest.mark.parametrize(("typed", "expression"), [
    ("lisbon", '"lisbon"'),
    ("Lisbon move", '"Lisbon" AND "move"'),
    ('"the design review"', '"the design review"'),
    ("lisb*", '"lisb"*'),
    ('say "hi', '"say" AND "hi"'),  # an unclosed phrase runs to the end
    ('O"Brien', '"O""Brien"'),  # a quote inside a word is part of it (FTS5 reads two words)
    ("NEAR(a b)", '"NEAR(a" AND "b)"'),
    ("a AND b OR c", '"a" AND "AND" AND "b" AND "OR" AND "c"'),
    ("col:lisbon {notes}", '"col:lisbon" AND "{notes}"'),
    ("- * ^", None),  # nothing that is a word
    ("\x00lisbon\x1b", '" lisbon "'),
])
def test_typed_text_becomes_quoted_strings(typed: str, expression: str | None) -> None:
    assert fts_expression(search_terms(typed)) == expression


def test_columns_and_any_term() -> None:
    terms = search_terms("porto ag*")
    assert fts_expression(terms, TEXT_COLUMNS) == '{notes reflection facts goals commitments} : ("porto" AND "ag"*)'
    assert any_term(terms, ("partner",)) == '{partner} : ("porto" OR "ag"*)'
    assert any_term(search_terms("- *"), ("partner",)) is None


def test_while_typing_the_last_word_is_a_prefix() -> None:
    assert search_terms("lisbon mar", typing=True) == (Term("lisbon"), Term("mar", prefix=True))
    assert search_terms("lisbon mar ", typing=True) == (Term("lisbon"), Term("mar"))
    assert search_terms('"number 1', typing=True) == (Term("number 1", prefix=True),)
    assert search_terms('"number 1"', typing=True) == (Term("number 1"),)
    assert search_terms("lisbon mar") == (Term("lisbon"), Term("mar"))


def test_what_counts_as_a_word() -> None:
    assert searchable("a") and searchable("李") and searchable("🙂") and searchable("é") and searchable("7")
    assert not searchable("-*^:()\"' \t") and not searchable("") and not searchable("✓")
    assert fold("Zoë") == "zoe" and fold("ÉCOLE") == "ecole" and fold("Straße") == "strasse"


@EXAMPLES
@given(TYPED)
def test_any_typed_text_is_a_query_fts5_accepts(typed: str) -> None:
    db = Index.in_memory().db
    db.execute(f"INSERT INTO texts (rowid, {', '.join(COLUMNS)}) VALUES (1, 'Ada', 'moving to Lisbon', '', '', '', '')")
    for terms in (search_terms(typed), search_terms(typed, typing=True), parse_query(typed)[0].words):
        for expression in (fts_expression(terms), fts_expression(terms, TEXT_COLUMNS),
                           any_term(terms, ("partner",)), any_term(terms, TEXT_COLUMNS)):
            if expression is not None:
                try:
                    db.execute("SELECT rowid FROM texts WHERE texts MATCH ?", (expression,)).fetchall()
                except sqlite3.OperationalError as error:  # pragma: no cover - the point of the test
                    raise AssertionError(f"{typed!r} → {expression!r}: {error}") from None
        found = snippet(("moving to Lisbon",), terms)
        assert found is None or (MARK in found and END in found)


@pytest.mark.parametrize(("texts", "typed", "expected"), [
    (("moving to Lisbon soon",), "lisbon", f"moving to {MARK}Lisbon{END} soon"),
    (("moving to Lisbon soon",), "lisb*", f"moving to {MARK}Lisbon{END} soon"),
    (("café au lait",), "CAFE", f"{MARK}café{END} au lait"),
    (("the number 17 bus",), '"number 17"', f"the {MARK}number 17{END} bus"),
    (("the number 170 bus",), '"number 17"', None),
    (("", "nothing here", "but Lisbon here"), "lisbon", f"but {MARK}Lisbon{END} here"),
    (("Lisbon once", "Lisbon and Lisbon"), "lisbon", f"{MARK}Lisbon{END} once"),  # the first text that has one
    (("lisbonne, then Lisbon and Lisbon",), "lisbon", f"lisbonne, then {MARK}Lisbon{END} and {MARK}Lisbon{END}"),
    ((" ".join(f"w{n}" for n in range(40)) + " Lisbon " + " ".join(f"v{n}" for n in range(40)),), "lisbon",
     f"…w38 w39 {MARK}Lisbon{END} v0 v1 v2 v3 v4 v5 v6 v7 v8…"),
    (("Zoë and Zoe met at the café",), "zoe cafe", f"{MARK}Zoë{END} and {MARK}Zoe{END} met at the {MARK}café{END}"),
    (("a_lisbon b-lisbon",), "lisbon", f"a_{MARK}lisbon{END} b-{MARK}lisbon{END}"),  # _ parts words, as in SQLite
    (("moving\nto Lisbon\n\n  soon",), "lisbon", f"moving · to {MARK}Lisbon{END} · soon"),
    (("李雷 said hi",), "李*", f"{MARK}李雷{END} said hi"),
])
def test_snippets_mark_each_match(texts: tuple[str, ...], typed: str, expected: str | None) -> None:
    assert snippet(texts, search_terms(typed)) == expected
