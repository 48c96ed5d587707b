"""KL's KLE plan ("KLE-Emneplan") as published in XML: reading it (pure, no Django).

The file's shape, as KL publishes it::

    <KLE-Emneplan>
      <Hovedgruppe>
        <HovedgruppeNr>00</HovedgruppeNr>
        <HovedgruppeTitel>Kommunens styrelse</HovedgruppeTitel>
        <Gruppe>
          <GruppeNr>00.01</GruppeNr>
          <GruppeTitel>Kommunens styrelse</GruppeTitel>
          <Emne>
            <EmneNr>00.01.00</EmneNr>
            <EmneTitel>Kommunens styrelse i almindelighed</EmneTitel>
          </Emne>
        </Gruppe>
      </Hovedgruppe>
    </KLE-Emneplan>

Every other element (guidance texts, administrative dates, legal references) is skipped,
and a namespace on the elements is ignored. The reader is expat with document type
declarations refused, so no entity can expand or reach outside the file. What is wrong is
a `Problem` (line, element, code, value): nothing is half read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import IO
from xml.parsers import expat

MEGABYTE = 1024 * 1024
# KL's whole plan with its guidance texts is some tens of MB; a tenfold margin.
MAX_BYTES = 100 * MEGABYTE
CHUNK = MEGABYTE
MAX_TITLE = 300
MAX_PROBLEMS = 200

ROOT = "KLE-Emneplan"
MAIN_GROUP = "main_group"
GROUP = "group"
TOPIC = "topic"
# element name -> (level, the number's element, the title's element, the parent's level)
ENTRIES: dict[str, tuple[str, str, str, str]] = {
    "Hovedgruppe": (MAIN_GROUP, "HovedgruppeNr", "HovedgruppeTitel", ""),
    "Gruppe": (GROUP, "GruppeNr", "GruppeTitel", MAIN_GROUP),
    "Emne": (TOPIC, "EmneNr", "EmneTitel", GROUP),
}
NUMBER_SHAPES = {
    MAIN_GROUP: re.compile(r"\d\d"),
    GROUP: re.compile(r"\d\d\.\d\d"),
    TOPIC: re.compile(r"\d\d\.\d\d\.\d\d"),
}

# Problem codes.
EMPTY = "empty"
TOO_LARGE = "too_large"  # value: the limit in MB
NOT_XML = "not_xml"  # value: expat's reason
DOCTYPE = "doctype"
NOT_A_PLAN = "not_a_plan"  # value: the root element found
MISPLACED = "misplaced"  # value: the element's parent
NO_NUMBER = "no_number"
BAD_NUMBER = "bad_number"  # value: the number
NO_TITLE = "no_title"
TITLE_TOO_LONG = "title_too_long"
NOT_UNDER_PARENT = "not_under_parent"  # value: the number
DUPLICATE = "duplicate"  # value: the number, and the line it repeats
NO_ENTRIES = "no_entries"
TOO_MANY_PROBLEMS = "too_many_problems"


@dataclass(frozen=True)
class Problem:
    """One reason the file cannot be imported: `line` 0 is the file as a whole; `element`
    is the element's name as written (without a namespace)."""

    line: int
    element: str
    code: str
    value: str = ""


@dataclass(frozen=True)
class Entry:
    """One main group, group or topic, in the order of the file; `parent` is the number
    of the entry it sits in ("" for a main group)."""

    number: str
    title: str
    level: str
    parent: str
    line: int


@dataclass
class Plan:
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Open:
    """An entry element being read."""

    name: str
    level: str
    line: int
    depth: int
    parent: str
    number: str = ""
    title: str = ""


class _Refused(Exception):
    pass


def _local(name: str) -> str:
    """The element's name without its namespace (expat joins them with a space)."""
    return name.rsplit(" ", 1)[-1]


