"""Every `# type: ignore` in the shipped code says why, on the same line."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IGNORE = re.compile(r"#\s*type:\s*ignore(\[[^\]]*\])?(?P<rest>.*)$")


def test_every_type_ignore_gives_its_reason() -> None:
    unexplained = []
    for path in sorted([*ROOT.glob("coach/**/*.py"), *ROOT.glob("screens/**/*.py")]):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            found = IGNORE.search(line)
            if found and not re.match(r"\s*#\s*\S", found["rest"]):
                unexplained.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not unexplained, "a `# type: ignore` without `# why` after it:\n" + "\n".join(unexplained)


def test_the_check_itself_tells_a_reason_from_none() -> None:
    assert IGNORE.search("x = 1  # type: ignore[assignment]")["rest"] == ""
    assert re.match(r"\s*#\s*\S", IGNORE.search("x = 1  # type: ignore[misc]  # msgspec stubs")["rest"])
