"""`coach doctor`: what is wrong in the data folder (conflict copies, git conflict markers, files that
cannot be read, meetings kept twice, an older coach's files), one `PATH:LINE:COL: message` a line;
`--fix` merges conflict copies and moves them aside first, saying each thing it did.

Exit status: 0 when nothing is wrong (after `--fix`: nothing it could not fix), 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys

from coach.text import plural


def add_doctor(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "doctor", help="find conflict copies and files that cannot be read in the data folder",
        description="Look at the data folder for what a folder sync (Syncthing, Dropbox, Nextcloud, iCloud) "
        "or a git merge can leave behind: conflict copies of partner files and summaries, git conflict markers, "
        "files that cannot be read, meetings kept in two versions, and files an older coach kept there. "
        "Exits 1 when it finds anything.")
    command.add_argument("--fix", action="store_true",
                         help="merge conflict copies of partner files into them and move the copies to "
                         "conflicts/ in the data folder (never deleted); keep both versions of a summary")
    command.set_defaults(run=lambda args: run_doctor(args.fix))


def run_doctor(fix: bool) -> int:
    from coach.doctor import examine
    from coach.store import data_dir

    failed = []
    if fix:
        from coach.conflict_fix import tidy
        from coach.device import move_device_files
        from coach.lock import AlreadyRunning, DataLock

        for notice in move_device_files():  # an older coach's files, as the app moves them when it starts
            print(notice.message, file=sys.stderr if notice.warning else sys.stdout)
        lock = DataLock()
        try:  # never beside the app: it may be writing the very partner file being merged
            lock.acquire()
        except AlreadyRunning as error:
            print(f"{error}: quit it, then run `coach doctor --fix` again (it merges at its start too)",
                  file=sys.stderr)
            return 1
        except OSError as error:
            print(f"could not lock {lock.path} ({error.strerror or error}): fixing anyway", file=sys.stderr)
        try:
            tidied = tidy()
        finally:
            lock.release()
        for done in tidied.done:
            for line in done.lines():
                print(line)
        failed = tidied.problems
    findings = examine(fixed=fix)
    found = findings.all()
    left = list({(p.path, p.line, p.message[:20]): p for p in reversed([*failed, *found])}.values())[::-1]  # no twice
    for problem in left:
        print(problem)
    if not left:
        print(f"{data_dir()}: nothing wrong", file=sys.stderr)
        return 0
    hint = "" if fix or not findings.copies else "; `coach doctor --fix` merges conflict copies and moves them aside"
    print(f"{data_dir()}: {plural(len(left), 'thing')} to look at{hint}", file=sys.stderr)
    return 1
