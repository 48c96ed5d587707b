"""Radar files for the other radar tools (pure functions, no Django).

An edition is handed over as plain data (`RadarData`): its rings innermost first, its
quadrants by our position (0-3, clockwise from top right), its entries and the earlier
editions of the same radar. Every writer checks first that each entry's ring and
quadrant exist (`check`), so no tool ever drops an entry silently: an entry that cannot
be mapped is an `ExportError` naming it.

The formats, as their tools read them:
- BYOR (Thoughtworks' Build Your Own Radar): CSV (comma separated, UTF-8 without BOM,
  for d3.csv) or JSON (a list of objects whose values are all strings) with the fields
  name, ring, quadrant, isNew, status, description; the description keeps only the
  HTML tags BYOR's sanitizer keeps. BYOR matches ring and quadrant names against its
  RINGS and QUADRANTS settings case-insensitively and drops rows it cannot match.
- Zalando's radar_visualization: {date, entries, config}; quadrants 0-3 clockwise from
  bottom right, rings 0-3 from the inside, moved -1 out, 0 none, 1 in, 2 new.
- Backstage's tech-radar (TechRadarLoaderResponse): quadrants clockwise from bottom
  right, rings, entries with a timeline newest first.
- AOE's technology radar: a zip of radar/<YYYY-MM-DD>/<id>.md with front matter and a
  config.json holding rings and quadrants.
- The full table (survey editions only) through core.tabular.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import nh3

from kommuneradar.core import tabular

from . import placement as p

# The tags BYOR's sanitizer keeps in a description, and the attributes it keeps on links.
BYOR_TAGS = frozenset(
    {"b", "i", "em", "strong", "a", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "br", "p", "u"}
)
BYOR_ATTRIBUTES = {"a": {"href", "target", "rel"}}
BYOR_FIELDS = ("name", "ring", "quadrant", "isNew", "status", "description")
BYOR_STATUS = {
    p.NEW: "New",
    p.MOVED_IN: "Moved In",
    p.MOVED_OUT: "Moved Out",
    p.UNCHANGED: "No Change",
}
ZALANDO_MOVED = {p.MOVED_OUT: -1, p.UNCHANGED: 0, p.MOVED_IN: 1, p.NEW: 2}
BACKSTAGE_MOVED = {p.MOVED_OUT: -1, p.UNCHANGED: 0, p.MOVED_IN: 1}  # new: no "moved"
MOVEMENTS = (p.NEW, p.MOVED_IN, p.MOVED_OUT, p.UNCHANGED)

# Zalando and Backstage count quadrants clockwise from the bottom right; we count
# clockwise from the top right. Their order, as our positions:
BOTTOM_RIGHT_FIRST = (1, 2, 3, 0)
MAX_RINGS = 4
MAX_QUADRANTS = 4
# A fixed time for the zip members, so the same edition gives the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class ExportError(ValueError):
    """An edition cannot be written in a format; the message names the entry and why."""


@dataclass(frozen=True)
class RingSpec:
    """A ring: its code (stable id), its name as the tools show it, a colour, a text."""

    code: str
    name: str
    color: str = "#6b6b6b"
    description: str = ""


@dataclass(frozen=True)
class QuadrantSpec:
    """A quadrant at `position` (0-3, clockwise from top right)."""

    position: int
    slug: str
    name: str
    description: str = ""
    color: str = "#6b6b6b"


@dataclass(frozen=True)
class Link:
    url: str
    title: str


@dataclass(frozen=True)
class Entry:
    """One technology in one edition. `description` is HTML within BYOR's tags; `note`
    is plain text saying why it sits in this ring in this edition; `numbers` is the full
    table's record (survey editions only)."""

    key: str
    name: str
    quadrant: int
    ring: str
    movement: str
    description: str = ""
    note: str = ""
    links: tuple[Link, ...] = ()
    tags: tuple[str, ...] = ()
    numbers: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Snapshot:
    """The entries of one earlier edition of the same radar."""

    date: datetime.date
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class RadarData:
    """One edition as plain data. `history` holds the earlier editions, oldest first."""

    title: str
    date: datetime.date
    rings: tuple[RingSpec, ...]
    quadrants: tuple[QuadrantSpec, ...]
    entries: tuple[Entry, ...]
    history: tuple[Snapshot, ...] = ()
    editorial: bool = False
    table_fields: tuple[tabular.Field, ...] = field(default=())

    def ring(self, code: str) -> RingSpec:
        return next(r for r in self.rings if r.code == code)

    def ring_index(self, code: str) -> int:
        return [r.code for r in self.rings].index(code)

    def quadrant(self, position: int) -> QuadrantSpec:
        return next(q for q in self.quadrants if q.position == position)


