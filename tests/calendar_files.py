"""Calendars written for the tests, as three programs export them, in a vdirsyncer-style folder.

    calendars/google/…ics    Google: X-WR-TIMEZONE, times in UTC or in the calendar's zone (one event a file)
    calendars/outlook/…ics   Outlook: Windows zone names ("W. Europe Standard Time") with their VTIMEZONE
    calendars/apple/…ics     Apple: a VTIMEZONE for Asia/Tokyo, a floating time, an all-day event

What is in them, in March–April 2026 (the user is me@example.org):
- Ada Lovelace (emails = ada@example.org): a weekly 1:1 on Mondays 10:00 New York (COUNT=8), with the
  9 March one deleted (EXDATE) and the 16 March one moved to Tuesday 17 March 11:00 (RECURRENCE-ID);
  the US changes to summer time on 8 March. A "Ada sync" on 5 March the user declined, and an all-day
  "Ada Lovelace offsite" on 3 March.
- Zoë O'Brien (no e-mail known; matched by her name in the title): a 1:1 on 3 March 14:00 Berlin
  (Windows zone name), a cancelled one on 4 March, a weekly mentoring on Fridays 08:00 Berlin from
  20 March (COUNT=4) with the 27 March one cancelled — Europe changes to summer time on 29 March; and
  a lunch on 10 March 12:30 at a floating time (this device's zone).
- Kenji Sato (emails = kenji@example.jp): a catch-up on 6 March 09:00 Tokyo.
- Sam Lee, not a partner: a 1:1 "Intro call" on 6 March 18:00 Tokyo (offered as a new partner).
- Not meetings: a dentist appointment (the user alone) and a team meeting with three strangers.
"""

from __future__ import annotations

import json
from pathlib import Path

BERLIN = """BEGIN:VTIMEZONE\r
TZID:Europe/Berlin\r
BEGIN:DAYLIGHT\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
TZNAME:CEST\r
DTSTART:19700329T020000\r
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r
END:DAYLIGHT\r
BEGIN:STANDARD\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
TZNAME:CET\r
DTSTART:19701025T030000\r
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r
END:STANDARD\r
END:VTIMEZONE\r
"""
"""Europe/Berlin as calendar apps write it (summer time from the last Sunday of March)."""

GOOGLE_HEAD = """BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
CALSCALE:GREGORIAN
METHOD:PUBLISH
X-WR-CALNAME:me@example.org
X-WR-TIMEZONE:America/New_York
BEGIN:VTIMEZONE
TZID:America/New_York
X-LIC-LOCATION:America/New_York
BEGIN:DAYLIGHT
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
TZNAME:EDT
DTSTART:19700308T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
TZNAME:EST
DTSTART:19701101T020000
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
END:STANDARD
END:VTIMEZONE
"""

ADA_WEEKLY = GOOGLE_HEAD + """BEGIN:VEVENT
DTSTART;TZID=America/New_York:20260302T100000
DTEND;TZID=America/New_York:20260302T103000
RRULE:FREQ=WEEKLY;WKST=SU;COUNT=8;BYDAY=MO
EXDATE;TZID=America/New_York:20260309T100000
DTSTAMP:20260301T120000Z
ORGANIZER;CN=Me:mailto:me@example.org
UID:ada-weekly@google.com
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=ada@examp
 le.org;X-NUM-GUESTS=0:mailto:ada@example.org
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Me;X-NUM-
 GUESTS=0:mailto:me@example.org
CREATED:20260220T100000Z
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Ada / me weekly
TRANSP:OPAQUE
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=America/New_York:20260317T110000
DTEND;TZID=America/New_York:20260317T113000
DTSTAMP:20260301T120000Z
ORGANIZER;CN=Me:mailto:me@example.org
UID:ada-weekly@google.com
RECURRENCE-ID;TZID=America/New_York:20260316T100000
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:ada@e
 xample.org
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Me:mailto
 :me@example.org
SEQUENCE:1
STATUS:CONFIRMED
SUMMARY:Ada / me weekly (moved)
END:VEVENT
END:VCALENDAR
"""

