"""The network's data as plain records, written as CSV, XLSX or JSON by the one writer
(Danish headings in the spreadsheets, code names in JSON)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kommuneradar.core.tabular import Field

from . import progress
from .models import Enrolment, JointProject, Programme
from .services import Profile, ProgrammeOverview, stage_label

CODE = Field("municipality_code", "kommunekode")
YEAR = Field("survey_year", "undersøgelsesår")
TECHNOLOGY = Field("technology", "teknologi")

MUNICIPALITY_FIELDS = [
    Field("code", "kommunekode"),
    Field("name", "kommune"),
    Field("region", "region"),
    Field("population", "indbyggere"),
    Field("population_source", "kilde til indbyggertal"),
    YEAR,
    Field("technologies_in_use", "teknologier i drift"),
    Field("url", "adresse"),
]
STAGE_FIELDS = [
    CODE,
    Field("domain", "fagområde"),
    TECHNOLOGY,
    Field("year", "år"),
    Field("stage", "stadie"),
    Field("stage_label", "stadie i tekst"),
]
COMPARISON_FIELDS = [
    CODE,
    YEAR,
    Field("domain", "fagområde"),
    Field("technologies_in_use", "teknologier i drift"),
    Field("size_group_mean", "gennemsnit for lignende størrelse"),
    Field("size_group_answered", "besvarede i størrelsesgruppen"),
]
RECOMMENDATION_FIELDS = [
    CODE,
    YEAR,
    Field("rank", "placering"),
    TECHNOLOGY,
    Field("ring", "ring"),
    Field("domains", "fagområder"),
    Field("similar_municipalities_using", "lignende kommuner der bruger den"),
    Field("similar_municipalities", "lignende kommuner"),
    Field("expected_fte_per_year", "forventede årsværk pr. år"),
    Field("gain_projects", "projekter med gevinst"),
    Field("score", "score"),
    Field("basis", "grundlag"),
    Field("mentors", "mentorer"),
]
NETWORK_FIELDS = [
    CODE,
    YEAR,
    TECHNOLOGY,
    Field("own_stage", "eget stadie"),
    Field("relation", "relation"),
    Field("other_code", "anden kommunekode"),
    Field("other_name", "anden kommune"),
    Field("other_stage", "andet stadie"),
    Field("similarity", "lighed"),
    Field("reasons", "begrundelser"),
]
MILESTONE_HEADINGS = {
    progress.DECISION: "beslutning",
    progress.PILOT: "pilot",
    progress.IN_OPERATION: "i drift",
    progress.SCALED: "udbredt",
    progress.GAINS_MEASURED: "gevinster målt",
}
ENROLMENT_FIELDS = [
    Field("programme", "program"),
    CODE,
    Field("municipality", "kommune"),
    Field("status", "status"),
    Field("enrolled_on", "tilmeldt"),
    Field("theme", "tema"),
    Field("track", "spor"),
    Field("commitment", "tilsagn"),
    *(Field(kind, MILESTONE_HEADINGS[kind]) for kind in progress.MILESTONES),
]
JOINT_FIELDS = [
    Field("title", "titel"),
    TECHNOLOGY,
    Field("status", "status"),
    Field("lead_municipality", "ledende kommune"),
    Field("participants", "deltagere"),
    Field("starts_on", "start"),
    Field("ends_on", "slut"),
    Field("description", "beskrivelse"),
    Field("results", "resultater"),
    Field("documents", "dokumenter"),
    Field("source", "kilde"),
]


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
    "stadier": (STAGE_FIELDS, stage_records),
    "sammenligning": (COMPARISON_FIELDS, comparison_records),
    "anbefalinger": (RECOMMENDATION_FIELDS, recommendation_records),
    "netvaerk": (NETWORK_FIELDS, network_records),
}


def profile_document(profile: Profile) -> dict[str, Any]:
    m = profile.municipality
    return {
        "municipality": {
            "code": m.code,
            "name": m.name,
            "region": m.region_name,
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
