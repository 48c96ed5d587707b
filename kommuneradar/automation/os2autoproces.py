"""An OS2autoproces Excel export read into rows of the pipeline (pure, no Django).

OS2autoproces (github.com/OS2autoproces) exports its processes as an XLSX workbook of one
sheet, "Processer", with one row per process under Danish headings (its `ProcessXlsView`).
The columns read here, and where they go in our `Process`:

- ID: checked for repeats within the file;
- Titel (required): title; Resumé: summary;
- Fase (required): phase, by OS2autoproces' names (Idé, Foranalyse, Specifikation,
  Udvikling, Implementering, Drift, Taget ud af drift);
- Status: I gang, Afventer, Afvist, Mislykket, Ikke relevant mere; "Ikke vurderet" (not
  rated yet) becomes pending; Statustekst goes to the internal notes ("Status: …");
- Synlighed: Personlig, Myndighed (the municipality), Offentlig;
- Myndighed: when filled in, must name the municipality imported into;
- Fagområder: the first of OS2autoproces' areas, as our nearest domain;
- Lovparagraf, Sidst kontrolleret i forhold til §: legal basis and the day it was checked;
- KLE-nr: the KLE number (it must be in our KLE plan: import the plan first);
- Beskrivelse, Idéer til løsning, Udfordringer i den nuværende proces, Beskrivelse af
  automatisering, Teknisk and Organisatorisk implementering: the description, each part
  under its heading;
- Nuværende systemer: IT systems (comma separated; new names are added);
- Anvendt teknologi: the technologies of our catalogue (names, abbreviations, synonyms);
  names it does not know are kept in the description;
- Skedulering: run frequency (Efter behov and Enkeltkørsel: when needed; Dagligt … Årligt);
- Antal gange processen foretages årligt, Tidsforbrug pr. proces i minutter, Forventet
  automatiseringsgrad: cases per year (rounded), minutes per case, automation share (%);
- Faglig kontaktperson, Kontaktperson with Mail, Indberetter: contact persons (seen in
  the process's own municipality only);
- Interne Noter: internal notes.

Every other column (the assessment questions, dates of creation, links, attachments' file
names, …) is read past. The file is checked as a whole: `read` returns the rows ready to
save, or every problem with its line, column and code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import IO, Any

from kommuneradar.core import tabular as t
from kommuneradar.core.tabular import Column, Problem
from kommuneradar.places.naming import municipality_key

LIMITS = t.Limits(
    file_bytes=10 * 1024 * 1024,
    expanded_bytes=64 * 1024 * 1024,
    rows=5000,
    shared_strings_bytes=8 * 1024 * 1024,
)

# Codes beyond the reader's own (core.tabular).
UNKNOWN_PHASE = "unknown_phase"
UNKNOWN_STATUS = "unknown_status"
UNKNOWN_VISIBILITY = "unknown_visibility"
UNKNOWN_FREQUENCY = "unknown_frequency"
UNKNOWN_DOMAIN = "unknown_domain"
UNKNOWN_KLE = "unknown_kle"
OTHER_MUNICIPALITY = "other_municipality"
PERSONAL_WITHOUT_OWNER = "personal_without_owner"
BAD_EMAIL = "bad_email"
SHARE_OUT_OF_RANGE = "share_out_of_range"

# OS2autoproces' labels (and its enum names) -> our codes.
PHASES = {
    "idé": "idea",
    "ide": "idea",
    "idea": "idea",
    "foranalyse": "pre_analysis",
    "preanalysis": "pre_analysis",
    "specifikation": "specification",
    "specification": "specification",
    "udvikling": "development",
    "development": "development",
    "implementering": "implementation",
    "implementation": "implementation",
    "drift": "operation",
    "i drift": "operation",
    "operation": "operation",
    "taget ud af drift": "decommissioned",
    "decommissioned": "decommissioned",
}
STATUSES = {
    "i gang": "in_progress",
    "inprogress": "in_progress",
    "afventer": "pending",
    "pending": "pending",
    # OS2autoproces' "not rated yet": waiting for an assessment.
    "ikke vurderet": "pending",
    "not rated": "pending",
    "afvist": "rejected",
    "rejected": "rejected",
    "mislykket": "failed",
    "failed": "failed",
    "ikke relevant mere": "not_relevant",
    "ikke relevant": "not_relevant",
    "not relevant": "not_relevant",
}
VISIBILITIES = {
    "personlig": "personal",
    "personal": "personal",
    "myndighed": "municipality",
    "kommune": "municipality",
    "municipality": "municipality",
    "offentlig": "public",
    "public": "public",
}
FREQUENCIES = {
    "efter behov": "on_demand",
    "ondemand": "on_demand",
    # a single run has no repetition: "when needed" is the nearest of ours
    "enkeltkørsel": "on_demand",
    "once": "on_demand",
    "dagligt": "daily",
    "daily": "daily",
    "ugentligt": "weekly",
    "weekly": "weekly",
    "månedligt": "monthly",
    "monthly": "monthly",
    "kvartalsvis": "quarterly",
    "quaterly": "quarterly",
    "quarterly": "quarterly",
    "årligt": "yearly",
    "yearly": "yearly",
}
# OS2autoproces' areas -> the slug of our nearest domain.
DOMAINS = {
    "administration og organisation": "oekonomi-og-administration",
    "administration": "oekonomi-og-administration",
    "arbejdsmarked og erhverv": "beskaeftigelse-og-integration",
    "work": "beskaeftigelse-og-integration",
    "børn og læring": "dagtilbud-og-skole",
    "children": "dagtilbud-og-skole",
    "demokrati og involvering": "borgerservice",
    "democracy": "borgerservice",
    "miljø teknik og forsyning": "klima-teknik-og-miljoe",
    "environment": "klima-teknik-og-miljoe",
    "social og sundhed": "sundhed-og-aeldre",
    "health": "sundhed-og-aeldre",
}
# The parts of the description, in order: (key, heading in the file, heading written).
DESCRIPTION_PARTS = (
    ("long_description", "Beskrivelse", ""),
    ("solution_ideas", "Idéer til løsning", "Idéer til løsning"),
    ("challenges", "Udfordringer i den nuværende proces", "Udfordringer i den nuværende proces"),
    ("automation_description", "Beskrivelse af automatisering", "Beskrivelse af automatisering"),
    ("technical_notes", "Teknisk implementering", "Teknisk implementering"),
    ("organisational_notes", "Organisatorisk implementering", "Organisatorisk implementering"),
)
KLE_NUMBER = re.compile(r"\d\d(\.\d\d){0,2}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_DESCRIPTION = 20_000
MAX_MINUTES = Decimal("999999.99")
MAX_CASES = 100_000_000


@dataclass(frozen=True)
class Lookups:
    """What names in a file may refer to (lookup key -> id or code)."""

    municipality: int  # the municipality imported into
    municipalities: dict[str, int]  # keyed by places.naming.municipality_key
    domains: dict[str, int]  # normalised names and slugs -> id
    technologies: dict[str, int]  # normalised names, slugs and terms -> id
    kle: dict[str, int]  # KLE number -> id
    personal_allowed: bool = True  # False without an owner for personal processes


def _split(text: str) -> list[str]:
    """A list cell: OS2autoproces joins with commas, people with semicolons or lines."""
    return [part.strip() for part in re.split(r"[,;\n]", text) if part.strip()]


def _cases(text: str) -> int:
    number = t.amount(text)
    if number > MAX_CASES:
        raise t.Invalid(t.OUT_OF_RANGE)
    return int(number.to_integral_value(rounding=ROUND_HALF_UP))


def _minutes(text: str) -> Decimal:
    number = t.amount(text)
    if number > MAX_MINUTES:
        raise t.Invalid(t.OUT_OF_RANGE)
    return number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _share(text: str) -> Decimal:
    number = t.parse_decimal(text.replace("%", ""))
    if not Decimal(0) <= number <= Decimal(100):
        raise t.Invalid(SHARE_OUT_OF_RANGE)
    return number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _email(text: str) -> str:
    if not EMAIL.fullmatch(text) or len(text) > 254:
        raise t.Invalid(BAD_EMAIL)
    return text


def _kle(table: dict[str, int]) -> t.Parser:
    def parse(text: str) -> int:
        found = KLE_NUMBER.match(text.strip())
        if found is None or found.group(0) not in table:
            raise t.Invalid(UNKNOWN_KLE)
        return table[found.group(0)]

    return parse


def domain_key(text: str) -> str:
    """A domain's lookup key: normalised, commas as spaces ("Miljø, teknik og forsyning")."""
    return t.normalise(text.replace(",", " "))


