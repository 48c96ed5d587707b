"""Projects and dashboard figures as CSV, JSON and XLSX: the same records in every format.

JSON keys are English code names (stable for programs), spreadsheet headings Danish; FTE
are per year at 1,924 hours each; money in DKK."""

from __future__ import annotations

from typing import Any

from kommuneradar.core.tabular import Field

from . import finance
from .models import Project
from .services import Dashboard

PROJECT_FIELDS = [
    Field("id", "id"),
    Field("title", "titel"),
    Field("municipality_code", "kommunekode"),
    Field("municipality", "kommune"),
    Field("region", "region"),
    Field("technology", "teknologi"),
    Field("domain", "fagområde"),
    Field("status", "status"),
    Field("start_date", "startdato"),
    Field("benefit_owner", "gevinstejer"),
    Field("citizens_affected", "borgere berørt"),
    Field("staff_affected", "medarbejdere berørt"),
    Field("published", "offentliggjort"),
    Field("one_off_cost_dkk", "engangsomkostninger kr"),
    Field("running_cost_dkk_per_year", "driftsomkostninger kr pr. år"),
    Field("gain_dkk_per_year", "gevinst kr pr. år"),
    Field("hours_freed_per_year_expected", "forventede timer frigjort pr. år"),
    Field("discount_rate", "diskonteringsrente"),
    Field("horizon_years", "horisont år"),
    Field("npv_dkk", "nutidsværdi kr"),
    Field("payback_years", "tilbagebetalingstid år"),
    Field("expected_fte", "forventede årsværk"),
    Field("realised_fte", "realiserede årsværk"),
    Field("last_follow_up", "seneste opfølgning"),
    Field("follow_ups", "opfølgninger"),
    Field("follow_up_overdue", "opfølgning forsinket"),
]
DASHBOARD_FIELDS = [
    Field("group", "gruppe"),
    Field("label", "navn"),
    Field("projects", "projekter"),
    Field("expected_projects", "projekter med forventning"),
    Field("expected_fte", "forventede årsværk"),
    Field("expected_fte_pessimistic", "forventede årsværk pessimistisk"),
    Field("expected_fte_optimistic", "forventede årsværk optimistisk"),
    Field("measured_projects", "projekter med måling"),
    Field("realised_fte", "realiserede årsværk"),
    Field("expected_uncertain", "forventning usikker"),
    Field("realised_uncertain", "realisering usikker"),
    Field("median_fte_per_1000_inhabitants", "median årsværk pr. 1.000 indbyggere"),
    Field("potential_fte", "potentiale årsværk"),
]


def _number(value: Any) -> float | None:
    return None if value is None else round(float(value), 4)


def project_record(project: Project) -> dict[str, Any]:
    """One project as plain data; expects services.with_figures' selects and prefetches."""
    case = project.business_case_or_none()
    likely = case.results()[finance.LIKELY] if case else None
    latest = project.latest_follow_up()
    return {
        "id": project.pk,
        "title": project.title,
        "municipality_code": project.municipality.code,
        "municipality": project.municipality.name,
        "region": project.municipality.region_name,
        "technology": project.technology.slug,
        "domain": project.domain.slug,
        "status": project.status,
        "start_date": project.start_date.isoformat(),
        "benefit_owner": project.benefit_owner,
        "citizens_affected": project.citizens_affected,
        "staff_affected": project.staff_affected,
        "published": project.published,
        "one_off_cost_dkk": _number(case.one_off_cost) if case else None,
        "running_cost_dkk_per_year": _number(case.running_cost) if case else None,
        "gain_dkk_per_year": _number(case.gain_dkk) if case else None,
        "hours_freed_per_year_expected": _number(case.hours_freed) if case else None,
        "discount_rate": _number(case.discount_rate) if case else None,
        "horizon_years": case.horizon_years if case else None,
        "npv_dkk": _number(likely.net_present_value) if likely else None,
        "payback_years": _number(likely.payback_years) if likely else None,
        "expected_fte": _number(project.expected_fte),
        "realised_fte": _number(project.realised_fte),
        "last_follow_up": latest.measured_on.isoformat() if latest else None,
        "follow_ups": len(project.follow_ups.all()),
        "follow_up_overdue": project.follow_up_overdue(),
    }


def dashboard_records(board: Dashboard) -> list[dict[str, Any]]:
    """Every dashboard figure as one flat record: group kind, label, figures, counts."""
    records: list[dict[str, Any]] = []
    groups = [("all", [board.overall])]
    groups += [("technology", board.by_technology), ("domain", board.by_domain)]
    groups += [("region", board.by_region)]
    for kind, rows in groups:
        for row in rows:
            records.append(
                {
                    "group": kind,
                    "label": row.label or "all",
                    "projects": row.projects,
                    "expected_projects": row.expected_projects,
                    "expected_fte": _number(row.expected_fte),
                    "expected_fte_pessimistic": _number(row.expected_fte_pessimistic),
                    "expected_fte_optimistic": _number(row.expected_fte_optimistic),
                    "measured_projects": row.measured_projects,
                    "realised_fte": _number(row.realised_fte),
                    "expected_uncertain": row.expected_uncertain,
                    "realised_uncertain": row.realised_uncertain,
                    "median_fte_per_1000_inhabitants": None,
                    "potential_fte": None,
                    "potential_fte_low": None,
                    "potential_fte_high": None,
                }
            )
    for potential in board.potential.all_rows:
        records.append(
            {
                "group": "potential_ready_technology",
                "label": potential.technology,
                "projects": potential.measured_projects,
                "expected_projects": None,
                "expected_fte": None,
                "expected_fte_pessimistic": None,
                "expected_fte_optimistic": None,
                "measured_projects": potential.measured_projects,
                "realised_fte": None,
                "expected_uncertain": None,
                "realised_uncertain": potential.uncertain,
                "median_fte_per_1000_inhabitants": _number(potential.median_fte_per_1000),
                "potential_fte": _number(potential.potential_fte),
                "potential_fte_low": _number(potential.potential_fte_low),
                "potential_fte_high": _number(potential.potential_fte_high),
            }
        )
    return records
