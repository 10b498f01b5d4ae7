"""`--status-file`: the line last shown, private, rewritten only when it changes; one failure said once."""

from __future__ import annotations

import stat
from pathlib import Path

from coach.status_file import StatusFile, StatusFileFailed


def test_the_line_is_written_privately_and_only_when_it_changes(tmp_path: Path, umask_zero):
    path = tmp_path / "status"
    status = StatusFile(path)
    assert status.write("Goals 04:12") is None
    assert path.read_text(encoding="utf-8") == "Goals 04:12\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.unlink()
    assert status.write("Goals 04:12") is None
    assert not path.exists(), "the same line is not written again"
    status.write("Goals 04:11\x1b]2;x\x07\nnext")
    assert path.read_text(encoding="utf-8").count("\n") == 1, "one line, whatever the text holds"
    assert "\x1b" not in path.read_text(encoding="utf-8")


def test_a_failure_is_returned_once_then_no_more_tries(tmp_path: Path):
    status = StatusFile(tmp_path)  # a folder: it cannot be written as a file
    failed = status.write("Goals 04:12")
    assert isinstance(failed, StatusFileFailed) and failed.path == tmp_path and failed.error.errno
    assert status.path is None
    assert status.write("Goals 04:11") is None


def test_no_path_no_file(tmp_path: Path):
    assert StatusFile(None).write("Goals 04:12") is None
    assert list(tmp_path.iterdir()) == []
