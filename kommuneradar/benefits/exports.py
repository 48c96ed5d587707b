"""Projects and dashboard figures as CSV, JSON and XLSX: the same records in every format.

Column names are English code names (stable for programs); FTE are per year at 1,924
hours each; money in DKK."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook

from kommuneradar.core.formatting import spreadsheet_safe

from . import finance
from .models import Project
from .services import Dashboard

FORMATS = ("csv", "json", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


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
        "region": project.municipality.region.name,
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


def render(records: Iterable[dict[str, Any]], fmt: str, sheet_title: str) -> bytes:
    """Records as a file in `fmt` (csv, json or xlsx). In CSV and XLSX, text typed by users
    cannot start a formula."""
    rows = list(records)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1).encode()
    rows = [{key: spreadsheet_safe(value) for key, value in row.items()} for row in rows]
    columns = list(rows[0]) if rows else []
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
        return ("\ufeff" + buffer.getvalue()).encode()
    if fmt == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = sheet_title[:31]
        sheet.append(columns)
        for row in rows:
            sheet.append([row[column] for column in columns])
        output = io.BytesIO()
        workbook.save(output)
        return output.getvalue()
    raise ValueError(f"unknown format {fmt!r}")
