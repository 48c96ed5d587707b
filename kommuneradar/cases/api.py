"""The knowledge centre's cases: published ones for everyone (found by the same search as
the /cases/ page), and writes for the editors who own them, through the same forms, service
functions and access rules as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext_noop
from ninja import Field, Query, Router, Schema, Status
from ninja.params.functions import Path

from kommuneradar.accounts.access import ADD, CHANGE, VIEW, get_or_refuse, refuse_unless, restrict
from kommuneradar.accounts.apitokens import token_auth
from kommuneradar.accounts.models import User
from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.core.api import (
    MAX_ID,
    MunicipalityCode,
    PageMeta,
    Paging,
    Slug,
    form_data,
    formset_data,
    page_of,
    refuse_field,
    refuse_invalid,
)
from kommuneradar.places.models import Municipality
from kommuneradar.surveys.models import Dimension

from . import exports, services, workflow
from .forms import CaseForm, EffectFormSet
from .models import Case
from .search import CaseCriteria, find_cases

CASEFORM_FIELDS: list[str] = list(CaseForm.Meta.fields)
CASE_LISTS = ("technologies", "domains", "partner_municipalities")

router = Router(tags=["cases"])

FILTER_TEXT = r"^[a-z0-9_-]{0,100}$"


class EffectOut(Schema):
    description: str = Field(
        description=gettext_noop("What was measured, e.g. saved licence costs.")
    )
    dimension: str = Field(
        description=gettext_noop(
            "The kind of value: `efficiency`, `quality` (for citizens) or `wellbeing` (staff)."
        )
    )
    value: float = Field(description=gettext_noop("The effect, in `unit`."))
    unit: str = Field(
        description=gettext_noop("The unit of value, baseline and result, e.g. DKK a year.")
    )
    baseline: float | None = Field(
        description=gettext_noop("The value before (baseline), when known.")
    )
    result: float | None = Field(description=gettext_noop("The value after (result), when known."))
    measured_on: str | None = Field(description=gettext_noop("When it was measured (ISO date)."))
    method: str = Field(description=gettext_noop("How it was measured."))
    headline: bool = Field(description=gettext_noop("True for the case's headline effect."))


class CaseOut(Schema):
    id: int = Field(description=gettext_noop("The case's number; its page is /cases/<id>/."))
    url: str = Field(description=gettext_noop("The path of the case's page."))
    title: str = Field(description=gettext_noop("Title."))
    summary: str = Field(description=gettext_noop("A short summary (at most 1,000 characters)."))
    municipality_code: str = Field(
        description=gettext_noop("The lead municipality's 3-digit code.")
    )
    municipality: str = Field(description=gettext_noop("The lead municipality's name."))
    partner_municipalities: list[str] = Field(
        description=gettext_noop("Names of partner municipalities.")
    )
    technologies: list[str] = Field(description=gettext_noop("Slugs of the technologies used."))
    domains: list[str] = Field(
        description=gettext_noop("Slugs of the domains (fagområder) concerned.")
    )
    status: str = Field(
        description=gettext_noop(
            "How far the work has come: `idea`, `pilot`, `in_operation`, `scaled` or `stopped`."
        )
    )
    started_on: str | None = Field(description=gettext_noop("When the work started (ISO date)."))
    ended_on: str | None = Field(description=gettext_noop("When it ended (ISO date), if it has."))
    budget_dkk: int | None = Field(description=gettext_noop("Budget in DKK."))
    staff_fte: float | None = Field(
        description=gettext_noop("Staff in full-time equivalents (FTE).")
    )
    duration_months: int | None = Field(description=gettext_noop("Implementation time in months."))
    effects: list[EffectOut] = Field(description=gettext_noop("Every documented effect."))
    source: str = Field(description=gettext_noop("Where the facts come from."))
    published_at: str | None = Field(
        description=gettext_noop("When KL published the case (ISO 8601).")
    )


class CaseWorkOut(CaseOut):
    state: str = Field(
        description=gettext_noop(
            "The workflow state: `draft`, `submitted` (KL reviews it), "
            "`returned` (sent back for changes) or `published`."
        )
    )
    review_comment: str = Field(description=gettext_noop("The reviewer's comment, when sent back."))


class CasePage(PageMeta):
    results: list[CaseOut] = Field(description=gettext_noop("This page of cases."))


class CaseFilters(Paging):
    q: str = Field(
        "",
        max_length=200,
        description=gettext_noop(
            "Search words: Danish words in any form and inside compounds, "
            "technologies by abbreviations and synonyms; best match first."
        ),
    )
    technology: str = Field(
        "", max_length=100, pattern=FILTER_TEXT, description=gettext_noop("A technology slug.")
    )
    domain: str = Field(
        "", max_length=100, pattern=FILTER_TEXT, description=gettext_noop("A domain slug.")
    )
    region: str = Field(
        "", max_length=100, pattern=FILTER_TEXT, description=gettext_noop("A region code.")
    )
    status: Case.Stage | None = Field(None, description=gettext_noop("Only cases at this stage."))
    with_effects: bool = Field(
        False, description=gettext_noop("Only cases with documented effects.")
    )
    size_band: str = Field(
        "",
        max_length=100,
        pattern=FILTER_TEXT,
        description=gettext_noop(
            "The lead municipality's size: `under-30000`, `30000-50000`, "
            "`50000-100000` or `over-100000`."
        ),
    )
    municipality: str = Field(
        "",
        max_length=100,
        pattern=FILTER_TEXT,
        description=gettext_noop("A municipality's 3-digit code."),
    )


def _loaded(cases: Any) -> Any:
    return cases.select_related("lead_municipality").prefetch_related(
        "technologies", "domains", "partner_municipalities", "effects"
    )


@router.get("/cases", response=CasePage, operation_id="list_cases")
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> dict[str, Any]:
    """Published cases, found by the same search as the /cases/ page; best match first
    when `q` is given, else newest first."""
    criteria = CaseCriteria(
        query=filters.q.replace("\x00", ""),
        technology=filters.technology,
        domain=filters.domain,
        region=filters.region,
        stage=filters.status or "",
        with_effects=filters.with_effects,
        size_band=filters.size_band,
        municipality=filters.municipality,
    )
    cases = find_cases(criteria).prefetch_related("partner_municipalities", "domains", "effects")
    return page_of(cases, filters, exports.case_record)


CASE_ID = Path(..., ge=1, le=MAX_ID, description=gettext_noop("The case's number."))


@router.get("/cases/{case_id}", response=CaseOut, operation_id="get_case")
def case_detail(request: HttpRequest, case_id: int = CASE_ID) -> dict[str, Any]:
    """One published case with all its documented effects."""
    # The read API is open data: it answers every caller as it would the public.
    queryset = _loaded(restrict(Case.objects, None, VIEW))
    return exports.case_record(get_object_or_404(queryset, pk=case_id))


# Writes ------------------------------------------------------------------------------


class EffectIn(Schema):
    description: str = Field(max_length=200, description=gettext_noop("What was measured."))
    dimension: Dimension = Field(
        description=gettext_noop("`efficiency`, `quality` or `wellbeing`.")
    )
    value: Decimal = Field(max_digits=14, decimal_places=2, description=gettext_noop("The effect."))
    unit: str = Field(max_length=60, description=gettext_noop("The unit, e.g. DKK a year."))
    baseline: Decimal | None = Field(
        None,
        max_digits=14,
        decimal_places=2,
        description=gettext_noop("The value before, when known."),
    )
    result: Decimal | None = Field(
        None,
        max_digits=14,
        decimal_places=2,
        description=gettext_noop("The value after, when known."),
    )
    measured_on: dt.date = Field(description=gettext_noop("When it was measured."))
    method: str = Field(max_length=300, description=gettext_noop("How it was measured."))
    is_headline: bool = Field(False, description=gettext_noop("The case's headline effect."))


class CasePatch(Schema):
    """The fields to change; those left out keep their value."""

    title: str | None = Field(
        None, min_length=1, max_length=200, description=gettext_noop("Title.")
    )
    summary: str | None = Field(
        None, min_length=1, max_length=1000, description=gettext_noop("A short summary.")
    )
    body: str | None = Field(
        None,
        max_length=100_000,
        description=gettext_noop("The story, in Markdown (headings, lists, links)."),
    )
    lessons: str | None = Field(
        None, max_length=100_000, description=gettext_noop("Lessons learned.")
    )
    technologies: list[Slug] | None = Field(
        None,
        min_length=1,
        max_length=50,
        description=gettext_noop("Technology slugs (at least one)."),
    )
    domains: list[Slug] | None = Field(
        None, min_length=1, max_length=20, description=gettext_noop("Domain slugs (at least one).")
    )
    partner_municipalities: list[MunicipalityCode] | None = Field(
        None, max_length=98, description=gettext_noop("3-digit codes of partner municipalities.")
    )
    stage: Case.Stage | None = Field(None, description=gettext_noop("How far the work has come."))
    started_on: dt.date | None = Field(None, description=gettext_noop("When the work started."))
    ended_on: dt.date | None = Field(
        None, description=gettext_noop("When it ended (on or after the start).")
    )
    budget_dkk: int | None = Field(
        None, ge=0, le=MAX_ID, description=gettext_noop("Budget in DKK.")
    )
    staff_fte: Decimal | None = Field(
        None, ge=0, max_digits=6, decimal_places=1, description=gettext_noop("Staff in FTE.")
    )
    duration_months: int | None = Field(
        None, ge=0, le=32767, description=gettext_noop("Implementation time in months.")
    )
    source: str | None = Field(
        None, max_length=300, description=gettext_noop("Where the facts come from.")
    )
    effects: list[EffectIn] | None = Field(
        None,
        max_length=20,
        description=gettext_noop("When given, replaces every documented effect."),
    )


class CaseIn(CasePatch):
    """A new case; it starts as a draft of the token user's municipality."""

    title: str = Field(min_length=1, max_length=200, description=gettext_noop("Title."))
    summary: str = Field(
        min_length=1, max_length=1000, description=gettext_noop("A short summary.")
    )
    technologies: list[Slug] = Field(
        min_length=1, max_length=50, description=gettext_noop("Technology slugs (at least one).")
    )
    domains: list[Slug] = Field(
        min_length=1, max_length=20, description=gettext_noop("Domain slugs (at least one).")
    )
    municipality: str | None = Field(
        None,
        pattern=r"^[0-9]{3}$",
        description=gettext_noop(
            "The lead municipality's code: only analysts choose; an editor's "
            "case belongs to their own municipality."
        ),
    )


