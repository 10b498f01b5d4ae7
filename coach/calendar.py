"""Who's next: the user's upcoming meetings with their partners, from local `.ics` files.

coach never goes online: calendars reach the disk through vdirsyncer (CalDAV, Google: a folder of
calendars, each a folder of `.ics` files), a calendar app's export or subscription. `calendar` in
config.toml names the files or folders, `me` the user's addresses (see `coach.calendar_read` for
the reading itself).

An event is a meeting with a partner when one of its attendees' e-mails is in the partner's
`emails`, or when its title holds the partner's whole name or one of their `calendar` words, as
whole words in any case and accent ("1:1 zoe o'brien" is Zoë O'Brien's; "1:1 Zoë" is not, unless
"Zoë" is one of her `calendar` words). An e-mail wins over a title; in a title, the longest name
found wins. An event matching nobody in which the user meets exactly one other person is offered
as a new partner. Cancelled events, those the user declined, all-day events and those the user is
alone in (unless the title names a partner) are not meetings.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from coach.calendar_read import Event, Person, files_in, read_events
from coach.config import Config, config_path, load_config
from coach.model import PartnerRecord
from coach.names import name_words as words_of
from coach.problems import Problem, locate


@dataclass(frozen=True)
class Slot:
    """One upcoming meeting from the user's calendar."""

    start: datetime  # aware
    end: datetime  # aware
    title: str  # SUMMARY, as in the file (callers make it safe for the terminal)
    partner: str | None  # the matched partner's name (as in their partner file), None when unmatched
    suggested: str | None  # for an unmatched 1:1: a name for a new partner (CN, else the e-mail's local part)
    attendees: tuple[str, ...]  # e-mail addresses (lower-cased), the user's own left out
    source: Path  # the .ics file it came from

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60


def upcoming(now: datetime, within: timedelta, config: Config | None = None,
             partners: Sequence[PartnerRecord] | None = None) -> tuple[list[Slot], list[Problem]]:
    """Meetings that have not ended at `now` and start before `now + within`, soonest first:
    those matching a partner, and unmatched 1:1s (with `suggested`). Every problem with a
    calendar file is returned (PATH:LINE:COL where the parser gives a position, else line 1 col 1
    with a clear message); a broken file never stops the others."""
    if config is None:
        config = load_config()[0]
    if partners is None:
        partners = partner_records()
    now = now if now.tzinfo is not None else now.astimezone()
    files, problems = calendar_files(config)
    events, found = read_events(files, now, now + within)
    me = set(config.me)
    matcher = Matcher(partners)
    slots: dict[tuple, Slot] = {}
    for source, event in events:
        if local(event.end) <= now or local(event.start) >= now + within:
            continue
        slot = as_slot(event, source, me, matcher)
        if slot is None:
            continue
        # One event in two calendars (the user's and a shared one) is one meeting.
        slots.setdefault((slot.start, slot.end, slot.title, slot.partner, slot.suggested), slot)
    ordered = sorted(slots.values(), key=lambda s: (s.start, s.partner is None, s.end, s.title))
    return ordered, problems + found


def as_slot(event: Event, source: Path, me: set[str], matcher: Matcher) -> Slot | None:
    """The event as a meeting with a partner or a new partner's 1:1; None when it is neither."""
    people: dict[str, Person] = {}
    for person in (*event.attendees, *([event.organizer] if event.organizer else [])):
        people.setdefault(person.email, person)
    if any(p.email in me and p.declined for p in event.attendees):
        return None
    others = [p for p in people.values() if p.email not in me]
    partner = matcher.match(event.title, {p.email for p in others})
    suggested = None
    if partner is None:
        if len(others) != 1:  # alone, or a group meeting with nobody coach knows
            return None
        suggested = printable(others[0].name) or others[0].email.split("@")[0] or others[0].email
        known = matcher.names.get(tuple(words_of(suggested)))
        if known is not None:  # the invitation names someone you have a file for, from another address
            partner, suggested = known, None
    start, end = local(event.start), local(event.end)
    if end <= start:  # no length (no DTEND, or one at or before DTSTART): a reminder, not a meeting
        return None
    return Slot(start=start, end=end, title=event.title, partner=partner, suggested=suggested,
                attendees=tuple(p.email for p in others), source=source)


