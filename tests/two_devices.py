"""The bar of issue 17 as a scene: two devices (two state folders) over copies of one data folder,
each holding a meeting with the same partner, then joined the way a sync engine joins them.

`python -m tests.two_devices meet NAME DAYS_AGO SUFFIX '{"facts": […], "commitments": […], "done": […]}'`
saves a meeting the way the app does (the summary, then `coach.partners.remember_meeting`) in the
data folder of its environment; `done` are texts of open commitments its review marks done.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

PARTNER = "Ada Lovelace"
REPO_ROOT = Path(__file__).resolve().parents[1]

# Copy names as each engine writes them, for a file called `<stem>.toml`.
COPY_NAMES = {
    "Syncthing": "{stem}.sync-conflict-20261130-141503-ABCDEF7.toml",
    "Dropbox": "{stem} (Laptop's conflicted copy 2026-11-30).toml",
    "Nextcloud": "{stem} (conflicted copy 2026-11-30 141503).toml",
}


def meet(name: str, days_ago: int, suffix: str, facts: list[str], commitments: list[str], done: list[str]) -> None:
    from coach import partners, summaries
    from coach.model import Capture, CaptureKind, PartnerRecord, PhaseRecord, Review, Status, Summary, notes_of
    from coach.problems import ProblemsError
    from coach.store import slugify

    try:
        record = partners.load_record(name)
    except ProblemsError:  # as prep does: a file that cannot be read shows nothing to review
        record = PartnerRecord(name=name)
    started = (datetime.now().astimezone() - timedelta(days=days_ago)).replace(microsecond=0)
    captures = ([Capture(CaptureKind.FACT, text) for text in facts]
                + [Capture(CaptureKind.COMMITMENT, text) for text in commitments])
    reviewed = [Review(CaptureKind.COMMITMENT, c.id, c.text, Status.DONE, c.owner, c.made_in)
                for c in record.commitments if c.text in done and c.status is Status.OPEN]
    assert len(reviewed) == len(done), f"no open commitment {done!r} in {name}'s file"
    summary = Summary(id=f"{started:%Y-%m-%d-%H%M}-{slugify(name)}-{suffix}", partner=name, template="standard",
                      started=started, ended=started + timedelta(minutes=30), reviewed=reviewed,
                      phases=[PhaseRecord(id="chit-chat", title="Chit-chat", planned_seconds=300.0,
                                          actual_seconds=310.0)],
                      **notes_of(captures))
    summaries.save(summary)
    partners.remember_meeting(summary)


def device_env(root: Path, device: str) -> dict[str, str]:
    """The environment of `coach` on one device: the data folder it syncs, its own state and cache."""
    env = dict(os.environ)
    env.update(COACH_DATA_DIR=str(root / device / "data"), COACH_STATE_DIR=str(root / device / "state"),
               COACH_CACHE_DIR=str(root / device / "cache"), COACH_CONFIG_DIR=str(root / "config"),
               PYTHONIOENCODING="utf-8")
    return env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, *args], cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return result


def hold(env: dict[str, str], days_ago: int, suffix: str, **notes: list[str]) -> None:
    notes = {"facts": [], "commitments": [], "done": [], **notes}
    run(env, "-m", "tests.two_devices", "meet", PARTNER, str(days_ago), suffix, json.dumps(notes))


def two_devices(root: Path, engine: str) -> Path:
    """The scene, up to the join; returns device 1's data folder, holding device 2's summaries and
    its partner file as `engine`'s conflict copy.

    Before: Ada's file holds a fact (`has a cat`) and an open commitment (`send the paper`).
    Device 1 meets her: `moving to Lisbon`, `intro to Bob`, and `send the paper` is done.
    Device 2 meets her: `runs a 10k`, `read the draft`; then `has a cat` is forgotten."""
    first, second = device_env(root, "laptop"), device_env(root, "desktop")
    hold(first, 10, "aaaaaa", facts=["has a cat"], commitments=["send the paper"])
    shutil.copytree(root / "laptop" / "data", root / "desktop" / "data")  # synced
    hold(first, 2, "bbbbbb", facts=["moving to Lisbon"], commitments=["intro to Bob"], done=["send the paper"])
    hold(second, 1, "cccccc", facts=["runs a 10k"], commitments=["read the draft"])
    run(second, "-m", "coach", "partners", "forget", PARTNER, "cat")
    data, other = root / "laptop" / "data", root / "desktop" / "data"
    for summary in (other / "sessions").rglob("*"):  # one file per meeting: never a conflict
        target = data / summary.relative_to(other)
        if summary.is_file() and not target.exists():
            shutil.copy2(summary, target)
    (partner_file,) = (other / "partners").glob("*.toml")
    shutil.copy2(partner_file, data / "partners" / COPY_NAMES[engine].format(stem=partner_file.stem))
    return data


def check_joined(data: Path, engine: str) -> None:
    """After the merge: both meetings' facts and commitments, the done status, not the forgotten
    fact; the copy in conflicts/ and nothing left beside the partner file."""
    import tomllib

    (path,) = (data / "partners").glob("*.toml")
    record = tomllib.loads(path.read_text(encoding="utf-8"))
    assert sorted(f["text"] for f in record["facts"]) == ["moving to Lisbon", "runs a 10k"]
    commitments = {c["text"]: c["status"] for c in record["commitments"]}
    assert commitments == {"send the paper": "done", "intro to Bob": "open", "read the draft": "open"}
    assert len(record["meetings"]) == 3
    assert [p.name for p in (data / "conflicts").iterdir()] == [COPY_NAMES[engine].format(stem=path.stem)]


if __name__ == "__main__":
    _command, partner, days, suffix, notes = sys.argv[1:]
    meet(partner, int(days), suffix, **json.loads(notes))
