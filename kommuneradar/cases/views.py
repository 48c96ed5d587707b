from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kommuneradar.accounts.access import (
    ADD,
    CHANGE,
    VIEW,
    Action,
    AuthenticatedHttpRequest,
    get_or_refuse,
    login_only,
    may,
    refuse_unless,
    user_of,
)
from kommuneradar.core import published, tabular
from kommuneradar.core.downloads import file_response
from kommuneradar.places.models import Municipality, municipality_choices

from . import exports, services, workflow
from .forms import CaseForm, CaseSearchForm, ContactFormSet, EffectFormSet, ReviewForm
from .models import Case
from .rendering import render_markdown
from .search import attach_snippets, clean_query, find_cases, plan_for, suggestions_for

PAGE_SIZE = 20


FACETS = ("teknologi", "fagomraade", "region", "status", "stoerrelse", "kommune", "effekter")


def _without_each_facet(form: CaseSearchForm, request: HttpRequest) -> list[tuple[str, str]]:
    """(label, query string) for the same search without each facet in use."""
    links = []
    for name in FACETS:
        value = request.GET.get(name)
        if not value or name in form.errors:
            continue
        field = form[name]
        choices = dict(getattr(field.field, "choices", []))
        label = f"{field.label}: {choices[value]}" if value in choices else str(field.label)
        rest = request.GET.copy()
        for dropped in (name, "side"):
            rest.pop(dropped, None)
        links.append((label, rest.urlencode()))
    return links


@published.published_page
def case_list(request: HttpRequest) -> HttpResponse:
    """The knowledge centre's search: published cases only, so one search is rendered once
    per published-data version for every anonymous visitor."""
    form = CaseSearchForm(request.GET or None)
    criteria = form.criteria()
    plan = plan_for(criteria.query) if clean_query(criteria.query) else None
    page = Paginator(find_cases(criteria, plan=plan), PAGE_SIZE).get_page(request.GET.get("side"))
    cases = list(page.object_list)
    attach_snippets(cases, plan)
    query_without_page = request.GET.copy()
    query_without_page.pop("side", None)
    context = {
        "form": form,
        "criteria": criteria,
        "page": page,
        "cases": cases,
        "query_string": query_without_page.urlencode(),
    }
    if not cases:
        context["suggestions"] = suggestions_for(criteria.query)
        context["without_facets"] = _without_each_facet(form, request)
    return render(request, "cases/case_list.html", context)


def case_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    criteria = CaseSearchForm(request.GET or None).criteria()
    cases = find_cases(criteria).prefetch_related("partner_municipalities", "domains")
    base_url = request.build_absolute_uri("/").rstrip("/")
    records = (exports.case_record(case, base_url) for case in cases.iterator(chunk_size=500))
    name = "kommuneradar-cases"
    if fmt == "json":
        note = _("Published cases from the Kommuneradar knowledge centre")
        return file_response(
            tabular.json_bytes({"source": note, "cases": list(records)}), name, fmt
        )
    rows = exports.flat_records(records)
    if fmt == "csv":
        return file_response(tabular.csv_lines(exports.FIELDS, rows), name, fmt)
    return file_response(tabular.xlsx_bytes(exports.FIELDS, rows, "cases"), name, fmt)


def _case(request: HttpRequest, pk: int, action: Action) -> Case:
    """The case by the refusal policy: 404 unless the user may see it (published, or their
    own municipality's), 403 when they may see it but not do `action`."""
    case: Case = get_or_refuse(
        Case.objects.select_related("lead_municipality__region"),
        user_of(request),
        action,
        pk=pk,
    )
    return case