class _Reader:
    def __init__(self) -> None:
        self.plan = Plan()
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.EntityDeclHandler = self._doctype
        self.parser.ExternalEntityRefHandler = self._external
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.depth = 0
        self.stack: list[_Open] = []
        self.collecting: str | None = None  # "number" or "title" of the innermost entry
        self.buffer: list[str] = []
        self.seen: dict[str, int] = {}
        self.root_checked = False

    def problem(self, line: int, element: str, code: str, value: str = "") -> None:
        self.plan.problems.append(Problem(line, element, code, value))
        if len(self.plan.problems) >= MAX_PROBLEMS:
            self.plan.problems.append(Problem(0, "", TOO_MANY_PROBLEMS, str(MAX_PROBLEMS)))
            raise _Refused

    @property
    def line(self) -> int:
        return int(self.parser.CurrentLineNumber)

    def _doctype(self, *args: object) -> None:
        self.problem(self.line, "", DOCTYPE)
        raise _Refused

    def _external(self, *args: object) -> int:
        self.problem(self.line, "", DOCTYPE)
        raise _Refused

    def _start(self, raw: str, attributes: dict[str, str]) -> None:
        name = _local(raw)
        self.depth += 1
        if not self.root_checked:
            self.root_checked = True
            if name != ROOT:
                self.problem(self.line, name, NOT_A_PLAN, name)
                raise _Refused
            return
        if name in ENTRIES:
            level, _number, _title, parent_level = ENTRIES[name]
            above = self.stack[-1] if self.stack else None
            if (above.level if above else "") != parent_level:
                self.problem(self.line, name, MISPLACED, above.name if above else ROOT)
            self.stack.append(
                _Open(name, level, self.line, self.depth, above.number if above else "")
            )
            return
        top = self.stack[-1] if self.stack else None
        if top is not None and self.depth == top.depth + 1:
            _level, number_element, title_element, _parent = ENTRIES[top.name]
            if name == number_element:
                self.collecting, self.buffer = "number", []
            elif name == title_element:
                self.collecting, self.buffer = "title", []

    def _text(self, data: str) -> None:
        if self.collecting is not None:
            self.buffer.append(data)

    def _end(self, raw: str) -> None:
        name = _local(raw)
        if self.collecting is not None and self.stack:
            top = self.stack[-1]
            if self.depth == top.depth + 1:
                text = " ".join("".join(self.buffer).split())
                setattr(top, self.collecting, text)
                self.collecting = None
        if name in ENTRIES and self.stack and self.stack[-1].depth == self.depth:
            self._close(self.stack.pop())
        self.depth -= 1

    def _close(self, entry: _Open) -> None:
        if not entry.number:
            self.problem(entry.line, entry.name, NO_NUMBER)
            return
        if not NUMBER_SHAPES[entry.level].fullmatch(entry.number):
            self.problem(entry.line, entry.name, BAD_NUMBER, entry.number)
            return
        if not entry.title:
            self.problem(entry.line, entry.name, NO_TITLE, entry.number)
            return
        if len(entry.title) > MAX_TITLE:
            self.problem(entry.line, entry.name, TITLE_TOO_LONG, entry.number)
            return
        if entry.parent and not entry.number.startswith(entry.parent + "."):
            self.problem(entry.line, entry.name, NOT_UNDER_PARENT, entry.number)
            return
        if entry.number in self.seen:
            self.problem(
                entry.line, entry.name, DUPLICATE, f"{entry.number}:{self.seen[entry.number]}"
            )
            return
        self.seen[entry.number] = entry.line
        self.plan.entries.append(
            Entry(entry.number, entry.title, entry.level, entry.parent, entry.line)
        )


def read(stream: IO[bytes]) -> Plan:
    """Read a KLE plan from a binary stream: every entry, or the problems (then nothing
    is meant to be imported)."""
    reader = _Reader()
    plan = reader.plan
    total = 0
    started = False
    try:
        while chunk := stream.read(CHUNK):
            total += len(chunk)
            if total > MAX_BYTES:
                plan.problems.append(Problem(0, "", TOO_LARGE, str(MAX_BYTES // MEGABYTE)))
                return plan
            started = started or bool(chunk.strip())
            reader.parser.Parse(chunk, False)
        if not started:
            plan.problems.append(Problem(0, "", EMPTY))
            return plan
        reader.parser.Parse(b"", True)
    except _Refused:
        return plan
    except expat.ExpatError as exc:
        plan.problems.append(
            Problem(int(exc.lineno or 0), "", NOT_XML, expat.ErrorString(exc.code))
        )
        return plan
    # The parents are in the file before their children, so a child under a refused
    # parent is refused with its parent; an entry whose parent was never read is named.
    known = {entry.number for entry in plan.entries}
    for entry in plan.entries:
        if entry.parent and entry.parent not in known and not plan.problems:
            plan.problems.append(Problem(entry.line, "", NOT_UNDER_PARENT, entry.number))
    if not plan.entries and not plan.problems:
        plan.problems.append(Problem(0, "", NO_ENTRIES))
    return plan


def where(problem: Problem) -> str:
    """Where a problem is, as a command prints it: "line 12, element Emne"."""
    parts = [f"line {problem.line}" if problem.line else "file"]
    if problem.element:
        parts.append(f"element {problem.element}")
    return ", ".join(parts)