def _domain(table: dict[str, int]) -> t.Parser:
    """The first area named: OS2autoproces joins areas with commas, and an area's own name
    may hold one, so the names known are looked for in the text."""

    def parse(text: str) -> int:
        typed = f" {domain_key(text)} "
        found = [(typed.find(f" {key} "), -len(key), pk) for key, pk in table.items()]
        hits = sorted(hit for hit in found if hit[0] >= 0)
        if not hits:
            raise t.Invalid(UNKNOWN_DOMAIN)
        return hits[0][2]

    return parse


def _technologies(table: dict[str, int]) -> t.Parser:
    """The catalogue's technologies named, and the names it does not know."""

    def parse(text: str) -> tuple[list[int], list[str]]:
        known: list[int] = []
        other: list[str] = []
        for name in _split(text):
            pk = table.get(t.normalise(name))
            if pk is None:
                other.append(name[:100])
            elif pk not in known:
                known.append(pk)
        return known, other

    return parse


def _systems(text: str) -> list[str]:
    return list(dict.fromkeys(name[:120] for name in _split(text)))


def columns(lookups: Lookups) -> list[Column]:
    """Every column read, with its parser."""
    text = t.text_up_to(MAX_DESCRIPTION)
    name = t.text_up_to(120)
    return [
        Column("os2_id", ("ID", "id")),
        Column("title", ("Titel", "title"), required=True, parse=t.text_up_to(200)),
        Column("summary", ("Resumé", "Resume", "summary"), parse=t.text_up_to(500)),
        Column(
            "phase",
            ("Fase", "phase"),
            required=True,
            parse=t.one_of(PHASES, UNKNOWN_PHASE),
            default=None,
        ),
        Column(
            "status",
            ("Status", "status"),
            parse=t.one_of(STATUSES, UNKNOWN_STATUS),
            default="in_progress",
        ),
        Column("status_text", ("Statustekst",), parse=text),
        Column(
            "visibility",
            ("Synlighed", "visibility"),
            parse=t.one_of(VISIBILITIES, UNKNOWN_VISIBILITY),
            default="municipality",
        ),
        Column(
            "municipality",
            ("Myndighed", "Kommune", "municipality"),
            parse=t.one_of(lookups.municipalities, key=municipality_key),
            default=None,
        ),
        Column("domain", ("Fagområder", "Fagområde", "domain"), parse=_domain(lookups.domains)),
        Column("legal_basis", ("Lovparagraf", "legal basis"), parse=text),
        Column(
            "legal_basis_checked_on",
            ("Sidst kontrolleret i forhold til §", "legal basis checked on"),
            parse=t.parse_date,
            default=None,
        ),
        Column("kle", ("KLE-nr", "KLE", "kle"), parse=_kle(lookups.kle), default=None),
        *[Column(key, (heading,), parse=text) for key, heading, _shown in DESCRIPTION_PARTS],
        Column("systems", ("Nuværende systemer", "systems"), parse=_systems, default=[]),
        Column(
            "technologies",
            ("Anvendt teknologi", "technologies"),
            parse=_technologies(lookups.technologies),
            default=([], []),
        ),
        Column(
            "run_frequency",
            ("Skedulering", "run frequency"),
            parse=t.one_of(FREQUENCIES, UNKNOWN_FREQUENCY),
        ),
        Column(
            "cases_per_year",
            ("Antal gange processen foretages årligt", "cases per year"),
            parse=_cases,
            default=0,
        ),
        Column(
            "minutes_per_case",
            ("Tidsforbrug pr. proces i minutter", "minutes per case"),
            parse=_minutes,
            default=Decimal(0),
        ),
        Column(
            "automation_share",
            ("Forventet automatiseringsgrad", "automation share"),
            parse=_share,
            default=Decimal(0),
        ),
        Column("owner_name", ("Faglig kontaktperson",), parse=name),
        Column("contact_name", ("Kontaktperson",), parse=name),
        Column("contact_email", ("Mail",), parse=_email),
        Column("reporter_name", ("Indberetter",), parse=name),
        Column("internal_notes", ("Interne Noter", "internal notes"), parse=text),
    ]


