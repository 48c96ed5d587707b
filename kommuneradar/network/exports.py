"""The network's data as plain records, written as CSV or JSON with the same fields."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from django.http import Http404, HttpResponse

from kommuneradar.core.formatting import spreadsheet_safe

from . import progress
from .models import Enrolment, JointProject, Programme
from .services import Profile, ProgrammeOverview, stage_label

MUNICIPALITY_COLUMNS = [
    "code",
    "name",
    "region",
    "population",
    "population_source",
    "survey_year",
    "technologies_in_use",
    "url",
]
STAGE_COLUMNS = ["municipality_code", "domain", "technology", "year", "stage", "stage_label"]
COMPARISON_COLUMNS = [
    "municipality_code",
    "survey_year",
    "domain",
    "technologies_in_use",
    "size_group_mean",
    "size_group_answered",
]
RECOMMENDATION_COLUMNS = [
    "municipality_code",
    "survey_year",
    "rank",
    "technology",
    "ring",
    "domains",
    "similar_municipalities_using",
    "similar_municipalities",
    "expected_fte_per_year",
    "gain_projects",
    "score",
    "basis",
    "mentors",
]
NETWORK_COLUMNS = [
    "municipality_code",
    "survey_year",
    "technology",
    "own_stage",
    "relation",
    "other_code",
    "other_name",
    "other_stage",
    "similarity",
    "reasons",
]
ENROLMENT_COLUMNS = [
    "programme",
    "municipality_code",
    "municipality",
    "status",
    "enrolled_on",
    "theme",
    "track",
    "commitment",
    *progress.MILESTONES,
]
JOINT_COLUMNS = [
    "title",
    "technology",
    "status",
    "lead_municipality",
    "participants",
    "starts_on",
    "ends_on",
    "description",
    "results",
    "documents",
    "source",
]


def _cell(value: Any) -> Any:
    """A CSV cell: lists joined by "; ", and text that a spreadsheet would read as a
    formula (e.g. a commitment typed as "=...") defused with a leading apostrophe."""
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    if value is None:
        return ""
    return spreadsheet_safe(value)


def csv_text(columns: list[str], records: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for record in records:
        writer.writerow({key: _cell(record.get(key)) for key in columns})
    return out.getvalue()


def download(payload: Any, columns: list[str] | None, fmt: str, filename: str) -> HttpResponse:
    """A CSV (of `payload`'s records) or JSON download; any other format is a 404."""
    if fmt not in ("csv", "json"):
        raise Http404
    if fmt == "json":
        body = json.dumps(payload, ensure_ascii=False, indent=2, default=str)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        assert columns is not None
        response = HttpResponse(csv_text(columns, payload), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def stage_records(profile: Profile) -> list[dict[str, Any]]:
    rows = []
    for history in profile.histories:
        for row in history.rows:
            for year, stage in zip(profile.years, row.stages, strict=True):
                if stage is None:
                    continue
                rows.append(
                    {
                        "municipality_code": profile.municipality.code,
                        "domain": history.domain.slug,
                        "technology": row.technology.slug,
                        "year": year,
                        "stage": stage,
                        "stage_label": stage_label(stage),
                    }
                )
    return rows


def comparison_records(profile: Profile) -> list[dict[str, Any]]:
    return [
        {
            "municipality_code": profile.municipality.code,
            "survey_year": profile.year,
            "domain": row.label,
            "technologies_in_use": row.own,
            "size_group_mean": None if row.group_mean is None else round(row.group_mean, 2),
            "size_group_answered": row.group_answered,
        }
        for row in profile.comparison
    ]


def recommendation_records(profile: Profile) -> list[dict[str, Any]]:
    return [
        {
            "municipality_code": profile.municipality.code,
            "survey_year": profile.year,
            "rank": rank,
            "technology": row.technology.slug,
            "ring": row.ring,
            "domains": [d.slug for d in row.domains],
            "similar_municipalities_using": row.recommendation.candidate.similar_users,
            "similar_municipalities": row.recommendation.candidate.similar_count,
            "expected_fte_per_year": None
            if row.recommendation.expected_fte is None
            else round(row.recommendation.expected_fte, 2),
            "gain_projects": row.recommendation.candidate.gain_projects,
            "score": round(row.recommendation.score, 4),
            "basis": row.recommendation.basis,
            "mentors": [m.municipality.code for m in row.mentors],
        }
        for rank, row in enumerate(profile.recommendations, start=1)
    ]


def network_records(profile: Profile) -> list[dict[str, Any]]:
    rows = []
    for work in profile.in_progress:
        for relation, matches in (("peer", work.peers), ("mentor", work.mentors)):
            for match in matches:
                rows.append(
                    {
                        "municipality_code": profile.municipality.code,
                        "survey_year": profile.year,
                        "technology": work.technology.slug,
                        "own_stage": work.stage,
                        "relation": relation,
                        "other_code": match.municipality.code,
                        "other_name": match.municipality.name,
                        "other_stage": match.stage,
                        "similarity": round(match.similarity, 4),
                        "reasons": list(match.reasons),
                    }
                )
    return rows


PROFILE_TABLES = {
    "stadier": (STAGE_COLUMNS, stage_records),
    "sammenligning": (COMPARISON_COLUMNS, comparison_records),
    "anbefalinger": (RECOMMENDATION_COLUMNS, recommendation_records),
    "netvaerk": (NETWORK_COLUMNS, network_records),
}


def profile_document(profile: Profile) -> dict[str, Any]:
    m = profile.municipality
    return {
        "municipality": {
            "code": m.code,
            "name": m.name,
            "region": m.region.name,
            "population": m.population,
            "population_source": m.population_source,
        },
        "survey_year": profile.year,
        "size_group": [g.code for g in profile.size_group],
        "stages": stage_records(profile),
        "comparison": comparison_records(profile),
        "recommendations": recommendation_records(profile),
        "network": network_records(profile),
        "programmes": [e.programme.slug for e in profile.enrolments],
        "joint_projects": [p.slug for p in profile.joint_projects],
    }


def enrolment_records(overview: ProgrammeOverview) -> list[dict[str, Any]]:
    rows = []
    programme = overview.programme
    for participant in overview.participants:
        enrolment: Enrolment = participant.enrolment
        for track, (chosen, _last, milestones) in zip(
            overview.tracks, participant.cells, strict=True
        ):
            if not chosen:
                continue
            dates = {m.kind: _date(m.reached_on) for m in milestones}
            rows.append(
                {
                    "programme": programme.slug,
                    "municipality_code": enrolment.municipality.code,
                    "municipality": enrolment.municipality.name,
                    "status": enrolment.status,
                    "enrolled_on": _date(enrolment.enrolled_on),
                    "theme": track.theme,
                    "track": track.name,
                    "commitment": enrolment.commitment,
                    **{kind: dates.get(kind) for kind in progress.MILESTONES},
                }
            )
    return rows


def programme_document(overview: ProgrammeOverview) -> dict[str, Any]:
    programme: Programme = overview.programme
    return {
        "name": programme.name,
        "slug": programme.slug,
        "summary": programme.summary,
        "starts_on": _date(programme.starts_on),
        "ends_on": _date(programme.ends_on),
        "enrolment_deadline": _date(programme.enrolment_deadline),
        "fee_dkk": programme.fee_dkk,
        "source": programme.source,
        "tracks": [
            {
                "theme": summary.theme,
                "name": summary.track_name,
                "technology": summary.technology.slug if summary.technology else None,
                "participants": [m.code for m in summary.participants],
                "reached": {c.milestone: c.reached for c in summary.counts},
            }
            for summary in overview.summaries
        ],
        "enrolments": enrolment_records(overview),
    }


def joint_records(projects: Iterable[JointProject]) -> list[dict[str, Any]]:
    """Expects participants, documents, technology and lead municipality loaded."""
    return [
        {
            "title": project.title,
            "technology": project.technology.slug,
            "status": project.status,
            "lead_municipality": project.lead_municipality.code,
            "participants": sorted(m.code for m in project.participants.all()),
            "starts_on": _date(project.starts_on),
            "ends_on": _date(project.ends_on),
            "description": project.description,
            "results": project.results,
            "documents": [
                f"{d.title} <{d.url}>" if d.url else d.title for d in project.documents.all()
            ],
            "source": project.source,
        }
        for project in projects
    ]