def _keys(model: Any, field: str, wanted: list[str], key: str) -> list[int]:
    found = dict(model.objects.filter(**{f"{field}__in": wanted}).values_list(field, "pk"))
    unknown = [value for value in wanted if value not in found]
    if unknown:
        refuse_field(key, "Unknown: " + ", ".join(unknown[:10]))
    return [found[value] for value in wanted]


def _case_form_data(case: Case, changes: dict[str, Any]) -> dict[str, Any]:
    """The case's current values (as the form shows them) overlaid with `changes`."""
    values: dict[str, Any] = {
        name: getattr(case, name) for name in CASEFORM_FIELDS if name not in CASE_LISTS
    }
    if case.pk:
        values["technologies"] = [t.pk for t in case.technologies.all()]
        values["domains"] = [d.pk for d in case.domains.all()]
        values["partner_municipalities"] = [m.pk for m in case.partner_municipalities.all()]
    for key, value in changes.items():
        if key == "technologies":
            value = _keys(Technology, "slug", value, key)
        elif key == "domains":
            value = _keys(Domain, "slug", value, key)
        elif key == "partner_municipalities":
            value = _keys(Municipality, "code", value, key)
        values[key] = value
    return form_data(values)


def _write_case(user: User, case: Case, payload: CasePatch, status: int) -> Status[Any]:
    changes = payload.model_dump(exclude_unset=True, exclude={"effects", "municipality"})
    formsets: list[Any] = []
    replaced: list[int] = []
    # English number formats and messages: a JSON body's decimals use a dot.
    with translation.override("en"):
        form = CaseForm(_case_form_data(case, changes), instance=case)
        if payload.effects is not None:
            replaced = [effect.pk for effect in case.effects.all()] if case.pk else []
            effects = [effect.model_dump() for effect in payload.effects]
            formsets.append(
                EffectFormSet(
                    formset_data("effects", effects, replaced), instance=case, prefix="effects"
                )
            )
        refuse_invalid(
            ("", form), *(("effects", f) for f in formsets), skipped={"effects": len(replaced)}
        )
    saved = services.save_case(user, form, formsets, case.lead_municipality)
    return Status(status, _work_record(saved.pk))


