"""The wheel: built-in prompts, screens and styles ship inside it, and the console script is declared.

Slow-ish: building the wheel takes a few seconds (once for the whole module). It is built offline
with the hatchling from the test extra, no build isolation, no index.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

BUILTIN_PROMPTS = [
    "coach/prompts/templates/standard.toml",
    "coach/prompts/templates/first-meeting.toml",
    "coach/prompts/decks/chit-chat.toml",
    "coach/prompts/decks/goals.toml",
    "coach/prompts/decks/commitments.toml",
]

# Run with only the unpacked wheel importable, from a folder that is not the checkout.
FROM_THE_WHEEL = """
import json, sys
from pathlib import Path
import coach
from coach.prompts import builtin_dir, load_library
library = load_library()
print(json.dumps({
    "coach": str(Path(coach.__file__).resolve()),
    "builtin_dir": str(builtin_dir().resolve()),
    "templates": {t.id: [str(t.path), t.builtin] for t in library.templates.values()},
    "decks": {d.id: [str(d.path), d.builtin] for d in library.decks.values()},
    "problems": [str(p) for p in library.problems],
    "textual": "textual" in sys.modules,
}))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel from the checkout, once for this module."""
    if importlib.util.find_spec("hatchling") is None:
        pytest.skip("hatchling is not installed (it comes with the `test` extra): cannot build the wheel offline")
    readme = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"].get("readme")
    if isinstance(readme, str) and not (REPO_ROOT / readme).is_file():
        pytest.fail(f"pyproject.toml names {readme} as the readme, but it does not exist: "
                    "no wheel (and no `pip install .`) can be built")
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "--disable-pip-version-check", "-w", str(out), str(REPO_ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, f"pip wheel failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    [built] = out.glob("coach-*.whl")
    return built


@pytest.fixture(scope="module")
def names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


@pytest.fixture(scope="module")
def unpacked(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target.resolve()


def dist_info(names: set[str], wheel: Path, file: str) -> str:
    [path] = [n for n in names if n.endswith(f".dist-info/{file}") and n.count("/") == 1]
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(path).decode("utf-8")


def run_outside_checkout(unpacked: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run python with only the unpacked wheel on the path (the checkout is not the cwd)."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    env = dict(os.environ)
    env.update(PYTHONPATH=str(unpacked), COACH_CONFIG_DIR=str(tmp_path / "config"),
               COACH_DATA_DIR=str(tmp_path / "data"), PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, *args], cwd=elsewhere, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def test_the_wheel_holds_the_builtin_prompts(names: set[str]) -> None:
    for path in BUILTIN_PROMPTS:
        assert path in names
    in_checkout = {f"coach/{p.relative_to(REPO_ROOT).as_posix()}" for p in (REPO_ROOT / "prompts").rglob("*.toml")}
    assert in_checkout <= names, "every built-in deck and template ships"


def test_the_wheel_holds_the_screens_and_their_styles(names: set[str]) -> None:
    assert "screens/meeting.py" in names
    assert "screens/meeting.tcss" in names
    in_checkout = {p.relative_to(REPO_ROOT).as_posix() for suffix in ("*.py", "*.tcss")
                   for p in (REPO_ROOT / "screens").rglob(suffix) if "__pycache__" not in p.parts}
    assert in_checkout <= names, f"missing: {sorted(in_checkout - names)}"


def test_the_wheel_holds_the_package_and_nothing_from_outside_it(names: set[str]) -> None:
    assert {"coach/__init__.py", "coach/__main__.py", "coach/prompts.py", "coach/app.py"} <= names
    assert not [n for n in names if n.startswith(("tests/", "prompts/")) or "__pycache__" in n]


def test_the_wheel_declares_the_coach_console_script(names: set[str], wheel: Path) -> None:
    entry_points = dist_info(names, wheel, "entry_points.txt")

    section = entry_points.split("[console_scripts]", 1)[1].split("[", 1)[0]
    scripts = {k.strip(): v.strip() for k, v in (line.split("=", 1) for line in section.splitlines() if "=" in line)}
    assert scripts == {"coach": "coach.__main__:main"}


def test_the_wheel_version_is_the_package_version(names: set[str], wheel: Path, unpacked: Path,
                                                  tmp_path: Path) -> None:
    metadata = dist_info(names, wheel, "METADATA")
    [version] = [line.split(":", 1)[1].strip() for line in metadata.splitlines() if line.startswith("Version:")]

    result = run_outside_checkout(unpacked, tmp_path, "-m", "coach", "--version")

    assert result.returncode == 0, result.stderr
    assert result.stdout == f"coach {version}\n"


def test_the_unpacked_wheel_finds_its_own_prompts(unpacked: Path, tmp_path: Path) -> None:
    result = run_outside_checkout(unpacked, tmp_path, "-c", FROM_THE_WHEEL)

    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert Path(found["coach"]).is_relative_to(unpacked), "the checkout was imported, not the wheel"
    assert Path(found["builtin_dir"]) == unpacked / "coach" / "prompts"
    assert found["problems"] == []
    assert not found["textual"]
    for template_id in ("standard", "first-meeting"):
        path, builtin = found["templates"][template_id]
        assert builtin
        assert Path(path).resolve().is_relative_to(unpacked)
    for deck_id in ("chit-chat", "goals", "commitments"):
        path, builtin = found["decks"][deck_id]
        assert builtin
        assert Path(path).resolve().is_relative_to(unpacked)


def test_the_unpacked_wheel_lists_templates_from_anywhere(unpacked: Path, tmp_path: Path) -> None:
    result = run_outside_checkout(unpacked, tmp_path, "-m", "coach", "templates", "list")

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines()}
    assert "built-in" in rows["standard"]
    assert Path(rows["standard"][-1]).resolve() == unpacked / "coach" / "prompts" / "templates" / "standard.toml"