ADA_DECLINED = GOOGLE_HEAD + """BEGIN:VEVENT
DTSTART:20260305T140000Z
DTEND:20260305T150000Z
DTSTAMP:20260301T120000Z
ORGANIZER;CN=ada@example.org:mailto:ada@example.org
UID:ada-sync@google.com
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:ada@e
 xample.org
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=DECLINED;CN=Me:mailto
 :ME@Example.org
SUMMARY:Ada sync
END:VEVENT
END:VCALENDAR
"""

TEAM = GOOGLE_HEAD + """BEGIN:VEVENT
DTSTART:20260302T160000Z
DTEND:20260302T170000Z
DTSTAMP:20260301T120000Z
UID:team@google.com
ORGANIZER:mailto:boss@example.org
ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.org
ATTENDEE;PARTSTAT=ACCEPTED:mailto:one@example.org
ATTENDEE;PARTSTAT=ACCEPTED:mailto:two@example.org
SUMMARY:Team planning
END:VEVENT
END:VCALENDAR
"""

OUTLOOK = """BEGIN:VCALENDAR
PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN
VERSION:2.0
METHOD:PUBLISH
X-MS-OLK-FORCEINSPECTOROPEN:TRUE
BEGIN:VTIMEZONE
TZID:W. Europe Standard Time
BEGIN:STANDARD
DTSTART:16011028T030000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010325T020000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
CLASS:PUBLIC
CREATED:20260220T090000Z
DTEND;TZID="W. Europe Standard Time":20260303T144500
DTSTAMP:20260301T090000Z
DTSTART;TZID="W. Europe Standard Time":20260303T140000
PRIORITY:5
SEQUENCE:0
SUMMARY;LANGUAGE=en-gb:1:1 zoe o'brien
ORGANIZER;CN="Me":mailto:me@example.org
ATTENDEE;CN="Zoe OBrien";RSVP=TRUE:mailto:zoe@elsewhere.org
TRANSP:OPAQUE
UID:040000008200E00074C5B7101A82E00800000000zoe1
END:VEVENT
BEGIN:VEVENT
DTEND;TZID="W. Europe Standard Time":20260304T103000
DTSTAMP:20260301T090000Z
DTSTART;TZID="W. Europe Standard Time":20260304T100000
STATUS:CANCELLED
SUMMARY;LANGUAGE=en-gb:Canceled: 1:1 Zoë O'Brien
ORGANIZER;CN="Me":mailto:me@example.org
ATTENDEE;CN="Zoe OBrien";RSVP=TRUE:mailto:zoe@elsewhere.org
UID:040000008200E00074C5B7101A82E00800000000zoe2
END:VEVENT
BEGIN:VEVENT
DTEND;TZID="W. Europe Standard Time":20260320T083000
DTSTAMP:20260301T090000Z
DTSTART;TZID="W. Europe Standard Time":20260320T080000
RRULE:FREQ=WEEKLY;COUNT=4;BYDAY=FR
SUMMARY;LANGUAGE=en-gb:Zoë O'Brien mentoring
ORGANIZER;CN="Me":mailto:me@example.org
ATTENDEE;CN="Zoe OBrien";RSVP=TRUE:mailto:zoe@elsewhere.org
UID:040000008200E00074C5B7101A82E00800000000zoe3
END:VEVENT
BEGIN:VEVENT
RECURRENCE-ID;TZID="W. Europe Standard Time":20260327T080000
DTEND;TZID="W. Europe Standard Time":20260327T083000
DTSTAMP:20260301T090000Z
DTSTART;TZID="W. Europe Standard Time":20260327T080000
STATUS:CANCELLED
SUMMARY;LANGUAGE=en-gb:Canceled: Zoë O'Brien mentoring
ORGANIZER;CN="Me":mailto:me@example.org
ATTENDEE;CN="Zoe OBrien";RSVP=TRUE:mailto:zoe@elsewhere.org
UID:040000008200E00074C5B7101A82E00800000000zoe3
END:VEVENT
END:VCALENDAR
"""