# Checks


def byor_key(name: str) -> str:
    """A ring or quadrant name as BYOR compares it: lower case, "and" or "&" as " & "."""
    return re.sub(r"(-|\s+)(and)(-|\s+)|\s*(&)\s*", " & ", name.strip().lower())


def _check_entries(radar: RadarData, entries: Iterable[Entry], when: str) -> None:
    rings = {r.code for r in radar.rings}
    quadrants = {q.position for q in radar.quadrants}
    seen: set[str] = set()
    for entry in entries:
        if entry.ring not in rings:
            raise ExportError(
                f"{when}: entry {entry.name!r} has ring {entry.ring!r}, which is not one of "
                f"the radar's rings ({', '.join(r.code for r in radar.rings)})"
            )
        if entry.quadrant not in quadrants:
            raise ExportError(
                f"{when}: entry {entry.name!r} has quadrant {entry.quadrant}, which is not "
                f"one of the radar's quadrants"
            )
        if entry.movement not in MOVEMENTS:
            raise ExportError(f"{when}: entry {entry.name!r} has no movement")
        if not entry.name.strip():
            raise ExportError(f"{when}: entry {entry.key!r} has no name")
        if entry.key in seen:
            raise ExportError(f"{when}: entry {entry.key!r} appears twice")
        seen.add(entry.key)


def check(radar: RadarData) -> None:
    """Refuse an edition that some tool would draw wrongly or partly: 1-4 rings and
    quadrants with distinct names (as BYOR compares them), quadrant positions 0-3, and
    every entry's ring and quadrant among them, in every edition written."""
    if not 1 <= len(radar.rings) <= MAX_RINGS:
        raise ExportError(f"a radar needs 1 to {MAX_RINGS} rings, this one has {len(radar.rings)}")
    if not 1 <= len(radar.quadrants) <= MAX_QUADRANTS:
        raise ExportError(
            f"a radar needs 1 to {MAX_QUADRANTS} quadrants, this one has {len(radar.quadrants)}"
        )
    for kind, names in (
        ("ring", [r.name for r in radar.rings]),
        ("quadrant", [q.name for q in radar.quadrants]),
    ):
        keys = [byor_key(name) for name in names]
        if any(not key for key in keys):
            raise ExportError(f"a {kind} has no name")
        if len(set(keys)) != len(keys):
            raise ExportError(f"two {kind}s have the same name: {', '.join(names)}")
    if len({r.code for r in radar.rings}) != len(radar.rings):
        raise ExportError("two rings have the same code")
    positions = [q.position for q in radar.quadrants]
    if len(set(positions)) != len(positions) or not all(0 <= x <= 3 for x in positions):
        raise ExportError("quadrant positions must be distinct and within 0-3")
    _check_entries(radar, radar.entries, radar.date.isoformat())
    for snapshot in radar.history:
        _check_entries(radar, snapshot.entries, snapshot.date.isoformat())


def ordered(radar: RadarData, entries: Iterable[Entry]) -> list[Entry]:
    """Entries by quadrant, ring (inside out) and name: the order of every file."""
    return sorted(
        entries,
        key=lambda e: (e.quadrant, radar.ring_index(e.ring), e.name.casefold(), e.key),
    )


# BYOR


def sanitize(html: str) -> str:
    """HTML reduced to the tags and link attributes BYOR keeps (idempotent)."""
    return nh3.clean(html, tags=set(BYOR_TAGS), attributes=BYOR_ATTRIBUTES, link_rel=None)


def escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def byor_description(entry: Entry) -> str:
    """The description with the edition's note as a last paragraph, trimmed as BYOR
    trims every value."""
    note = f"<p>{escape_text(entry.note)}</p>" if entry.note else ""
    return sanitize(entry.description + note).strip()


