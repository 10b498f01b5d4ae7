"""Reading the user's calendar files into the events of a window of days.

The field's libraries do the reading: `icalendar` parses the files (time zones from VTIMEZONE or
TZID, Windows zone names as Outlook writes them, UTC and floating times), `x-wr-timezone` turns a
Google export's calendar-wide zone into ordinary ones, and `recurring-ical-events` expands the
series (RRULE, RDATE, EXDATE, a moved instance with RECURRENCE-ID). What comes out — one `Event` a
meeting in the window, cancelled and all-day ones left out — is cached on this device, per file,
by its size and modification time: an unchanged file is never parsed twice.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import stat
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import msgspec

from coach.problems import Problem, ProblemsError, decode_text
from coach.store import cache_dir, write_atomic
from coach.text import one_line

WINDOW = timedelta(days=15)
"""Events read (and cached) past the moment asked about: a cache stays good for two weeks, and a
cold read expands no more than that (longer asks read further)."""
MARGIN = timedelta(days=1)
"""Events read before the moment asked about: those that started earlier and are still on."""
MOST_A_SERIES = 5000
"""Occurrences of one series in a window, at most (a rule every minute would be millions)."""
NOT_MEETINGS = ("SECONDLY", "MINUTELY")
"""Rules too frequent to be meetings: left out, with a warning, before they are expanded."""
CACHE_NAME = "calendar-2.json"  # -2: problems said since, and a shorter window

Aware = Annotated[datetime, msgspec.Meta(tz=True)]


class Person(msgspec.Struct, frozen=True, array_like=True):
    """An attendee or the organizer of an event."""

    email: str  # lower-case, without `mailto:`
    name: str = ""  # the CN parameter, as in the file
    declined: bool = False  # PARTSTAT=DECLINED


class Event(msgspec.Struct, frozen=True, array_like=True):
    """One occurrence of a timed event that is not cancelled."""

    start: datetime  # aware; naive for a floating time (this device's zone when it is used)
    end: datetime
    title: str
    attendees: tuple[Person, ...] = ()
    organizer: Person | None = None


class _Problem(msgspec.Struct, frozen=True, array_like=True):
    line: int
    col: int
    message: str
    warning: bool = False


class _File(msgspec.Struct, kw_only=True):
    """What one file gave for a window, and the file as it was then."""

    size: int
    mtime_ns: int
    since: Aware
    until: Aware
    events: list[Event]
    problems: list[_Problem]


class _Cache(msgspec.Struct, kw_only=True):
    files: dict[str, _File] = {}


# -- which files --------------------------------------------------------------------------------
def is_calendar_file(path: Path) -> bool:
    return path.suffix.lower() == ".ics" and not path.name.startswith(".")


def files_in(folder: Path) -> list[Path]:
    """The .ics files of a folder and of its folders (vdirsyncer keeps one folder a calendar)."""
    found: list[Path] = []
    with contextlib.suppress(OSError):
        for entry in sorted(folder.iterdir()):
            if is_calendar_file(entry):
                found.append(entry)
            elif entry.is_dir() and not entry.name.startswith("."):
                with contextlib.suppress(OSError):
                    found += [p for p in sorted(entry.iterdir()) if is_calendar_file(p)]
    return found


# -- reading, through the cache ------------------------------------------------------------------
def read_events(files: Sequence[Path], since: datetime, until: datetime) -> tuple[list[tuple[Path, Event]],
                                                                               list[Problem]]:
    """Every event of `files` that overlaps `since`…`until` (aware), and every problem found.

    A file whose size and modification time are those cached, for a window holding this one, is
    not read again; a broken or foreign cache is ignored and written anew."""
    cache = _load_cache()
    kept: dict[str, _File] = {}
    events: list[tuple[Path, Event]] = []
    problems: list[Problem] = []
    for path in dict.fromkeys(files):
        key = str(path)
        entry = cache.files.get(key)
        try:
            info = os.stat(path)
        except OSError as error:
            problems.append(Problem(path, 1, 1, f"cannot read: {error.strerror or error}"))
            continue
        if not (entry and entry.size == info.st_size and entry.mtime_ns == info.st_mtime_ns
                and entry.since <= since and until <= entry.until):
            entry = read_file(path, since, until)
        kept[key] = entry
        events += [(path, e) for e in entry.events]
        problems += [Problem(path, p.line, p.col, p.message, p.warning) for p in entry.problems]
    if kept != cache.files:
        _save_cache(_Cache(files=kept))
    return events, problems


def cache_path() -> Path:
    return cache_dir() / CACHE_NAME


def _load_cache() -> _Cache:
    try:
        return msgspec.json.decode(cache_path().read_bytes(), type=_Cache)
    except (OSError, msgspec.DecodeError, ValueError):  # absent, unreadable or broken: read the files again
        return _Cache()


def _save_cache(cache: _Cache) -> None:
    with contextlib.suppress(OSError):  # a cache that cannot be written costs time, nothing else
        write_atomic(cache_path(), msgspec.json.encode(cache).decode(), durable=False)


# -- reading one file ------------------------------------------------------------------------
def read_file(path: Path, since: datetime, until: datetime) -> _File:
    """The events of one file for a window holding `since`…`until` (a wider one, to cache)."""
    start = datetime.combine(since.astimezone(UTC).date(), datetime.min.time(), UTC) - MARGIN
    end = max(start + WINDOW, until + MARGIN)
    entry = _File(size=-1, mtime_ns=-1, since=start, until=end, events=[], problems=[])
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            what = "it is a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a pipe or a device)"
            raise OSError(0, what)
        with open(path, "rb") as fh:
            info = os.fstat(fh.fileno())
            raw = fh.read()
    except OSError as error:
        entry.problems.append(_Problem(1, 1, f"cannot read: {error.strerror or error}"))
        return entry
    entry.size, entry.mtime_ns = info.st_size, info.st_mtime_ns
    reader = _Reader(path, raw)
    entry.events = reader.events(start, end)
    entry.problems = reader.problems
    return entry


class _Reader:
    """One file's text, parsed and expanded, and the problems found on the way, each at its line."""

    def __init__(self, path: Path, raw: bytes) -> None:
        self.path = path
        self.problems: list[_Problem] = []
        try:
            self.text = decode_text(path, raw)
        except ProblemsError as error:  # most of a calendar is still readable: say where, read on
            bad = error.problems[0]
            self.problem("not UTF-8 text: the characters that are not are replaced", bad.line, bad.col, warning=True)
            self.text = raw.decode("utf-8", errors="replace")
        self._lines: list[str] | None = None
        self.said: set[str] = set()  # UIDs of events already reported as skipped
        self.zones_said: set[str] = set()  # unknown TZIDs already reported (once a file)
        self.backwards: set[int] = set()  # ids of the components that end before they start: skipped

    def problem(self, message: str, line: int = 1, col: int = 1, warning: bool = False) -> None:
        self.problems.append(_Problem(line, col, message, warning))

    def events(self, start: datetime, end: datetime) -> list[Event]:
        import icalendar

        try:
            calendars = icalendar.Calendar.from_ical(within(self.text, start.date() - MARGIN, end.date() + MARGIN),
                                                       multiple=True)
        except Exception as error:  # the parser's errors have no common type: all are reported
            self.problem(f"not an iCalendar file: {_said(error)}", *self.line_of(fragment=_quoted(str(error))))
            return []
        calendars = [c for c in calendars if getattr(c, "name", None) == "VCALENDAR"]
        if not calendars:
            self.problem(*self.unclosed())
            return []
        found: list[Event] = []
        for calendar in calendars:
            self.report_broken(calendar)
            found += self.expand(calendar, start, end)
        return found

    def unclosed(self) -> tuple[str, int, int]:
        """Why no calendar came out of the file, and where: the first BEGIN: left open or END:
        out of place (the parser only says that nothing did)."""
        if self._lines is None:
            self._lines = self.text.splitlines()
        open_: list[tuple[str, int]] = []
        for i, line in enumerate(self._lines, 1):
            head, _, name = line.strip().partition(":")
            if head.upper() == "BEGIN":
                open_.append((name.strip().upper(), i))
            elif head.upper() == "END":
                ended = one_line(name.strip().upper())[:40]
                if not open_:
                    return f"not an iCalendar file: END:{ended} without its BEGIN:{ended}", i, 1
                if open_[-1][0] != name.strip().upper():
                    begun, at = open_[-1]
                    return (f"not an iCalendar file: BEGIN:{one_line(begun)[:40]} is not closed "
                            f"(END:{one_line(begun)[:40]} is missing before line {i})"), at, 1
                open_.pop()
        if open_:
            begun, at = open_[-1]
            return f"not an iCalendar file: BEGIN:{one_line(begun)[:40]} is never closed", at, 1
        return "not an iCalendar file: no BEGIN:VCALENDAR … END:VCALENDAR", 1, 1

    def report_broken(self, calendar: Any) -> None:
        """What icalendar could not read in each component (it reads on): a broken time loses its event."""
        seen: dict[tuple[str | None, str], int] = {}
        for component in calendar.walk():
            for prop, message in getattr(component, "errors", ()):
                fragment = _quoted(message) or (message.rsplit(": ", 1)[-1] if ": " in message else None)
                nth = seen[(prop, message)] = seen.get((prop, message), -1) + 1
                where = self.line_of(prop, fragment, nth)
                timing = prop in ("DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID")
                if timing:
                    self.said.add(str(component.get("UID", "")))
                said = f"{prop}: {message}" if prop else message
                self.problem(f"{said}{'; this event is skipped' if timing else ''}", *where, warning=not timing)
            if getattr(component, "name", None) == "VEVENT":
                self.report_times(component)

    def report_times(self, event: Any) -> None:
        """What the parser reads without a word, and coach should say: a zone it does not know (the
        time is read as this computer's), and an event that ends before it starts (skipped)."""
        uid = str(event.get("UID", ""))
        times: dict[str, Any] = {}
        for prop in ("DTSTART", "DTEND"):
            value = event.get(prop)
            zone = str(getattr(value, "params", {}).get("TZID", "")) if value is not None else ""
            try:
                moment = getattr(value, "dt", None)
            except Exception:  # a broken time: icalendar has said so (see `report_broken`)
                moment = None
            times[prop] = moment
            if zone and isinstance(moment, datetime) and moment.tzinfo is None and zone not in self.zones_said:
                self.zones_said.add(zone)
                self.problem(f"{prop}: the time zone {zone!r} is not one coach knows (no VTIMEZONE for it "
                             "in the file): its times are read as this computer's", *self.line_in(uid, prop, zone),
                             warning=True)
        start, end = times["DTSTART"], times["DTEND"]
        if (isinstance(start, datetime) and isinstance(end, datetime)
                and (start.tzinfo is None) == (end.tzinfo is None) and end < start):
            self.backwards.add(id(event))
            self.problem("DTEND is before DTSTART: this event is skipped", *self.line_in(uid, "DTEND"))

    def line_in(self, uid: str, prop: str, fragment: str | None = None) -> tuple[int, int]:
        """Line and column of `prop` (holding `fragment`) in the event whose UID is `uid`; where
        `line_of` would say when that event is not found."""
        if self._lines is None:
            self._lines = self.text.splitlines()
        lines = self._lines
        for i, line in enumerate(lines):
            if line.upper().startswith("UID") and line.partition(":")[2].strip() == uid:
                begin = next((j for j in range(i, -1, -1) if lines[j].strip().upper() == "BEGIN:VEVENT"), i)
                end = next((j for j in range(i, len(lines)) if lines[j].strip().upper() == "END:VEVENT"), i)
                for j in range(begin, end + 1):
                    head = lines[j][:len(prop) + 1].upper()
                    if head[:-1] == prop and head[-1:] in (":", ";") and (fragment is None or fragment in lines[j]):
                        return j + 1, 1
        return self.line_of(prop, fragment)

    def expand(self, calendar: Any, start: datetime, end: datetime) -> list[Event]:
        import recurring_ical_events
        import x_wr_timezone

        calendar.subcomponents = [c for c in calendar.subcomponents
                                  if id(c) not in self.backwards and not self.too_frequent(c)]
        try:
            calendar = x_wr_timezone.to_standard(calendar)
            for component in calendar.walk("VEVENT"):
                _skip_ahead(component, start)
            query = recurring_ical_events.of(calendar, skip_bad_series=True)
        except Exception as error:  # one bad event must not cost the others: read them one by one
            return self.expand_each(calendar, start, end, error)
        uids = {str(e.get("UID", "")) for e in calendar.walk("VEVENT")}
        for uid in sorted(uids - {str(s.uid) for s in query.series} - self.said):
            self.problem("this event's times or rules cannot be read; it is skipped", *self.line_of("UID", uid))
        found: list[Event] = []
        for series in query.series:
            found += self.occurrences(series, start, end)
        return found

    def too_frequent(self, component: Any) -> bool:
        """A series repeating every second or minute (not a meeting, and millions of times), or every
        0 days (dateutil would look for the next one forever): left out, and said."""
        rules = component.get("RRULE") if getattr(component, "name", None) == "VEVENT" else None
        for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
            try:
                frequency, interval = rule.get("FREQ") or [""], rule.get("INTERVAL") or [1]
                endless = not all(int(n) >= 1 for n in (interval if isinstance(interval, list) else [interval]))
            except Exception:  # a broken rule: icalendar has said so (see `report_broken`)
                continue
            if endless:
                self.problem("RRULE: INTERVAL must be 1 or more; this event is skipped",
                             *self.line_of("UID", str(component.get("UID", ""))))
                return True
            if str(frequency[0] if isinstance(frequency, list) else frequency).upper() in NOT_MEETINGS:
                self.problem("repeats every second or minute: not a meeting; skipped",
                             *self.line_of("UID", str(component.get("UID", ""))), warning=True)
                return True
        return False

    def expand_each(self, calendar: Any, start: datetime, end: datetime, error: Exception) -> list[Event]:
        """Each event series on its own, when the calendar as a whole cannot be expanded."""
        import icalendar
        import recurring_ical_events

        groups: dict[str, list[Any]] = {}
        for event in calendar.walk("VEVENT"):
            groups.setdefault(str(event.get("UID", "")), []).append(event)
        zones = list(calendar.walk("VTIMEZONE"))
        found: list[Event] = []
        for uid, events in groups.items():
            alone = icalendar.Calendar()
            for component in (*zones, *events):
                alone.add_component(component)
            try:
                query = recurring_ical_events.of(alone, skip_bad_series=True)
            except Exception as failure:  # as above
                self.problem(f"this event cannot be read ({_said(failure)}); it is skipped", *self.line_of("UID", uid))
                continue
            for series in query.series:
                found += self.occurrences(series, start, end)
        if not groups:
            self.problem(f"cannot read this calendar: {_said(error)}")
        return found

    def occurrences(self, series: Any, start: datetime, end: datetime) -> list[Event]:
        """The events of one series in the window; a problem at its UID when it cannot be expanded."""
        uid = str(series.uid)
        try:
            found: list[Event] = []
            for occurrence in itertools.islice(series.between(start, end), MOST_A_SERIES + 1):
                if len(found) == MOST_A_SERIES:
                    self.problem(f"more than {MOST_A_SERIES} times in two weeks: only the first are read",
                                 *self.line_of("UID", uid), warning=True)
                    break
                if (event := _event(occurrence.as_component(False))) is not None:
                    found.append(event)
            return found
        except Exception as error:  # the libraries' errors have no common type
            self.problem(f"this event cannot be read ({_said(error)}); it is skipped", *self.line_of("UID", uid))
            return []

    def line_of(self, prop: str | None = None, fragment: str | None = None, nth: int = 0) -> tuple[int, int]:
        """Line and column (1-based) of the `nth` content line of `prop` (any line when None) holding
        `fragment`; the first of `prop`'s lines when none holds it; 1, 1 when nothing is found."""
        if self._lines is None:
            self._lines = self.text.splitlines()
        fragment = fragment[:40] if fragment else None
        first = None
        hits = 0
        for i, line in enumerate(self._lines):
            if prop is not None:
                head = line[:len(prop) + 1].upper()
                if head[:-1] != prop.upper() or head[-1:] not in (":", ";"):
                    continue
                first = first or (i + 1, 1)
            if fragment is None or fragment in line:
                if hits == nth:
                    col = line.find(fragment) + 1 if fragment and prop is None else 1
                    return i + 1, col
                hits += 1
        return first or (1, 1)


