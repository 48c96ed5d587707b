"""The pipeline's imports: KL's KLE plan (XML) and an OS2autoproces Excel export. Each
checks the whole file first and then writes everything in one transaction, or nothing;
every problem names its line, its element or column, and why."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kommuneradar.accounts import access, audit
from kommuneradar.accounts.models import User
from kommuneradar.catalog.models import Domain, Technology, TechnologyTerm
from kommuneradar.core import problems as import_problems
from kommuneradar.core.tabular import Problem, normalise
from kommuneradar.places.models import Municipality

from . import kleplan
from . import os2autoproces as os2
from .models import KleEntry, Process, ProcessContact, System

# KLE -----------------------------------------------------------------------------------

KLE_MESSAGES: dict[str, str] = {
    kleplan.EMPTY: gettext_noop("The file is empty."),
    kleplan.TOO_LARGE: gettext_noop("The file is larger than %(value)s MB."),
    kleplan.NOT_XML: gettext_noop("This is not well-formed XML (%(value)s)."),
    kleplan.DOCTYPE: gettext_noop(
        "The file declares a document type or entities; KL's plan has none."
    ),
    kleplan.NOT_A_PLAN: gettext_noop(
        "The file's root element is %(value)s, not KLE-Emneplan: this is not KL's KLE plan."
    ),
    kleplan.MISPLACED: gettext_noop("The element does not belong inside %(value)s."),
    kleplan.NO_NUMBER: gettext_noop("The entry has no number."),
    kleplan.BAD_NUMBER: gettext_noop(
        "The number %(value)s does not have the shape of its level (00, 00.00 or 00.00.00)."
    ),
    kleplan.NO_TITLE: gettext_noop("Entry %(value)s has no title."),
    kleplan.TITLE_TOO_LONG: gettext_noop("The title of entry %(value)s is too long."),
    kleplan.NOT_UNDER_PARENT: gettext_noop(
        "Entry %(value)s does not sit under the entry its number belongs to."
    ),
    kleplan.DUPLICATE: gettext_noop("The number %(value)s repeats an earlier entry (number:line)."),
    kleplan.NO_ENTRIES: gettext_noop("The file holds no main groups, groups or topics."),
    kleplan.TOO_MANY_PROBLEMS: gettext_noop("Stopped reading after %(value)s problems."),
}


@dataclass(frozen=True)
class KleResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[kleplan.Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        """Each problem as a command prints it: "line 12, element Emne: …"."""
        return [
            f"{kleplan.where(problem)}: "
            f"{_(KLE_MESSAGES.get(problem.code, '%(value)s')) % {'value': problem.value}}"
            for problem in self.problems
        ]


LEVEL_ORDER = {kleplan.MAIN_GROUP: 0, kleplan.GROUP: 1, kleplan.TOPIC: 2}


def import_kle(stream: IO[bytes], filename: str, user: User | None = None) -> KleResult:
    """Read KL's KLE plan and bring `KleEntry` in step with it: entries are matched by
    number, new ones created, changed titles and parents updated; entries absent from the
    file stay (processes may point at them). All or nothing."""
    plan = kleplan.read(stream)
    if not plan.ok:
        return KleResult(problems=plan.problems)
    if user is not None:
        access.refuse_unless_analyst(user)
    entries = sorted(plan.entries, key=lambda e: (LEVEL_ORDER[e.level], e.number))
    existing = {entry.number: entry for entry in KleEntry.objects.all()}
    created = updated = unchanged = 0
    summary = f"KLE plan from {filename}: {len(entries)} entries"
    with audit.operation(user, "import_kle", summary=summary):
        for entry in entries:
            parent = existing.get(entry.parent) if entry.parent else None
            row = existing.get(entry.number)
            if row is None:
                row = KleEntry(number=entry.number)
                created += 1
            elif (
                row.title == entry.title
                and row.level == entry.level
                and row.parent_id == (parent.pk if parent else None)
            ):
                unchanged += 1
                continue
            else:
                updated += 1
            row.title = entry.title
            row.level = entry.level
            row.parent = parent
            row.save()
            existing[entry.number] = row
    return KleResult(created, updated, unchanged)


# OS2autoproces ---------------------------------------------------------------------------

OS2_MESSAGES: dict[str, str] = {
    os2.UNKNOWN_PHASE: gettext_noop(
        "Unknown phase “%(value)s”: write Idé, Foranalyse, Specifikation, Udvikling, "
        "Implementering, Drift or Taget ud af drift."
    ),
    os2.UNKNOWN_STATUS: gettext_noop(
        "Unknown status “%(value)s”: write I gang, Afventer, Afvist, Mislykket, "
        "Ikke vurderet or Ikke relevant mere."
    ),
    os2.UNKNOWN_VISIBILITY: gettext_noop(
        "Unknown visibility “%(value)s”: write Personlig, Myndighed or Offentlig."
    ),
    os2.UNKNOWN_FREQUENCY: gettext_noop(
        "Unknown schedule “%(value)s”: write Efter behov, Enkeltkørsel, Dagligt, Ugentligt, "
        "Månedligt, Kvartalsvis or Årligt."
    ),
    os2.UNKNOWN_DOMAIN: gettext_noop("No known area in “%(value)s”."),
    os2.UNKNOWN_KLE: gettext_noop(
        "The KLE number “%(value)s” is not in the KLE plan here: import KL's plan first "
        "(manage.py import_kle)."
    ),
    os2.OTHER_MUNICIPALITY: gettext_noop(
        "The process belongs to “%(value)s”, not to the municipality you import into."
    ),
    os2.PERSONAL_WITHOUT_OWNER: gettext_noop(
        "A personal process needs an owner: import it on the upload page, or give --owner."
    ),
    os2.BAD_EMAIL: gettext_noop("“%(value)s” is not an e-mail address."),
    os2.SHARE_OUT_OF_RANGE: gettext_noop("The automation share must be a percentage, 0–100."),
}


@dataclass(frozen=True)
class Os2Result:
    created: int
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems

    def explained(self) -> list[tuple[Problem, str]]:
        """Each problem with its reason, for the page."""
        return import_problems.explain(self.problems, OS2_MESSAGES)

    def lines(self) -> list[str]:
        """Each problem as a command prints it."""
        return [import_problems.describe(problem, OS2_MESSAGES) for problem in self.problems]


def _named(rows: list[tuple[int, str, str, str]]) -> dict[str, int]:
    table: dict[str, int] = {}
    for pk, *names in rows:
        for name in names:
            if name:
                table.setdefault(normalise(name), pk)
    return table


def os2_lookups(municipality: Municipality, *, personal_allowed: bool) -> os2.Lookups:
    """What names an OS2autoproces file may use, for an import into `municipality`."""
    domains = {
        os2.domain_key(name): pk
        for pk, *names in Domain.objects.values_list("pk", "slug", "name_da", "name_en")
        for name in names
    }
    slugs = dict(Domain.objects.values_list("slug", "pk"))
    for name, slug in os2.DOMAINS.items():
        if slug in slugs:
            domains.setdefault(name, slugs[slug])
    technologies = _named(list(Technology.objects.values_list("pk", "slug", "name_da", "name_en")))
    for pk, term in TechnologyTerm.objects.exclude(kind=TechnologyTerm.Kind.BROADER).values_list(
        "technology_id", "term"
    ):
        technologies.setdefault(normalise(term), pk)
    return os2.Lookups(
        municipality=municipality.pk,
        municipalities=Municipality.objects.lookup_table(),
        domains=domains,
        technologies=technologies,
        kle=dict(KleEntry.objects.values_list("number", "pk")),
        personal_allowed=personal_allowed,
    )


PROCESS_FIELDS = (
    "title",
    "summary",
    "phase",
    "status",
    "visibility",
    "legal_basis",
    "legal_basis_checked_on",
    "run_frequency",
    "cases_per_year",
    "minutes_per_case",
    "automation_share",
)
CONTACT_ROLES = (
    ("owner_name", "", gettext_noop("Professional contact (OS2autoproces)")),
    ("contact_name", "contact_email", gettext_noop("Contact person (OS2autoproces)")),
    ("reporter_name", "", gettext_noop("Reported by (OS2autoproces)")),
)


def import_os2autoproces(
    content: bytes | IO[bytes],
    filename: str,
    municipality: Municipality,
    user: User | None,
    owner: User | None = None,
) -> Os2Result:
    """Check the whole OS2autoproces export, then create every process (with its systems,
    technologies and contact persons) in `municipality`, in one transaction, or nothing.
    `user` None is a trusted command-line import; on the page, `user` must be allowed to
    add processes to `municipality` (an editor: their own). `owner` (the user on the page)
    owns the new processes, so that their personal ones stay theirs."""
    owner = owner or user
    if user is not None:
        access.refuse_unless(user, access.ADD, Process(municipality=municipality, owner=owner))
    stream = io.BytesIO(content) if isinstance(content, bytes) else content
    checked = os2.read(stream, os2_lookups(municipality, personal_allowed=owner is not None))
    if checked.problems:
        return Os2Result(0, checked.problems)
    systems = {system.name: system for system in System.objects.all()}
    with transaction.atomic():
        for row in checked.rows:
            process = Process(
                municipality=municipality,
                owner=owner,
                domain_id=row["domain"] or None,
                kle_id=row["kle"],
                description=os2.description(row),
                internal_notes=os2.internal_notes(row),
                **{name: row[name] for name in PROCESS_FIELDS},
            )
            summary = f"{process.title} (line {row['line']} of {filename}, OS2autoproces)"
            with audit.operation(user, "import", subject=process, summary=summary):
                process.save()
                known, _other = row["technologies"]
                process.technologies.set(known)
                for name in row["systems"]:
                    if name not in systems:
                        systems[name] = System.objects.create(name=name)
                    process.systems.add(systems[name])
                for name_key, email_key, role in CONTACT_ROLES:
                    if row[name_key] or (email_key and row[email_key]):
                        ProcessContact.objects.create(
                            process=process,
                            name=row[name_key] or row[email_key],
                            email=row[email_key] if email_key else "",
                            role=_(role),
                        )
    return Os2Result(len(checked.rows), [])