@published.published_page
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, VIEW)
    user = user_of(request)
    may_edit = may(user, CHANGE, case)
    is_analyst = user is not None and user.is_analyst
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "body_html": render_markdown(case.body),
            "lessons_html": render_markdown(case.lessons),
            "technologies": list(case.technologies.all()),
            "domains": list(case.domains.all()),
            "partners": list(case.partner_municipalities.all()),
            "effects": list(case.effects.all()),
            "contacts": list(case.contacts.filter(consent_to_publish=True)),
            "similar": services.similar_cases(case),
            "may_edit": may_edit,
            "may_change": may_edit and workflow.may_edit(case.state, is_analyst=is_analyst),
            "may_submit": may_edit
            and workflow.next_state(case.state, workflow.SUBMIT, is_analyst=False) is not None,
            "may_review": is_analyst and case.state == Case.State.SUBMITTED,
            "history": services.history(case) if may_edit else [],
        },
    )


def _case_form_page(
    request: AuthenticatedHttpRequest, case: Case, municipality: Municipality, title: str
) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = CaseForm(data, instance=case)
    effects = EffectFormSet(data, instance=case, prefix="effects")
    contacts = ContactFormSet(data, instance=case, prefix="contacts")
    if data is not None and all(f.is_valid() for f in (form, effects, contacts)):
        saved = services.save_case(request.user, form, [effects, contacts], municipality)
        messages.success(request, _("The case is saved."))
        return redirect(saved)
    return render(
        request,
        "cases/case_form.html",
        {
            "form": form,
            "effects": effects,
            "contacts": contacts,
            "case": case,
            "municipality": municipality,
            "page_title": title,
        },
        status=400 if data is not None else 200,
    )


@login_only
def case_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Editors go straight to their own municipality; analysts choose one."""
    user = request.user
    if not user.is_analyst:
        municipality = user.municipality
        refuse_unless(user, ADD, Case(lead_municipality=municipality))
        assert municipality is not None
        return redirect("cases:create", municipality=municipality.slug)
    chosen = request.GET.get("kommune", "").replace("\x00", "").strip()[:100]
    problem = ""
    if chosen:
        found = (
            Municipality.objects.filter(slug=chosen).first()
            or Municipality.objects.by_url_code(chosen).first()
            or Municipality.objects.named(chosen)
        )
        if found is not None:
            return redirect("cases:create", municipality=found.slug)
        problem = _("No municipality is called or numbered “%(typed)s”.") % {"typed": chosen}
    return render(
        request,
        "cases/case_new.html",
        {"municipalities": municipality_choices(), "typed": chosen, "problem": problem},
    )


@login_only
def case_create(request: AuthenticatedHttpRequest, municipality: str) -> HttpResponse:
    place = get_or_refuse(Municipality.objects, request.user, VIEW, slug=municipality)
    case = Case(lead_municipality=place)
    refuse_unless(request.user, ADD, case)
    title = _("New case for %(municipality)s") % {"municipality": place.name}
    return _case_form_page(request, case, place, title)


@login_only
def case_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, CHANGE)
    # The workflow decides when the content may change (e.g. not while KL reviews it).
    if not workflow.may_edit(case.state, is_analyst=request.user.is_analyst):
        raise PermissionDenied
    title = _("Edit case: %(title)s") % {"title": case.title}
    return _case_form_page(request, case, case.lead_municipality, title)


@login_only
@require_POST
def case_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, CHANGE)
    services.change_state(request.user, case, workflow.SUBMIT)
    messages.success(request, _("The case is submitted for review by KL."))
    return redirect(case)


@login_only
def case_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = _case(request, pk, CHANGE)
    if not user.is_analyst or case.state != Case.State.SUBMITTED:
        raise PermissionDenied
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        action = workflow.PUBLISH if decision == "publish" else workflow.RETURN
        services.change_state(user, case, action, form.cleaned_data["comment"])
        messages.success(request, _("Your decision is saved."))
        return redirect(case)
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/case_review.html", {"case": case, "form": form}, status=status)


@login_only
def workspace(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    cases = list(services.workspace_cases(user)[:200])
    return render(request, "cases/workspace.html", {"cases": cases, "is_analyst": user.is_analyst})
