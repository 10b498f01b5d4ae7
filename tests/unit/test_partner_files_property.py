"""Property tests for what partner editing adds to the files coach reads: the `former_names` key of
a partner file, and the files in `partners/deleted/` (any bytes there: a name, or nothing, never a
crash)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach import records
from coach.history import MeetingHeader
from coach.model import PartnerRecord
from coach.partners import as_current, current_names, deleted_names, known_partners
from coach.store import normalize_name
from tests.unit.test_readers import (
    EXAMPLES,
    HOSTILE_VALUES,
    PATH,
    START,
    anything,
    names,
    partner_records,
    read_or_refuse,
    replacement,
)


@st.composite
def renamed_records(draw) -> PartnerRecord:
    record = draw(partner_records())
    record.former_names = draw(st.lists(names, max_size=3))
    return record


@EXAMPLES
@given(renamed_records())
def test_a_partner_file_with_former_names_reads_back_the_same(record: PartnerRecord) -> None:
    assert records.parse(PartnerRecord, PATH, records.encode(record, empty_lists=False)) == record


@EXAMPLES
@given(renamed_records(), replacement | st.sampled_from(
    ['["a\\u001bb"]', '[""]', '[" "]', '["a", 1]', *HOSTILE_VALUES]))
def test_any_former_names_value_is_a_record_or_a_positioned_problem(record: PartnerRecord, value: str) -> None:
    record.former_names = ["placeholder"]
    text = records.encode(record, empty_lists=False).replace('former_names = [\n    "placeholder",\n]',
                                                              f"former_names = {value}")
    text = text.replace('former_names = ["placeholder"]', f"former_names = {value}")
    assert "placeholder" not in text
    read = read_or_refuse(PartnerRecord, text)
    assert read is None or all(isinstance(n, str) and n.strip() for n in read.former_names)


def _fresh(folder: Path) -> None:
    """(The folders are emptied for each example: the fixture that makes them runs once a test.)"""
    for path in folder.glob("*.toml"):
        path.unlink()


@settings(EXAMPLES, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.binary(max_size=200) | renamed_records().map(
    lambda r: records.encode(r, empty_lists=False).encode()) | anything.map(
    lambda s: f'name = "{s}"'.encode()), max_size=3))
def test_any_files_set_aside_or_renamed_give_names_or_nothing(coach_dirs, files: list[bytes]) -> None:
    """Whatever the files in `partners/deleted/` and `partners/` hold, the deleted names, the former
    names and the partner list are read without a crash."""
    data = coach_dirs[1]
    for folder in (data / "partners", data / "partners" / "deleted"):
        folder.mkdir(parents=True, exist_ok=True)
        _fresh(folder)
        for i, raw in enumerate(files):
            (folder / f"p{i}.toml").write_bytes(raw)
    gone = deleted_names()
    assert all(isinstance(n, str) and n == normalize_name(n) for n in gone)
    mapping = current_names()
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in mapping.items())
    header = MeetingHeader("m1", "Zo", "zo", START, START, "f")
    assert [h.id for h in as_current([header])] == ["m1"]
    known, _problems = known_partners()
    assert len({p.name for p in known}) == len(known)