def byor_rows(radar: RadarData) -> list[dict[str, str]]:
    """One row per entry, every value a string, ring and quadrant by name."""
    check(radar)
    return [
        {
            "name": entry.name,
            "ring": radar.ring(entry.ring).name,
            "quadrant": radar.quadrant(entry.quadrant).name,
            "isNew": "TRUE" if entry.movement == p.NEW else "FALSE",
            "status": BYOR_STATUS[entry.movement],
            "description": byor_description(entry),
        }
        for entry in ordered(radar, radar.entries)
    ]


def byor_settings(radar: RadarData) -> dict[str, str]:
    """The RINGS and QUADRANTS settings a BYOR instance needs for this file, in order."""
    quadrants = sorted(radar.quadrants, key=lambda q: q.position)
    return {
        "RINGS": json.dumps([r.name for r in radar.rings], ensure_ascii=False),
        "QUADRANTS": json.dumps([q.name for q in quadrants], ensure_ascii=False),
    }


def byor_csv(radar: RadarData) -> bytes:
    """Comma separated, UTF-8 without a BOM (d3.csv would read a BOM into the first
    heading), the English headings BYOR checks."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=BYOR_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(byor_rows(radar))
    return buffer.getvalue().encode()


def byor_json(radar: RadarData) -> bytes:
    return _json(byor_rows(radar))


# Zalando


def zalando(radar: RadarData) -> dict[str, Any]:
    """radar_visualization's data: `date` and `entries`, and under `config` the
    quadrants (clockwise from bottom right) and rings (inside out) with colours."""
    check(radar)
    if len(radar.quadrants) != MAX_QUADRANTS:
        raise ExportError("Zalando's radar needs exactly four quadrants")
    zalando_index = {position: index for index, position in enumerate(BOTTOM_RIGHT_FIRST)}
    return {
        "date": radar.date.isoformat(),
        "entries": [
            {
                "quadrant": zalando_index[entry.quadrant],
                "ring": radar.ring_index(entry.ring),
                "label": entry.name,
                "active": True,
                "moved": ZALANDO_MOVED[entry.movement],
                "link": entry.links[0].url if entry.links else "",
            }
            for entry in ordered(radar, radar.entries)
        ],
        "config": {
            "title": radar.title,
            "quadrants": [{"name": radar.quadrant(pos).name} for pos in BOTTOM_RIGHT_FIRST],
            "rings": [{"name": r.name, "color": r.color} for r in radar.rings],
        },
    }


# Backstage


def backstage(radar: RadarData) -> dict[str, Any]:
    """A TechRadarLoaderResponse: each entry of this edition with its timeline, newest
    first, through every earlier edition it was placed in."""
    check(radar)
    snapshots = [*radar.history, Snapshot(radar.date, radar.entries)]
    by_key: dict[str, list[tuple[datetime.date, Entry]]] = {}
    for snapshot in sorted(snapshots, key=lambda s: s.date, reverse=True):
        for entry in snapshot.entries:
            by_key.setdefault(entry.key, []).append((snapshot.date, entry))
    present = {q.position for q in radar.quadrants}
    entries = []
    for entry in ordered(radar, radar.entries):
        timeline = []
        for date, then in by_key[entry.key]:
            point: dict[str, Any] = {
                "date": date.isoformat(),
                "ringId": then.ring,
                "description": then.note,
            }
            if then.movement in BACKSTAGE_MOVED:
                point["moved"] = BACKSTAGE_MOVED[then.movement]
            timeline.append(point)
        entries.append(
            {
                "key": entry.key,
                "id": entry.key,
                "quadrant": radar.quadrant(entry.quadrant).slug,
                "title": entry.name,
                "description": entry.description,
                "links": [{"url": link.url, "title": link.title} for link in entry.links],
                "timeline": timeline,
            }
        )
    return {
        "quadrants": [
            {"id": radar.quadrant(pos).slug, "name": radar.quadrant(pos).name}
            for pos in BOTTOM_RIGHT_FIRST
            if pos in present
        ],
        "rings": [
            {"id": r.code, "name": r.name, "color": r.color, "description": r.description}
            for r in radar.rings
        ],
        "entries": entries,
    }


# AOE


def _ring_radii(count: int) -> list[float]:
    return [round((index + 1) / count, 2) for index in range(count)]


def aoe_config(radar: RadarData) -> dict[str, Any]:
    """The rings and quadrants for AOE's config.json (merged into its defaults)."""
    radii = _ring_radii(len(radar.rings))
    return {
        "quadrants": [
            {"id": q.slug, "title": q.name, "description": q.description, "color": q.color}
            for q in sorted(radar.quadrants, key=lambda q: q.position)
        ],
        "rings": [
            {
                "id": r.code,
                "title": r.name,
                "description": r.description,
                "color": r.color,
                "radius": radius,
                "strokeWidth": 2,
            }
            for r, radius in zip(radar.rings, radii, strict=True)
        ],
    }


