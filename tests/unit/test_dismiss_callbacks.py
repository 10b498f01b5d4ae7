"""No screen hands `dismiss()`'s awaitable back to Textual.

A result callback (or `call_later` target) that returns `self.dismiss(...)` is awaited in the
screen's own message loop, which Textual refuses with a ScreenError that ends the app: that is
how Discard in the resume offer crashed. `dismiss` is called as a statement, never returned.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _returned_dismissals(source: str, name: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, name)):
        returned = node.body if isinstance(node, ast.Lambda) else node.value if isinstance(node, ast.Return) else None
        if returned is None:
            continue
        for inner in ast.walk(returned):
            if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute) and inner.func.attr == "dismiss":
                found.append(f"{name}:{inner.lineno}")
    return found


def test_no_callback_returns_a_dismissal() -> None:
    files = [*sorted((ROOT / "screens").rglob("*.py")), ROOT / "coach" / "app.py"]
    found = [where for path in files
             for where in _returned_dismissals(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))]
    assert not found, f"dismiss() returned (awaited in the screen's own loop): {found}"


def test_the_check_finds_a_returned_dismissal() -> None:
    assert _returned_dismissals("f = lambda yes: self.dismiss(1) if yes else None\n", "a.py") == ["a.py:1"]
    assert _returned_dismissals("def f(self):\n    return self.dismiss()\n", "b.py") == ["b.py:2"]
    assert _returned_dismissals("def f(self):\n    self.dismiss()\n", "c.py") == []
