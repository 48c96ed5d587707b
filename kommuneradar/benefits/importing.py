"""Import implementation projects from a spreadsheet: all rows or none, in one
transaction, with every bad row listed by line, column and reason."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext_noop

from kommuneradar.accounts.models import record
from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.core import problems as import_problems
from kommuneradar.core.tabular import Problem, normalise
from kommuneradar.places.models import Municipality

from . import spreadsheet as s
from .forms import BusinessCaseForm
from .models import BusinessCase, Project

MESSAGES: dict[str, str] = {
    s.DATE_TOO_EARLY: gettext_noop("The start date must be in the year 2000 or later."),
    s.RATE_OUT_OF_RANGE: gettext_noop("The discount rate must be between 0 and 20 percent."),
    s.PESSIMISTIC_BETTER: gettext_noop(
        "The pessimistic value must not be better than the likely one."
    ),
    s.OPTIMISTIC_WORSE: gettext_noop("The optimistic value must not be worse than the likely one."),
    s.FORBIDDEN_MUNICIPALITY: gettext_noop(
        "You may only import projects for your own municipality."
    ),
}


def message_for(problem: Problem) -> str:
    """The translated reason for one import problem."""
    return import_problems.reason(problem, MESSAGES)


@dataclass(frozen=True)
class ImportResult:
    created: int
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems

    def explained(self) -> list[tuple[Problem, str]]:
        """Each problem with its reason, for the page."""
        return import_problems.explain(self.problems, MESSAGES)

    def lines(self) -> list[str]:
        """Each problem as a command prints it."""
        return [import_problems.describe(problem, MESSAGES) for problem in self.problems]


def lookups(user: Any | None) -> s.Lookups:
    """Names the file may use; editors may only name their own municipality."""
    municipalities = Municipality.objects.lookup_table()
    technologies: dict[str, int] = {}
    for pk, slug, name_da, name_en in Technology.objects.values_list(
        "pk", "slug", "name_da", "name_en"
    ):
        for key in (slug, name_da, name_en):
            technologies[normalise(key)] = pk
    domains: dict[str, int] = {}
    for pk, slug, name_da, name_en in Domain.objects.values_list(
        "pk", "slug", "name_da", "name_en"
    ):
        for key in (slug, name_da, name_en):
            domains[normalise(key)] = pk
    statuses: dict[str, str] = {}
    danish = {
        "planned": ("planlagt",),
        "implementing": ("under implementering", "implementeres"),
        "in_operation": ("i drift",),
        "stopped": ("stoppet", "afsluttet"),
    }
    for value, label in Project.Status.choices:
        for key in (value, str(label), *danish[value]):
            statuses[normalise(key)] = value
    allowed = None
    if user is not None and not user.is_analyst:
        allowed = frozenset({user.municipality_id} if user.municipality_id else set())
    return s.Lookups(municipalities, technologies, domains, statuses, allowed)


FOREIGN_KEYS = {
    "municipality_id": "municipality",
    "technology_id": "technology",
    "domain_id": "domain",
}
PROJECT_FIELDS = (
    "title",
    "description",
    "citizens_affected",
    "staff_affected",
    "start_date",
    "status",
    "benefit_owner",
    "follow_up_months",
    "published",
)
# The business case's fields: those of its form, and the rate (a share, not the form's percent).
CASE_FIELDS = (*BusinessCaseForm.Meta.fields, "discount_rate")


def import_projects(content: bytes | IO[bytes], filename: str, user: Any | None) -> ImportResult:
    """Check the whole file (bytes or a seekable binary stream), then create every project
    with its business case in one transaction, or nothing. `user` None means a trusted
    command-line import."""
    stream = io.BytesIO(content) if isinstance(content, bytes) else content
    checked = s.read(stream, lookups(user))
    if checked.problems:
        return ImportResult(0, checked.problems)
    with transaction.atomic():
        for row in checked.rows:
            project = Project.objects.create(
                **{name: row[key] for name, key in FOREIGN_KEYS.items()},
                **{name: row[name] for name in PROJECT_FIELDS},
            )
            BusinessCase.objects.create(
                project=project, **{name: row[name] for name in CASE_FIELDS}
            )
            record(
                user,
                "import",
                project,
                f"{project.title} (line {row['line']} of {filename})",
                project.municipality,
            )
    return ImportResult(len(checked.rows), [])
