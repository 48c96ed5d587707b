"""Reading the files of other radar tools (pure, no Django): a BYOR CSV or JSON, or a
Backstage TechRadarLoaderResponse, as an editorial radar (rings, quadrants, one list of
entries per date). Every problem names its row (the CSV's line, or the entry's number
in a JSON list, counted from 1), its field and why; nothing is returned with problems.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kommuneradar.core import tabular
from kommuneradar.core.tabular import Column, Problem

from . import exports as x
from . import placement as p

# Codes of problems beside core.tabular's (each has a sentence in importing.MESSAGES).
NOT_JSON = "not_json"  # value: the parser's reason
NOT_A_LIST = "not_a_list"
NOT_AN_OBJECT = "not_an_object"
NOT_A_STRING = "not_a_string"
NOT_TRUE_FALSE = "not_true_false"
UNKNOWN_STATUS = "unknown_status"
UNKNOWN_RING = "unknown_ring"  # value: the ring as written
UNKNOWN_QUADRANT = "unknown_quadrant"
TOO_MANY_RINGS = "too_many_rings"  # value: the ring that would be the fifth
TOO_MANY_QUADRANTS = "too_many_quadrants"
BAD_MOVED = "bad_moved"
NO_STATUS_COLUMN = "no_status_column"
SAME_NAMES = "same_names"  # value: the names
TOO_LONG = "too_long"  # value: the most characters allowed
NAME_CHARS = 300  # EditorialEntry.name
KEY_CHARS = 200  # EditorialEntry.key

LIMITS = tabular.Limits(
    file_bytes=5 * tabular.MEGABYTE, expanded_bytes=50 * tabular.MEGABYTE, rows=10_000
)
STATUS = {x.byor_key(label): code for code, label in x.BYOR_STATUS.items()}
BYOR_COLUMNS = (
    Column("name", ("name",), required=True),
    Column("ring", ("ring",), required=True),
    Column("quadrant", ("quadrant",), required=True),
    Column("description", ("description",), required=True, empty_ok=True),
    Column("isNew", ("isNew",)),
    Column("status", ("status",)),
)


@dataclass
class ParsedRadar:
    """What a file holds: rings innermost first, quadrants by position, entries by date."""

    rings: list[x.RingSpec]
    quadrants: list[x.QuadrantSpec]
    editions: dict[datetime.date, list[x.Entry]] = field(default_factory=dict)


def slug(text: str) -> str:
    """A lower-case ASCII id: letters, digits and hyphens (ø, æ, å spelled out)."""
    spelled = text.casefold().replace("ø", "oe").replace("æ", "ae").replace("å", "aa")
    ascii_text = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def _unique(base: str, fallback: str, taken: set[str]) -> str:
    candidate = base or fallback
    number = 2
    while candidate in taken:
        candidate = f"{base or fallback}-{number}"
        number += 1
    taken.add(candidate)
    return candidate


# BYOR


@dataclass(frozen=True)
class RingOrder:
    """A known set of ring names, innermost first, with their codes and colours."""

    rings: tuple[x.RingSpec, ...]

    def fits(self, names: Sequence[str]) -> bool:
        known = {x.byor_key(r.name) for r in self.rings}
        return bool(names) and all(x.byor_key(name) in known for name in names)


def _byor_value(raw: Mapping[str, Any], key: str) -> str:
    value = raw.get(key, "")
    return value.strip() if isinstance(value, str) else ""


def byor_radar(
    rows: Sequence[tuple[int, Mapping[str, str]]],
    date: datetime.date,
    problems: list[Problem],
    *,
    rings: Sequence[str] = (),
    quadrants: Sequence[str] = (),
    known_orders: Sequence[RingOrder] = (),
) -> ParsedRadar | None:
    """BYOR rows (line, values) as one edition at `date`. Rings and quadrants follow
    `rings` and `quadrants` (BYOR's RINGS and QUADRANTS settings) when given; otherwise
    rings follow a known order that holds every ring name of the file (ours, or BYOR's
    Adopt/Trial/Assess/Hold), or the order they first appear in; quadrants the order
    they first appear in."""
    for setting, given, limit, too_many in (
        ("RINGS", rings, x.MAX_RINGS, TOO_MANY_RINGS),
        ("QUADRANTS", quadrants, x.MAX_QUADRANTS, TOO_MANY_QUADRANTS),
    ):
        given_keys = [x.byor_key(name) for name in given]
        if len(given) > limit:
            problems.append(Problem(0, setting, too_many, given[limit][:100]))
        elif len(set(given_keys)) != len(given_keys) or not all(given_keys):
            problems.append(Problem(0, setting, SAME_NAMES, ", ".join(given)[:100]))
    if problems:
        return None
    ring_names = list(rings)
    if not ring_names:
        seen = list(dict.fromkeys(_byor_value(raw, "ring") for _line, raw in rows))
        seen = [name for name in seen if name]
        order = next((o for o in known_orders if o.fits(seen)), None)
        ring_specs = list(order.rings) if order else []
        ring_names = [r.name for r in ring_specs] if order else []
    else:
        ring_specs = []
    fixed_rings = bool(ring_names)
    quadrant_names = list(quadrants)
    fixed_quadrants = bool(quadrant_names)
    ring_at = {x.byor_key(name): index for index, name in enumerate(ring_names)}
    quadrant_at = {x.byor_key(name): index for index, name in enumerate(quadrant_names)}
    names: dict[str, int] = {}
    keys: set[str] = set()
    pending: list[tuple[str, str, int, int, str, str]] = []
    for line, raw in rows:
        before = len(problems)
        for column in BYOR_COLUMNS:
            if not isinstance(raw.get(column.key, ""), str):
                problems.append(Problem(line, column.key, NOT_A_STRING))
        name = _byor_value(raw, "name")
        if not name:
            problems.append(Problem(line, "name", tabular.REQUIRED))
        elif len(name) > NAME_CHARS:
            problems.append(Problem(line, "name", TOO_LONG, str(NAME_CHARS)))
        elif x.byor_key(name) in names:
            problems.append(Problem(line, "name", tabular.DUPLICATE, str(names[x.byor_key(name)])))
        else:
            names[x.byor_key(name)] = line
        ring = _byor_value(raw, "ring")
        ring_index = ring_at.get(x.byor_key(ring)) if ring else None
        if not ring:
            problems.append(Problem(line, "ring", tabular.REQUIRED))
        elif ring_index is None and fixed_rings:
            problems.append(Problem(line, "ring", UNKNOWN_RING, ring[:100]))
        elif ring_index is None and len(ring_at) >= x.MAX_RINGS:
            problems.append(Problem(line, "ring", TOO_MANY_RINGS, ring[:100]))
        elif ring_index is None:
            ring_index = ring_at[x.byor_key(ring)] = len(ring_names)
            ring_names.append(ring)
        quadrant = _byor_value(raw, "quadrant")
        quadrant_index = quadrant_at.get(x.byor_key(quadrant)) if quadrant else None
        if not quadrant:
            problems.append(Problem(line, "quadrant", tabular.REQUIRED))
        elif quadrant_index is None and fixed_quadrants:
            problems.append(Problem(line, "quadrant", UNKNOWN_QUADRANT, quadrant[:100]))
        elif quadrant_index is None and len(quadrant_at) >= x.MAX_QUADRANTS:
            problems.append(Problem(line, "quadrant", TOO_MANY_QUADRANTS, quadrant[:100]))
        elif quadrant_index is None:
            quadrant_index = quadrant_at[x.byor_key(quadrant)] = len(quadrant_names)
            quadrant_names.append(quadrant)
        status = _byor_value(raw, "status")
        is_new = _byor_value(raw, "isNew").casefold()
        movement = p.UNCHANGED
        if status:
            if x.byor_key(status) not in STATUS:
                problems.append(Problem(line, "status", UNKNOWN_STATUS, status[:100]))
            else:
                movement = STATUS[x.byor_key(status)]
        if is_new and is_new not in ("true", "false"):
            problems.append(Problem(line, "isNew", NOT_TRUE_FALSE, is_new[:100]))
        elif not status and is_new == "true":
            movement = p.NEW
        if len(problems) > before or ring_index is None or quadrant_index is None:
            continue
        key = _unique(slug(name), f"entry-{line}", keys)
        description = x.sanitize(_byor_value(raw, "description"))
        pending.append((key, name, quadrant_index, ring_index, movement, description))
        if tabular.too_many_problems(problems):
            return None
    if problems:
        return None
    if not ring_specs:
        codes: set[str] = set()
        ring_specs = [
            x.RingSpec(_unique(slug(name), f"ring-{index + 1}", codes), name)
            for index, name in enumerate(ring_names)
        ]
    slugs: set[str] = set()
    quadrant_specs = [
        x.QuadrantSpec(index, _unique(slug(name), f"quadrant-{index + 1}", slugs), name)
        for index, name in enumerate(quadrant_names)
    ]
    entries = [
        x.Entry(key, name, quadrant, ring_specs[ring].code, movement, description)
        for key, name, quadrant, ring, movement, description in pending
    ]
    return ParsedRadar(ring_specs, quadrant_specs, {date: entries})


def byor_rows_from_csv(content: bytes, problems: list[Problem]) -> list[tuple[int, dict[str, str]]]:
    """The rows of a BYOR CSV through the one reader, as (line, values by field)."""
    reader = tabular.Reader(
        io.BytesIO(content), LIMITS, [h for c in BYOR_COLUMNS for h in c.headings]
    )
    rows: list[tuple[int, dict[str, str]]] = []
    for sheet in reader.sheets():
        header: tabular.Header | None = None
        for line, cells in sheet.rows:
            if header is None:
                header = tabular.match_header(cells, BYOR_COLUMNS)
                for missing in header.missing:
                    problems.append(Problem(line, missing, tabular.MISSING_COLUMNS))
                if "isNew" not in header.positions and "status" not in header.positions:
                    problems.append(Problem(line, "status", NO_STATUS_COLUMN))
                if problems:
                    break
                continue
            if not any(cells):
                continue
            rows.append((line, {c.key: header.text(cells, c.key) for c in BYOR_COLUMNS}))
        break
    problems.extend(reader.problems)
    if not problems and not rows:
        problems.append(Problem(0, "", tabular.NO_ROWS))
    return rows


def _load_json(content: bytes, problems: list[Problem]) -> Any:
    if len(content) > LIMITS.file_bytes:
        problems.append(
            Problem(0, "", tabular.TOO_LARGE, str(LIMITS.file_bytes // tabular.MEGABYTE))
        )
        return None
    if not content.strip():
        problems.append(Problem(0, "", tabular.EMPTY))
        return None
    try:
        return json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        problems.append(Problem(0, "", tabular.NOT_TEXT))
    except json.JSONDecodeError as exc:
        problems.append(Problem(exc.lineno, "", NOT_JSON, exc.msg))
    except RecursionError:
        problems.append(Problem(0, "", NOT_JSON, "nested too deeply"))
    return None


def byor_rows_from_json(
    content: bytes, problems: list[Problem]
) -> list[tuple[int, dict[str, Any]]]:
    """A BYOR JSON file: a list of objects, numbered from 1."""
    document = _load_json(content, problems)
    if problems:
        return []
    if not isinstance(document, list):
        problems.append(Problem(0, "", NOT_A_LIST))
        return []
    if len(document) > LIMITS.rows:
        problems.append(Problem(0, "", tabular.TOO_MANY_ROWS, str(LIMITS.rows)))
        return []
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, item in enumerate(document, start=1):
        if not isinstance(item, dict):
            problems.append(Problem(number, "", NOT_AN_OBJECT))
            continue
        rows.append((number, item))
    if not problems and not rows:
        problems.append(Problem(0, "", tabular.NO_ROWS))
    return rows


def is_json(content: bytes, filename: str) -> bool:
    if filename.casefold().endswith(".json"):
        return True
    if filename.casefold().endswith(".csv"):
        return False
    return content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{")


def parse_byor(
    content: bytes,
    filename: str,
    date: datetime.date,
    *,
    rings: Sequence[str] = (),
    quadrants: Sequence[str] = (),
    known_orders: Sequence[RingOrder] = (),
) -> tuple[ParsedRadar | None, list[Problem]]:
    """A BYOR CSV or JSON file (told apart by its name, or its first character)."""
    problems: list[Problem] = []
    rows: Sequence[tuple[int, Mapping[str, Any]]]
    if is_json(content, filename):
        rows = byor_rows_from_json(content, problems)
    else:
        rows = byor_rows_from_csv(content, problems)
    if problems:
        return None, problems
    parsed = byor_radar(
        rows, date, problems, rings=rings, quadrants=quadrants, known_orders=known_orders
    )
    return parsed, problems


# Backstage


MOVED = {-1: p.MOVED_OUT, 0: p.UNCHANGED, 1: p.MOVED_IN}


def parse_date(text: str) -> datetime.date:
    """An ISO date, or the date of an ISO date and time ("2024-03-01T00:00:00.000Z")."""
    match = re.match(r"^(\d{4}-\d{2}-\d{2})([T ].*)?$", text.strip())
    if not match:
        raise ValueError(text)
    return datetime.date.fromisoformat(match.group(1))


class _Fields:
    """Reads typed fields of one JSON object, adding a problem for each bad one."""

    def __init__(self, problems: list[Problem], line: int, prefix: str = "") -> None:
        self.problems = problems
        self.line = line
        self.prefix = prefix

    def text(self, obj: Mapping[str, Any], name: str, *, required: bool = True) -> str:
        value = obj.get(name)
        if value is None:
            if required:
                self.problems.append(Problem(self.line, self.prefix + name, tabular.REQUIRED))
            return ""
        if not isinstance(value, str):
            self.problems.append(Problem(self.line, self.prefix + name, NOT_A_STRING))
            return ""
        if required and not value.strip():
            self.problems.append(Problem(self.line, self.prefix + name, tabular.REQUIRED))
        return value


def _backstage_specs(
    document: Mapping[str, Any], problems: list[Problem]
) -> tuple[list[x.RingSpec], dict[str, x.QuadrantSpec]]:
    rings: list[x.RingSpec] = []
    quadrants: dict[str, x.QuadrantSpec] = {}
    raw_rings = document.get("rings")
    raw_quadrants = document.get("quadrants")
    if not isinstance(raw_rings, list) or not raw_rings:
        problems.append(Problem(0, "rings", NOT_A_LIST))
        raw_rings = []
    if not isinstance(raw_quadrants, list) or not raw_quadrants:
        problems.append(Problem(0, "quadrants", NOT_A_LIST))
        raw_quadrants = []
    if len(raw_rings) > x.MAX_RINGS:
        problems.append(Problem(0, "rings", TOO_MANY_RINGS, str(len(raw_rings))))
    if len(raw_quadrants) > x.MAX_QUADRANTS:
        problems.append(Problem(0, "quadrants", TOO_MANY_QUADRANTS, str(len(raw_quadrants))))
    if problems:
        return rings, quadrants
    for index, raw in enumerate(raw_rings):
        where = f"rings[{index}]."
        if not isinstance(raw, dict):
            problems.append(Problem(0, where.rstrip("."), NOT_AN_OBJECT))
            continue
        read = _Fields(problems, 0, where)
        ring_id, name, color = read.text(raw, "id"), read.text(raw, "name"), read.text(raw, "color")
        description = read.text(raw, "description", required=False)
        if any(r.code == ring_id for r in rings):
            problems.append(Problem(0, where + "id", tabular.DUPLICATE, ring_id[:100]))
        rings.append(x.RingSpec(ring_id, name, color, description))
    for index, raw in enumerate(raw_quadrants):
        where = f"quadrants[{index}]."
        if not isinstance(raw, dict):
            problems.append(Problem(0, where.rstrip("."), NOT_AN_OBJECT))
            continue
        read = _Fields(problems, 0, where)
        quadrant_id, name = read.text(raw, "id"), read.text(raw, "name")
        if quadrant_id in quadrants:
            problems.append(Problem(0, where + "id", tabular.DUPLICATE, quadrant_id[:100]))
        position = x.BOTTOM_RIGHT_FIRST[index]
        quadrants[quadrant_id] = x.QuadrantSpec(position, quadrant_id, name)
    return rings, quadrants


@dataclass
class _Point:
    date: datetime.date
    ring: str
    note: str
    moved: int | None


def parse_backstage(content: bytes) -> tuple[ParsedRadar | None, list[Problem]]:
    """A Backstage TechRadarLoaderResponse as one edition per timeline date. An entry's
    snapshot without `moved` is new when the entry was not in the previous edition."""
    problems: list[Problem] = []
    document = _load_json(content, problems)
    if problems:
        return None, problems
    if not isinstance(document, dict):
        return None, [Problem(0, "", NOT_AN_OBJECT)]
    rings, quadrants = _backstage_specs(document, problems)
    entries = document.get("entries")
    if not isinstance(entries, list):
        problems.append(Problem(0, "entries", NOT_A_LIST))
        entries = []
    if len(entries) > LIMITS.rows:
        problems.append(Problem(0, "entries", tabular.TOO_MANY_ROWS, str(LIMITS.rows)))
    if problems:
        return None, problems
    ring_codes = {r.code for r in rings}
    keys: dict[str, int] = {}
    found: list[tuple[x.Entry, list[_Point]]] = []
    for number, raw in enumerate(entries, start=1):
        before = len(problems)
        if not isinstance(raw, dict):
            problems.append(Problem(number, "", NOT_AN_OBJECT))
            continue
        read = _Fields(problems, number)
        entry_id, title = read.text(raw, "id"), read.text(raw, "title")
        for field_name, value, limit in (("id", entry_id, KEY_CHARS), ("title", title, NAME_CHARS)):
            if len(value) > limit:
                problems.append(Problem(number, field_name, TOO_LONG, str(limit)))
        read.text(raw, "key")
        quadrant = read.text(raw, "quadrant")
        description = read.text(raw, "description", required=False)
        if entry_id in keys:
            problems.append(Problem(number, "id", tabular.DUPLICATE, str(keys[entry_id])))
        keys.setdefault(entry_id, number)
        if quadrant and quadrant not in quadrants:
            problems.append(Problem(number, "quadrant", UNKNOWN_QUADRANT, quadrant[:100]))
        links: list[x.Link] = []
        raw_links = raw.get("links", [])
        if not isinstance(raw_links, list):
            problems.append(Problem(number, "links", NOT_A_LIST))
            raw_links = []
        for index, link in enumerate(raw_links):
            if not isinstance(link, dict):
                problems.append(Problem(number, f"links[{index}]", NOT_AN_OBJECT))
                continue
            link_read = _Fields(problems, number, f"links[{index}].")
            links.append(x.Link(link_read.text(link, "url"), link_read.text(link, "title")))
        timeline = raw.get("timeline")
        points: list[_Point] = []
        if not isinstance(timeline, list) or not timeline:
            problems.append(Problem(number, "timeline", NOT_A_LIST))
            timeline = []
        dates: set[datetime.date] = set()
        for index, snapshot in enumerate(timeline):
            where = f"timeline[{index}]."
            if not isinstance(snapshot, dict):
                problems.append(Problem(number, where.rstrip("."), NOT_AN_OBJECT))
                continue
            snap = _Fields(problems, number, where)
            date_text, ring = snap.text(snapshot, "date"), snap.text(snapshot, "ringId")
            note = snap.text(snapshot, "description", required=False)
            moved = snapshot.get("moved")
            if moved is not None and (isinstance(moved, bool) or moved not in MOVED):
                problems.append(Problem(number, where + "moved", BAD_MOVED, str(moved)[:100]))
            if ring and ring not in ring_codes:
                problems.append(Problem(number, where + "ringId", UNKNOWN_RING, ring[:100]))
            try:
                date = parse_date(date_text) if date_text else None
            except ValueError:
                problems.append(
                    Problem(number, where + "date", tabular.NOT_A_DATE, date_text[:100])
                )
                date = None
            if date is not None and date in dates:
                problems.append(
                    Problem(number, where + "date", tabular.DUPLICATE, date.isoformat())
                )
            if date is not None:
                dates.add(date)
                points.append(_Point(date, ring, note, moved))
        if len(problems) > before:
            if tabular.too_many_problems(problems):
                break
            continue
        entry = x.Entry(
            key=entry_id,
            name=title,
            quadrant=quadrants[quadrant].position,
            ring="",
            movement=p.UNCHANGED,
            description=x.sanitize(description),
            links=tuple(links),
        )
        found.append((entry, points))
    if problems:
        return None, problems
    all_dates = sorted({point.date for _entry, points in found for point in points})
    previous = dict(zip(all_dates[1:], all_dates, strict=False))
    present = {(entry.key, point.date) for entry, points in found for point in points}
    editions: dict[datetime.date, list[x.Entry]] = {date: [] for date in all_dates}
    for entry, points in found:
        for point in points:
            if point.moved is not None:
                movement = MOVED[point.moved]
            elif (entry.key, previous.get(point.date)) in present:
                movement = p.UNCHANGED
            else:
                movement = p.NEW
            editions[point.date].append(
                x.Entry(
                    entry.key,
                    entry.name,
                    entry.quadrant,
                    point.ring,
                    movement,
                    entry.description,
                    point.note,
                    entry.links,
                )
            )
    return ParsedRadar(rings, sorted(quadrants.values(), key=lambda q: q.position), editions), []
