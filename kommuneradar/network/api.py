"""Open data from the peer network: recommendations, programmes and joint projects."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router

from kommuneradar.accounts.access import VIEW, get_or_refuse
from kommuneradar.places.models import Municipality

from . import exports, services
from .models import JointProject, Programme

router = Router(tags=["network"])


@router.get("/municipalities/{code}/", response=dict[str, Any])
def municipality_profile(request: HttpRequest, code: str) -> dict[str, Any]:
    """A municipality's profile: stages over the rounds, comparison with municipalities
    of similar size, recommendations with mentors, and peers and mentors."""
    municipality = get_object_or_404(Municipality.objects.select_related("region"), code=code)
    return exports.profile_document(services.municipality_profile(municipality))


@router.get("/programmes/", response=list[dict[str, Any]])
def programmes(request: HttpRequest) -> list[dict[str, Any]]:
    """Every partnership programme with its tracks, enrolments and milestone dates."""
    return [
        exports.programme_document(services.programme_overview(programme))
        for programme in Programme.objects.all()
    ]


@router.get("/programmes/{slug}/", response=dict[str, Any])
def programme(request: HttpRequest, slug: str) -> dict[str, Any]:
    found = get_or_refuse(Programme.objects, None, VIEW, slug=slug)
    return exports.programme_document(services.programme_overview(found))


@router.get("/joint-projects/", response=list[dict[str, Any]])
def joint_projects(request: HttpRequest) -> list[dict[str, Any]]:
    """Joint projects with participants, shared results and documents."""
    projects = JointProject.objects.select_related(
        "technology", "lead_municipality"
    ).prefetch_related("participants", "documents")
    return exports.joint_records(projects)