# -- leaving out the past ------------------------------------------------------------------------
_LINE = re.compile(r"^(BEGIN:VEVENT|END:VEVENT|DTSTART|DTEND|RECURRENCE-ID|RRULE|RDATE|DURATION|UID)\b([;:][^\r\n]*)?",
                   re.I | re.M)
_DAY = re.compile(r":(\d{4})(\d{2})(\d{2})(?:T\d{6}Z?)?[ \t]*$")
_SHORT = re.compile(r"^:[+]?PT(?:\d{1,2}H)?(?:\d{1,4}M)?(?:\d{1,6}S)?[ \t]*$", re.I)


class _Block:
    """What `within` needs to know of one VEVENT."""

    __slots__ = ("begin", "days", "end", "known", "moved", "uid")

    def __init__(self, begin: int) -> None:
        self.begin, self.end, self.uid = begin, -1, ""
        self.moved, self.known = False, True
        self.days: list[date] = []


def within(text: str, first: date, last: date) -> str:
    """`text` without the single events that are over before the day `first` or begin after the
    day `last`: most of a calendar of several years lies outside the days coach looks at, and
    parsing it would be most of a cold read.

    Only what is sure to lie outside goes. A series (a UID with an RRULE or RDATE) stays, and so do
    its moved instances unless they were moved from and to days outside; so does any event whose
    days cannot be read here (the parser then says what is wrong with it). The rest of the file —
    its time zones, its other components — is kept as it is (with its long lines unfolded)."""
    for fold in ("\r\n ", "\r\n\t", "\n ", "\n\t"):  # long lines unfolded (str.replace: fast)
        text = text.replace(fold, "")
    blocks: list[_Block] = []
    series: set[str] = set()
    block: _Block | None = None
    for match in _LINE.finditer(text):
        name, value = match[1].upper(), match[2] or ""
        if name == "BEGIN:VEVENT":
            block = _Block(match.start())
        elif block is None:
            continue
        elif name == "END:VEVENT":
            block.end = match.end() + (2 if text.startswith("\r\n", match.end()) else
                                       1 if text.startswith("\n", match.end()) else 0)
            blocks.append(block)
            block = None
        elif name == "UID":
            block.uid = value[1:].strip()
        elif name in ("RRULE", "RDATE"):
            series.add(block.uid or f"?{block.begin}")
            block.known = False
        elif name == "RECURRENCE-ID" and "RANGE=" in value.upper():  # this and the later ones: kept
            block.known = False
        elif name == "DURATION":  # up to a day: the start's day + 1 holds it
            block.known = block.known and bool(_SHORT.match(value))
        elif (day := _day(value)) is None:
            block.known = False
        else:
            block.moved = block.moved or name == "RECURRENCE-ID"
            block.days += [day, day + timedelta(days=1)] if name == "DTSTART" else [day]
    kept: list[str] = []
    at = 0
    for block in blocks:
        if not (block.known and block.days) or (not block.moved and block.uid in series):
            continue
        if max(block.days) < first or min(block.days) > last:
            kept.append(text[at:block.begin])
            at = block.end
    kept.append(text[at:])
    return "".join(kept)