APPLE_HEAD = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Apple Inc.//macOS 15.3//EN
CALSCALE:GREGORIAN
BEGIN:VTIMEZONE
TZID:Asia/Tokyo
BEGIN:STANDARD
TZOFFSETFROM:+091859
DTSTART:18880101T000000
TZNAME:JST
TZOFFSETTO:+0900
END:STANDARD
END:VTIMEZONE
"""

KENJI = APPLE_HEAD + """BEGIN:VEVENT
CREATED:20260225T010000Z
UID:8A1B2C3D-KENJI
DTEND;TZID=Asia/Tokyo:20260306T093000
SUMMARY:Catch-up
DTSTART;TZID=Asia/Tokyo:20260306T090000
DTSTAMP:20260225T010000Z
ORGANIZER;CN=Me:mailto:me@example.org
ATTENDEE;CN=Kenji Sato;CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED:mailto:Kenji@Example.jp
ATTENDEE;CN=Me;CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:me@example.org
SEQUENCE:0
END:VEVENT
END:VCALENDAR
"""

SAM = APPLE_HEAD + """BEGIN:VEVENT
UID:8A1B2C3D-SAM
DTEND;TZID=Asia/Tokyo:20260306T190000
SUMMARY:Intro call
DTSTART;TZID=Asia/Tokyo:20260306T180000
DTSTAMP:20260225T010000Z
ORGANIZER;CN=Me:mailto:me@example.org
ATTENDEE;CN=Sam Lee;CUTYPE=INDIVIDUAL;PARTSTAT=NEEDS-ACTION:mailto:sam.lee@example.com
ATTENDEE;CN=Me;CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:me@example.org
END:VEVENT
END:VCALENDAR
"""

PERSONAL = APPLE_HEAD + """BEGIN:VEVENT
UID:8A1B2C3D-OFFSITE
DTSTART;VALUE=DATE:20260303
DTEND;VALUE=DATE:20260304
SUMMARY:Ada Lovelace offsite
DTSTAMP:20260225T010000Z
END:VEVENT
BEGIN:VEVENT
UID:8A1B2C3D-LUNCH
DTSTART:20260310T123000
DTEND:20260310T133000
SUMMARY:Lunch with Zoë O'Brien
DTSTAMP:20260225T010000Z
END:VEVENT
BEGIN:VEVENT
UID:8A1B2C3D-DENTIST
DTSTART;TZID=Asia/Tokyo:20260302T170000
DTEND;TZID=Asia/Tokyo:20260302T180000
SUMMARY:Dentist
DTSTAMP:20260225T010000Z
END:VEVENT
END:VCALENDAR
"""

FILES = {
    "google/ada-weekly.ics": ADA_WEEKLY,
    "google/ada-sync.ics": ADA_DECLINED,
    "google/team.ics": TEAM,
    "outlook/calendar.ics": OUTLOOK,
    "apple/kenji.ics": KENJI,
    "apple/sam.ics": SAM,
    "apple/personal.ics": PERSONAL,
}

PARTNERS = {
    "ada.toml": 'schema = 1\nname = "Ada Lovelace"\nemails = ["ada@example.org"]\n',
    "zoe.toml": "schema = 1\nname = \"Zoë O'Brien\"\n",
    "kenji.toml": 'schema = 1\nname = "Kenji Sato"\nemails = ["kenji@example.jp"]\n',
}


def write_calendars(folder: Path) -> Path:
    """The three exports in `folder` (one folder a calendar, as vdirsyncer keeps them); returns it."""
    for name, text in FILES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    return folder


def write_partners(data_dir: Path) -> None:
    folder = data_dir / "partners"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in PARTNERS.items():
        (folder / name).write_text(text, encoding="utf-8")


def write_config(config_dir: Path, calendars: Path | str, me: str = "me@example.org") -> Path:
    config_dir.mkdir(parents=True, exist_ok=True)
    path = config_dir / "config.toml"
    path.write_text(f"schema = 1\ncalendar = {json.dumps(str(calendars))}\nme = [\"mailto:{me}\"]\n",
                    encoding="utf-8")
    return path