def _work_record(pk: int) -> dict[str, Any]:
    case = _loaded(Case.objects.all()).get(pk=pk)
    return {
        **exports.case_record(case),
        "state": case.state,
        "review_comment": case.review_comment,
    }


@router.post(
    "/cases",
    response={201: CaseWorkOut},
    auth=token_auth,
    operation_id="create_case",
    summary="Create a case (a draft)",
)
def create_case(request: HttpRequest, payload: CaseIn) -> Status[Any]:
    """A new case of the token user's municipality (analysts name one), as a draft: the
    same rules as the /cases/ny/ page."""
    user: User = request.auth  # type: ignore[attr-defined]
    if user.is_analyst:
        if payload.municipality is None:
            refuse_field("municipality", "Analysts name the lead municipality's code.")
        place = Municipality.objects.by_url_code(payload.municipality).first()
        if place is None:
            refuse_field("municipality", f"Unknown municipality code: {payload.municipality}")
    else:
        place = user.municipality
        if payload.municipality not in (None, getattr(place, "code", None)):
            raise PermissionDenied
    case = Case(lead_municipality=place)
    refuse_unless(user, ADD, case)
    return _write_case(user, case, payload, 201)


@router.patch(
    "/cases/{case_id}",
    response={200: CaseWorkOut},
    auth=token_auth,
    operation_id="update_case",
    summary="Change a case",
)
def update_case(request: HttpRequest, payload: CasePatch, case_id: int = CASE_ID) -> Status[Any]:
    """Change a case the token user may edit (their municipality's draft or returned case;
    analysts any case). Another municipality's unpublished case answers 404, its published
    one 403; a case under review answers 403."""
    user: User = request.auth  # type: ignore[attr-defined]
    case: Case = get_or_refuse(
        Case.objects.select_related("lead_municipality"), user, CHANGE, pk=case_id
    )
    if not workflow.may_edit(case.state, is_analyst=user.is_analyst):
        raise PermissionDenied
    return _write_case(user, case, payload, 200)


@router.post(
    "/cases/{case_id}/submit",
    response={200: CaseWorkOut},
    auth=token_auth,
    operation_id="submit_case",
    summary="Submit a case for review by KL",
)
def submit_case(request: HttpRequest, case_id: int = CASE_ID) -> Status[Any]:
    """Send a draft or returned case to KL for review (403 from any other state)."""
    user: User = request.auth  # type: ignore[attr-defined]
    case: Case = get_or_refuse(Case.objects.all(), user, CHANGE, pk=case_id)
    services.change_state(user, case, workflow.SUBMIT)
    return Status(200, _work_record(case.pk))