def aoe_markdown(entry: Entry, quadrant_slug: str) -> str:
    """One item file: front matter (JSON strings are valid YAML) and the description."""
    tags = ", ".join(json.dumps(tag, ensure_ascii=False) for tag in entry.tags)
    body = entry.description.strip()
    if entry.note:
        body += f"\n\n{escape_text(entry.note)}"
    return (
        "---\n"
        f"title: {json.dumps(entry.name, ensure_ascii=False)}\n"
        f"ring: {json.dumps(entry.ring, ensure_ascii=False)}\n"
        f"quadrant: {json.dumps(quadrant_slug, ensure_ascii=False)}\n"
        f"tags: [{tags}]\n"
        "---\n\n"
        f"{body}\n"
    )


_SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def aoe_zip(radar: RadarData) -> bytes:
    """config.json and radar/<date>/<id>.md for this edition and every earlier one."""
    check(radar)
    config = aoe_config(radar)
    output = io.BytesIO()
    slugs = {q.position: q.slug for q in radar.quadrants}
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("config.json", ZIP_TIME), _json(config))
        for snapshot in [*radar.history, Snapshot(radar.date, radar.entries)]:
            for entry in ordered(radar, snapshot.entries):
                if not _SAFE_ID.match(entry.key):
                    raise ExportError(f"entry {entry.name!r}: {entry.key!r} is not a file name")
                text = aoe_markdown(entry, slugs[entry.quadrant])
                path = f"radar/{snapshot.date.isoformat()}/{entry.key}.md"
                archive.writestr(zipfile.ZipInfo(path, ZIP_TIME), text.encode())
    return output.getvalue()


# The full table


def table_records(radar: RadarData) -> list[Mapping[str, Any]]:
    """Every number behind each entry (survey editions only)."""
    check(radar)
    records = [entry.numbers for entry in ordered(radar, radar.entries)]
    if radar.editorial or any(record is None for record in records):
        raise ExportError("an editorial radar has no numbers: its rings were set by hand")
    return [record for record in records if record is not None]


# Formats


@dataclass(frozen=True)
class Format:
    """A file an edition can be written as: `extension` names the file and its type."""

    code: str
    extension: str
    survey_only: bool = False


FORMATS: tuple[Format, ...] = (
    Format("byor-csv", "csv"),
    Format("byor-json", "json"),
    Format("zalando", "json"),
    Format("backstage", "json"),
    Format("aoe", "zip"),
    Format("csv", "csv", survey_only=True),
    Format("xlsx", "xlsx", survey_only=True),
    Format("json", "json", survey_only=True),
)
FORMAT_CODES = tuple(f.code for f in FORMATS)


def format_of(code: str) -> Format:
    for fmt in FORMATS:
        if fmt.code == code:
            return fmt
    raise ExportError(f"unknown format {code!r}; one of {', '.join(FORMAT_CODES)}")


def _json(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, indent=1).encode()


def render(radar: RadarData, code: str, sheet_title: str = "radar") -> bytes:
    """The edition as a file in format `code`; ExportError when it cannot be written."""
    fmt = format_of(code)
    if fmt.code == "byor-csv":
        return byor_csv(radar)
    if fmt.code == "byor-json":
        return byor_json(radar)
    if fmt.code == "zalando":
        return _json(zalando(radar))
    if fmt.code == "backstage":
        return _json(backstage(radar))
    if fmt.code == "aoe":
        return aoe_zip(radar)
    records = table_records(radar)
    fields: Sequence[tabular.Field] = radar.table_fields
    return tabular.render(fmt.code, fields, records, sheet_title)