def _day(value: str) -> date | None:
    found = _DAY.search(value)
    if not found:
        return None
    try:
        return date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None


def _skip_ahead(component: Any, start: datetime) -> None:
    """A daily or weekly series begun years ago starts again a little before `start`, on one of its
    own days at its own time: what it holds from then on is the same, and the rule is no longer
    walked through every week since it began (the longest part of expanding a large calendar).

    Only a plain series moves: one rule, no COUNT (counting needs every past time), meetings
    shorter than a day, times in a zone Python adds to by the wall clock. Anything else, or anything
    that cannot be read, is left as it is."""
    try:
        rule = component.get("RRULE")
        if rule is None or isinstance(rule, list) or "RECURRENCE-ID" in component or rule.get("COUNT"):
            return
        frequency, interval = str(rule.get("FREQ")[0]).upper(), int((rule.get("INTERVAL") or [1])[0])
        if frequency not in ("DAILY", "WEEKLY") or interval < 1:
            return
        begin, end = component.DTSTART, component.get("DTEND")
        end = end.dt if end is not None else None
        if type(begin) is not datetime or hasattr(begin.tzinfo, "localize") or (
                end is not None and (type(end) is not datetime or not timedelta(0) <= end - begin < timedelta(days=1))):
            return
        step = timedelta(days=interval * (7 if frequency == "WEEKLY" else 1))
        steps = ((start if begin.tzinfo else start.replace(tzinfo=None)) - begin) // step - 2
        if steps > 0:
            component.DTSTART = begin + steps * step  # wall-clock arithmetic: the same local time
            if end is not None:
                component.DTEND = end + steps * step
    except Exception:  # an unreadable series is expanded as it is, and reported there
        pass