COLUMNS = columns(Lookups(0, {}, {}, {}, {}))
HEADING_KEYS = t.heading_keys(COLUMNS)
# The headings a file must have, and those read (shown on the upload page).
REQUIRED_HEADINGS = [column.headings[0] for column in COLUMNS if column.required]
READ_HEADINGS = [column.headings[0] for column in COLUMNS]


@dataclass
class Checked:
    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def read(stream: IO[bytes], lookups: Lookups) -> Checked:
    """Read and check the first sheet with a header; line numbers are the sheet's."""
    reader = t.Reader(stream, LIMITS, HEADING_KEYS)
    result = Checked()
    for sheet in reader.sheets():
        if _check_sheet(sheet.rows, lookups, result, sheet.name):
            break
    result.problems[:0] = reader.problems
    if not result.rows and not result.problems:
        result.problems.append(Problem(0, "", t.NO_ROWS))
    return result


def _check_sheet(rows: Iterator[t.Row], lookups: Lookups, result: Checked, sheet: str) -> bool:
    """Check one sheet's rows into `result`; False when the sheet has no header."""
    declared = columns(lookups)
    header: t.Header | None = None
    ids: dict[str, int] = {}
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = t.match_header(cells, declared)
            if "title" not in header.positions and "phase" not in header.positions:
                header = None
                continue
            for heading in header.missing:
                result.problems.append(Problem(line, heading, t.MISSING_COLUMNS, "", sheet))
            if header.missing:
                return True
            continue
        problems: list[Problem] = []
        values = t.parse_cells(line, cells, header, declared, problems, sheet)

        _check_rules(line, cells, values, header, lookups, problems, sheet, ids)
        result.problems.extend(problems)
        if not problems:
            result.rows.append({"line": line, **values})
        if t.too_many_problems(result.problems):
            return True
    return header is not None


