"""The shape of the code, checked: the domain never reaches for Textual or the screens, and the
screens talk to the app through messages and a typed `app`, never by probing it."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOMAIN = sorted(p for p in (REPO / "coach").rglob("*.py") if p.name != "app.py")
SCREENS = sorted((REPO / "screens").rglob("*.py"))
UI_PACKAGES = ("textual", "screens")


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Every module an import statement names, at any depth (inside functions and branches too),
    and every `importlib.import_module("…")` / `__import__("…")` given a literal name."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)
              and ((isinstance(node.func, ast.Name) and node.func.id == "__import__")
                   or (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module"))):
            yield node.lineno, node.args[0].value


def is_ui(module: str) -> bool:
    return any(module == package or module.startswith(f"{package}.") for package in UI_PACKAGES)


def test_the_walk_finds_imports_inside_functions():
    tree = ast.parse("def f():\n    if True:\n        from screens.busy import BusyScreen\n"
                     "    import textual.app\n    importlib.import_module('textual.widgets')\n")
    assert sorted(m for _, m in imported(tree) if is_ui(m)) == ["screens.busy", "textual.app", "textual.widgets"]


@pytest.mark.parametrize("path", DOMAIN, ids=module_name)
def test_no_domain_module_imports_textual_or_the_screens_at_any_depth(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = [f"{path.relative_to(REPO)}:{line}: imports {module}" for line, module in imported(tree) if is_ui(module)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("module", [module_name(p) for p in DOMAIN])
def test_importing_a_domain_module_loads_no_textual(module: str):
    code = ("import importlib, json, sys\n"
            f"importlib.import_module({module!r})\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'screens'))))")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == [], f"importing {module} loads the UI"


def probes(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """`hasattr(x, …)` on anything, and `getattr(….app, …)` / `getattr(….screen, …)`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
            target = node.args[0]
            if node.func.id == "hasattr":
                yield node.lineno, "hasattr"
            elif node.func.id == "getattr" and isinstance(target, ast.Attribute) and target.attr in ("app", "screen"):
                yield node.lineno, f"getattr(….{target.attr}, …)"


@pytest.mark.parametrize("path", [*SCREENS, REPO / "coach" / "app.py"], ids=module_name)
def test_screens_and_the_app_never_probe_each_other(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = [f"{path.relative_to(REPO)}:{line}: {what}" for line, what in probes(tree)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("path", SCREENS, ids=module_name)
def test_a_command_is_declared_once(path: Path):
    """Palette entries come from `ACTIONS` (see screens/commands.py): no second list beside the keys."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    second = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Assign)
              for target in node.targets if isinstance(target, ast.Name) and target.id == "PALETTE"]
    assert not second, f"{path.relative_to(REPO)}:{second[0]}: PALETTE; list the command in ACTIONS instead"


def test_every_command_screen_binds_the_keys_of_its_actions():
    import importlib

    from screens.commands import CommandScreen, bindings

    def subclasses(cls: type) -> Iterator[type[CommandScreen]]:
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    for path in SCREENS:
        importlib.import_module(module_name(path))
    declared = [screen for screen in subclasses(CommandScreen) if "ACTIONS" in screen.__dict__]
    assert len(declared) >= 6, "the screens with commands were found"
    for screen in declared:
        assert screen.__dict__.get("BINDINGS") == bindings(screen.ACTIONS), screen.__name__


def test_a_screens_css_styles_no_id_another_screen_uses_without_naming_its_screen() -> None:
    """A screen's CSS file applies to the whole app once loaded: `#trends` in history.tcss moved
    prep's trends after a visit to History, `#start` in the welcome's moved prep's button. A rule
    for an id more than one screen uses names its screen (`HistoryScreen #trends`)."""
    import re as regex

    uses: dict[str, set[str]] = {}
    sheet_of: dict[str, str] = {}  # module -> the CSS file it loads
    for path in [*(REPO / "screens").glob("*.py"), *(REPO / "screens" / "widgets").glob("*.py")]:
        source = path.read_text(encoding="utf-8")
        if found_sheet := regex.search(r"""CSS_PATH = ["']([\w.]+)["']""", source):
            sheet_of[path.stem] = found_sheet[1]
        for found in regex.finditer(r"""\bid=["']([\w-]+)["']""", source):
            uses.setdefault(found[1], set()).add(path.stem)
    leaks = []
    for sheet in (REPO / "screens").glob("*.tcss"):
        for number, text in enumerate(sheet.read_text(encoding="utf-8").splitlines(), start=1):
            bare = regex.match(r"#([\w-]+)\b", text)
            users = uses.get(bare[1], set()) if bare else set()
            if len(users) > 1 and any(sheet_of.get(user) != sheet.name for user in users):
                leaks.append(f"{sheet.name}:{number}: {text.strip()} (used in {sorted(users)})")
    assert not leaks, "\n".join(leaks)
