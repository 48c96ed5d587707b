"""Import implementation projects from a spreadsheet: all rows or none, in one
transaction, with every bad row listed by line, column and reason."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from kommuneradar.accounts import audit
from kommuneradar.accounts.models import User
from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.places.models import Municipality

from . import spreadsheet as s
from .models import BusinessCase, Project

MESSAGES: dict[str, str | Promise] = {
    s.EMPTY_FILE: gettext_lazy("The file holds no projects."),
    s.TOO_LARGE: gettext_lazy("The file is larger than 5 MB."),
    s.NOT_READABLE: gettext_lazy(
        "The file is neither a CSV file nor an XLSX workbook that can be read."
    ),
    s.MISSING_COLUMN: gettext_lazy("The column is missing."),
    s.TOO_MANY_ROWS: gettext_lazy("The file has more than 5,000 rows; split it up."),
    s.REQUIRED: gettext_lazy("A value is required."),
    s.UNKNOWN: gettext_lazy("Unknown value."),
    s.NOT_A_NUMBER: gettext_lazy("Not a number."),
    s.NEGATIVE: gettext_lazy("Must be zero or more."),
    s.NOT_A_DATE: gettext_lazy("Not a date (write YYYY-MM-DD or DD-MM-YYYY)."),
    s.DATE_TOO_EARLY: gettext_lazy("The start date must be in the year 2000 or later."),
    s.RATE_OUT_OF_RANGE: gettext_lazy("The discount rate must be between 0 and 20 percent."),
    s.NOT_WHOLE: gettext_lazy("Must be a whole number."),
    s.OUT_OF_RANGE: gettext_lazy("The value is outside the allowed range."),
    s.NOT_YES_NO: gettext_lazy("Write ja or nej."),
    s.PESSIMISTIC_BETTER: gettext_lazy(
        "The pessimistic value must not be better than the likely one."
    ),
    s.OPTIMISTIC_WORSE: gettext_lazy("The optimistic value must not be worse than the likely one."),
    s.FORBIDDEN_MUNICIPALITY: gettext_lazy(
        "You may only import projects for your own municipality."
    ),
}


def message_for(code: str) -> str:
    return str(MESSAGES[code])


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    value: str
    reason: str


@dataclass(frozen=True)
class ImportResult:
    created: int
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors


def lookups(user: User | None) -> s.Lookups:
    """Names the file may use; editors may only name their own municipality."""
    municipalities: dict[str, int] = {}
    for pk, code, name, slug in Municipality.objects.values_list("pk", "code", "name", "slug"):
        for key in (code, name, f"{name} kommune", slug):
            municipalities[s.normalise(key)] = pk
    technologies: dict[str, int] = {}
    for pk, slug, name_da, name_en in Technology.objects.values_list(
        "pk", "slug", "name_da", "name_en"
    ):
        for key in (slug, name_da, name_en):
            technologies[s.normalise(key)] = pk
    domains: dict[str, int] = {}
    for pk, slug, name_da, name_en in Domain.objects.values_list(
        "pk", "slug", "name_da", "name_en"
    ):
        for key in (slug, name_da, name_en):
            domains[s.normalise(key)] = pk
    statuses: dict[str, str] = {}
    danish = {
        "planned": ("planlagt",),
        "implementing": ("under implementering", "implementeres"),
        "in_operation": ("i drift",),
        "stopped": ("stoppet", "afsluttet"),
    }
    for value, label in Project.Status.choices:
        for key in (value, str(label), *danish[value]):
            statuses[s.normalise(key)] = value
    allowed = None
    if user is not None and not user.is_analyst:
        allowed = frozenset({user.municipality_id} if user.municipality_id else set())
    return s.Lookups(municipalities, technologies, domains, statuses, allowed)


PROJECT_FIELDS = (
    "municipality_id",
    "technology_id",
    "domain_id",
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
CASE_FIELDS = (
    "one_off_cost",
    "one_off_cost_pessimistic",
    "one_off_cost_optimistic",
    "running_cost",
    "running_cost_pessimistic",
    "running_cost_optimistic",
    "gain_dkk",
    "gain_dkk_pessimistic",
    "gain_dkk_optimistic",
    "hours_freed",
    "hours_freed_pessimistic",
    "hours_freed_optimistic",
    "citizens_per_fte_before",
    "citizens_per_fte_after",
    "horizon_years",
    "discount_rate",
)


def import_projects(content: bytes, filename: str, user: User | None) -> ImportResult:
    """Check the whole file, then create every project with its business case in one
    transaction, or nothing. `user` None means a trusted command-line import."""
    table, problems = s.read_table(content, filename)
    if not problems:
        checked = s.check(table, lookups(user))
        problems = checked.problems
    if problems:
        return ImportResult(
            0,
            [RowError(p.line, p.column, p.value, message_for(p.code)) for p in problems],
        )
    with transaction.atomic():
        for row in checked.rows:
            project = Project(**{name: row[name] for name in PROJECT_FIELDS})
            summary = f"{project.title} (line {row['line']} of {filename})"
            with audit.operation(user, "import", subject=project, summary=summary):
                project.save()
                BusinessCase.objects.create(
                    project=project, **{name: row[name] for name in CASE_FIELDS}
                )
    return ImportResult(len(checked.rows), [])