def _check_rules(
    line: int,
    cells: list[str],
    values: dict[str, Any],
    header: t.Header,
    lookups: Lookups,
    problems: list[Problem],
    sheet: str,
    ids: dict[str, int],
) -> None:
    """The rules beyond one cell: the municipality imported into, an owner for personal
    processes, and each OS2autoproces ID once."""

    def fail(key: str, code: str, value: str = "") -> None:
        heading = header.headings.get(key, key)
        text = value or header.text(cells, key)[:100]
        problems.append(Problem(line, heading, code, text, sheet))

    found = values["municipality"]
    if found is not None and found != lookups.municipality:
        fail("municipality", OTHER_MUNICIPALITY)
    if values["visibility"] == "personal" and not lookups.personal_allowed:
        fail("visibility", PERSONAL_WITHOUT_OWNER)
    os2_id = values["os2_id"]
    if os2_id:
        if os2_id in ids:
            fail("os2_id", t.DUPLICATE, str(ids[os2_id]))
        ids.setdefault(os2_id, line)


def description(row: dict[str, Any]) -> str:
    """The process's description: OS2autoproces' texts, each under its heading, and the
    technologies our catalogue does not know."""
    parts = []
    for key, _heading, shown in DESCRIPTION_PARTS:
        text = str(row.get(key) or "").strip()
        if text:
            parts.append(f"{shown}:\n{text}" if shown else text)
    _known, other = row.get("technologies") or ([], [])
    if other:
        parts.append("Anvendt teknologi (OS2autoproces): " + ", ".join(other))
    return "\n\n".join(parts)[:MAX_DESCRIPTION]


def internal_notes(row: dict[str, Any]) -> str:
    parts = [str(row.get("internal_notes") or "").strip()]
    status_text = str(row.get("status_text") or "").strip()
    if status_text:
        parts.append(f"Status: {status_text}")
    return "\n\n".join(part for part in parts if part)


# The columns of a file made for tests and the sample: OS2autoproces' order and headings.
EXPORT_HEADINGS = (
    "ID",
    "Titel",
    "Resumé",
    "Fase",
    "Status",
    "Statustekst",
    "Indberetter",
    "Faglig kontaktperson",
    "Kontaktperson",
    "Mail",
    "Anden kontakt information",
    "Tilknyttede personer",
    "Synlighed",
    "Fagområder",
    "Afdelinger",
    "Myndighed",
    "Leverandør",
    "Lovparagraf",
    "KLE-nr",
    "KL ID",
    "KL's Arbejdsgangsbank",
    "Beskrivelse",
    "Idéer til løsning",
    "Udfordringer i den nuværende proces",
    "Nuværende systemer",
    "Andre nuværende systemer",
    "Oprettet",
    "Sidst opdateret",
    "Antal gange processen foretages årligt",
    "Tidsforbrug pr. proces i minutter",
    "Forventet automatiseringsgrad",
    "Manuelt tidsforbrug i timer",
    "Forventet årlig effektiviseringspotentiale",
    "Antal medarbejdere der foretager processen",
    "Er borgere påvirket",
    "Er virksomheder påvirket",
    "Forventet timeforbrug på udvikling",
    "Kommentarer til tidsforbrug",
    "I hvor høj grad indgår der faglig vurdering i processen?",
    "I hvor høj grad er processen præget af hyppige ændringer?",
    "I hvor høj grad er processen baseret på struktureret information?",
    "Er der variation i den måde processen løses?",
    "Er de data og informationer, der skal bruges i processen, tilgængelige digitalt i "
    "IT-systemer?",
    "Vil en automatiseret løsning bidrage til en højere kvalitet, som er mere ensrettet og "
    "med færre fejl?",
    "Vil en automatiseret løsning bidrage til en hurtigere og mere fyldestgørende service?",
    "Vil automatisering frigive tid og nedbringe rutineopgaver, som skaber en bedre trivsel "
    "blandt medarbejderne?",
    "I hvor høj grad vurderes det at processen kan automatiseres? ",
    "Teknisk implementering",
    "Organisatorisk implementering",
    "Anvendt teknologi",
    "Skedulering",
    "Automatiseringen anvender følgende systemer/snitflader",
    "Beskrivelse af automatisering",
    "I hvor høj grad indfriede løsningen de forventede gevinster?",
    "Sidst kontrolleret i forhold til §",
    "Løsningen sat i drift",
    "Løsningen taget ud af drift",
    "Kommentar til realiseret gevinster",
    "Sagsreference i ESDH",
    "Links",
    "Bilag",
    "Interne Noter",
)