def printable(name: str) -> str:
    """An invitation's name as a partner's name may be: without control or direction characters."""
    return " ".join("".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf")).split())


def local(moment: datetime) -> datetime:
    """A floating time (naive) is this device's time; an aware one stays as the file said."""
    return moment if moment.tzinfo is not None else moment.astimezone()


class Matcher:
    """Finds the partner an event is with: one whose e-mail attends, else the one whose name (or a
    `calendar` word) the title holds as whole words — the longest such name; None for nobody."""

    def __init__(self, partners: Sequence[PartnerRecord]) -> None:
        self.emails: dict[str, str] = {}
        self.phrases: list[tuple[list[str], str]] = []
        self.names: dict[tuple[str, ...], str] = {}  # a partner by the words of their whole name
        for record in partners:
            self.names.setdefault(tuple(words_of(record.name)), record.name)
            for email in record.emails:
                self.emails.setdefault(email.strip().casefold().removeprefix("mailto:"), record.name)
            for phrase in (record.name, *record.calendar):
                if wanted := words_of(phrase):
                    self.phrases.append((wanted, record.name))
        self.phrases.sort(key=lambda p: -len(p[0]))  # stable: the first partner among names as long

    def match(self, title: str, emails: set[str]) -> str | None:
        for email in sorted(emails):
            if email in self.emails:
                return self.emails[email]
        title_words = words_of(title)
        return next((name for wanted, name in self.phrases if _holds(title_words, wanted)), None)


def match_partner(title: str, emails: set[str], partners: Sequence[PartnerRecord]) -> str | None:
    """The partner an event is with (see `Matcher`)."""
    return Matcher(partners).match(title, emails)


def _holds(words: list[str], run: list[str]) -> bool:
    """Whether `run` is found in `words`, word after word."""
    return bool(run) and any(words[i:i + len(run)] == run for i in range(len(words) - len(run) + 1))


def partner_records() -> list[PartnerRecord]:
    """Every readable partner file (one that is not is left out here: `coach partners` says why)."""
    from coach.partners import records_in
    from coach.store import partners_dir

    return [record for _, record in records_in(partners_dir())]


# -- the `calendar` setting ------------------------------------------------------------------------
def calendar_files(config: Config, path: Path | None = None) -> tuple[list[Path], list[Problem]]:
    """The .ics files `calendar` names (files, folders of them, folders of folders), and a problem
    at the setting's line for each path that is not there or holds no calendar."""
    files: list[Path] = []
    problems: list[Problem] = []
    for i, entry in enumerate(config.calendar):
        where = Path(os.path.expanduser(entry))
        if where.is_dir():
            found = files_in(where)
            if not found:
                problems.append(_at(path, i, f"calendar: {entry!r} holds no .ics files", warning=True))
            files += found
        elif where.exists():  # a file named outright is read whatever its name: the reader says if it is none
            files.append(where)
        else:
            problems.append(_at(path, i, f"calendar: {entry!r} does not exist"))
    return files, problems


def _at(path: Path | None, index: int, message: str, warning: bool = False) -> Problem:
    """A problem at the `index`-th path of `calendar` in config.toml."""
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return Problem(path, 1, 1, message, warning)
    line, col = locate(text, key="calendar")
    if not _single(text, line):
        line, col = locate(text, table="calendar", index=index)  # the item in `calendar = [ … ]`
    return Problem(path, line, col, message, warning)


def _single(text: str, line: int) -> bool:
    """Whether the `calendar = …` line holds one path (text), not a list."""
    row = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    return "=" in row and not row.split("=", 1)[1].lstrip().startswith("[")


def check_calendar(config: Config, path: Path | None = None, now: datetime | None = None) -> list[Problem]:
    """Everything wrong with the calendar setting and its files: what `coach config check` says."""
    files, problems = calendar_files(config, path)
    if config.calendar and not config.me:
        problems.append(_at(path, 0, "`me` is not set: coach cannot tell which attendee is you, so meetings you "
                            "declined still show and a 1:1 with someone new is not offered", warning=True))
    now = now or datetime.now().astimezone()
    return problems + read_events(files, now, now + timedelta(days=1))[1]


# -- how a slot reads ------------------------------------------------------------------------------
def slot_time(slot: Slot, now: datetime) -> str:
    """`Mon 14:00–14:30`, in this device's zone (`today`, `tomorrow`; the date past a week)."""
    return f"{slot_start(slot, now)}–{slot.end.astimezone():%H:%M}"


def slot_start(slot: Slot, now: datetime) -> str:
    """`Mon 14:00`, `today 14:00`: when the slot starts, in this device's zone (as `slot_time`)."""
    start = slot.start.astimezone()
    days = (start.date() - now.astimezone().date()).days
    day = ("today" if days == 0 else "tomorrow" if days == 1 else f"{start:%a}" if 1 < days < 7
           else f"{start:%a} {start.day} {start:%b}")
    return f"{day} {start:%H:%M}"


def slot_relative(slot: Slot, now: datetime) -> str:
    """`in 12 min`, `in 3 h 5 min`, `in 2 days`; `now` once started (`started 5 min ago`)."""
    ahead = (slot.start - now).total_seconds()
    if ahead <= 0:
        gone = round(-ahead / 60)
        return "now" if gone < 1 else f"started {_span(gone)} ago"
    return f"in {_span(max(1, round(ahead / 60)))}"


def _span(minutes: int) -> str:
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        hours, rest = divmod(minutes, 60)
        return f"{hours} h" + (f" {rest} min" if rest else "")
    return f"{round(minutes / 1440)} days"