# -- one occurrence ------------------------------------------------------------------------------
def _event(component: Any) -> Event | None:
    """The occurrence as an Event; None when it is not a meeting: cancelled, or all day."""
    if str(component.get("STATUS", "")).upper() == "CANCELLED":
        return None
    start, end = component.start, component.end
    if not isinstance(start, datetime):  # a DATE: all day
        return None
    if not isinstance(end, datetime):
        end = start if not isinstance(end, date) else datetime.combine(end, start.timetz())
    attendees = component.get("ATTENDEE", [])
    people = tuple(p for p in map(_person, attendees if isinstance(attendees, list) else [attendees]) if p)
    return Event(start=start, end=max(start, end), title=str(component.get("SUMMARY", "")), attendees=people,
                 organizer=_person(component.get("ORGANIZER")))


def _person(address: Any) -> Person | None:
    if address is None:
        return None
    email = re.sub(r"(?i)^mailto:", "", str(address).strip()).casefold()
    params = getattr(address, "params", {}) or {}
    if not email:
        return None
    return Person(email=email, name=str(params.get("CN", "")).strip(),
                  declined=str(params.get("PARTSTAT", "")).upper() == "DECLINED")


def _quoted(message: str) -> str | None:
    """The first quoted bit of an error message (the line or value it is about), unescaped."""
    found = re.search(r"'((?:[^'\\]|\\.)+)'|\"((?:[^\"\\]|\\.)+)\"", message)
    if not found:
        return None
    text = found.group(1) or found.group(2)
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), text)


def _said(error: BaseException) -> str:
    """An error of the libraries in a few words."""
    if isinstance(error, KeyError) and error.args:
        return f"it has no {error.args[0]}"
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 200 else text[:199] + "…"
