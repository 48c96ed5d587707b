"""Benefits pages: the labour-gap dashboard, project lists and pages, forms, import and
exports. Who may do what: everyone sees published projects; editors also see and edit
their own municipality's projects; analysts see and edit all."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

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
    restrict,
    user_of,
)
from kommuneradar.accounts.models import User
from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.core import published
from kommuneradar.core.downloads import export_response
from kommuneradar.places.models import Municipality, municipality_choices

from . import charts, exports, importing, services
from .forms import BusinessCaseForm, FollowUpForm, ImportForm, IndicatorFormSet, ProjectForm
from .models import BusinessCase, Project, ProjectQuerySet

PAGE_SIZE = 50


@published.published_page
def dashboard(request: HttpRequest) -> HttpResponse:
    context = published.cached("benefits-dashboard-page", (), _dashboard_figures)
    context["fragment"] = published.fragment_key("benefits-dashboard")
    return render(request, "benefits/dashboard.html", context)


def _dashboard_figures() -> dict[str, Any]:
    board = services.dashboard()
    return {
        "board": board,
        "technology_chart": charts.groups_chart(
            board.by_technology, _("Technology"), timezone.localdate().year
        ),
    }


def dashboard_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    records = exports.dashboard_records(services.dashboard())
    return export_response(
        fmt, "gevinster-dashboard", exports.DASHBOARD_FIELDS, records, "gevinster"
    )


def _filtered(request: HttpRequest) -> tuple[ProjectQuerySet, dict[str, str], str]:
    """The projects the user may see, narrowed by the query string's filters, and a
    message when the municipality typed is not one (then no project matches)."""
    projects: ProjectQuerySet = restrict(Project.objects, user_of(request), VIEW)
    chosen = {
        key: request.GET.get(key, "").replace("\x00", "").strip()[:100]
        for key in ("kommune", "teknologi", "fagomraade", "status")
    }
    problem = ""
    if chosen["kommune"]:
        found = Municipality.objects.named(chosen["kommune"])
        if found is None:
            problem = _(
                "No municipality is called or numbered “%(typed)s”. Type a name such as "
                "Vejle or Vejle Kommune, or a code such as 630."
            ) % {"typed": chosen["kommune"]}
            projects = projects.none()
        else:
            projects = projects.filter(municipality=found)
    if chosen["teknologi"]:
        projects = projects.filter(technology__slug=chosen["teknologi"])
    if chosen["fagomraade"]:
        projects = projects.filter(domain__slug=chosen["fagomraade"])
    if chosen["status"]:
        projects = projects.filter(status=chosen["status"])
    return projects, chosen, problem


def project_list(request: HttpRequest) -> HttpResponse:
    projects, chosen, problem = _filtered(request)
    page = Paginator(services.with_figures(projects).order_by("-start_date", "-id"), PAGE_SIZE)
    page_obj = page.get_page(request.GET.get("side"))
    query = urlencode({key: value for key, value in chosen.items() if value})
    context = {
        "page_obj": page_obj,
        "projects": list(page_obj.object_list),
        "chosen": chosen,
        "problem": problem,
        "query": query,
        # Suggestions while typing, only where there are few (Denmark's 98).
        "municipalities": [m.name for m in municipality_choices() or []],
        "technologies": Technology.objects.order_by("name_da"),
        "domains": Domain.objects.all(),
        "statuses": Project.Status.choices,
        "may_create": may(user_of(request), ADD, _new_project(user_of(request))),
    }
    return render(request, "benefits/project_list.html", context)


def project_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    projects, _chosen, _problem = _filtered(request)
    records = [exports.project_record(p) for p in services.with_figures(projects).order_by("id")]
    return export_response(fmt, "gevinster-projekter", exports.PROJECT_FIELDS, records, "projekter")


def _project(request: HttpRequest, pk: int, action: Action) -> Project:
    """The project by the refusal policy: 404 unless the user may see it, 403 when they
    may see it but not do `action`."""
    project: Project = get_or_refuse(
        services.with_figures(Project.objects.all()).prefetch_related(
            "cases", "business_case__indicators"
        ),
        user_of(request),
        action,
        pk=pk,
    )
    return project


def _new_project(user: User | None) -> Project:
    """A new project as the user would create it: editors only for their own municipality."""
    return Project(municipality=None if user is None or user.is_analyst else user.municipality)


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, VIEW)
    context = services.project_page(project)
    context["chart"] = charts.timeline_chart(project.title, context["points"])
    context["may_edit"] = may(user_of(request), CHANGE, project)
    return render(request, "benefits/project_detail.html", context)


@login_only
@require_http_methods(["GET", "POST"])
def project_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    refuse_unless(request.user, ADD, _new_project(request.user))
    return _project_form(request, Project(), BusinessCase(), created=True)


@login_only
@require_http_methods(["GET", "POST"])
def project_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, CHANGE)
    case = project.business_case_or_none() or BusinessCase(project=project)
    return _project_form(request, project, case, created=False)


def _project_form(
    request: AuthenticatedHttpRequest, project: Project, case: BusinessCase, *, created: bool
) -> HttpResponse:
    user = request.user
    data = request.POST if request.method == "POST" else None
    project_form = ProjectForm(data, instance=project, user=user, prefix="project")
    case_form = BusinessCaseForm(data, instance=case, prefix="case")
    indicators = IndicatorFormSet(data, instance=case, prefix="indicators")
    valid = data is not None and all(
        [project_form.is_valid(), case_form.is_valid(), indicators.is_valid()]
    )
    if valid:
        saved = services.save_project(user, project_form, case_form, indicators, created=created)
        messages.success(request, _("The project was saved."))
        return redirect(saved)
    return render(
        request,
        "benefits/project_form.html",
        {
            "project_form": project_form,
            "case_form": case_form,
            "indicators": indicators,
            "project": project,
            "created": created,
        },
        status=400 if data is not None else 200,
    )


@login_only
@require_http_methods(["GET", "POST"])
def follow_up_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, CHANGE)
    data = request.POST if request.method == "POST" else None
    form = FollowUpForm(data, project=project)
    if data is not None and form.is_valid():
        services.save_follow_up(request.user, form.save(commit=False))
        messages.success(request, _("The follow-up was saved."))
        return redirect(project)
    return render(
        request,
        "benefits/follow_up_form.html",
        {"form": form, "project": project},
        status=400 if data is not None else 200,
    )


@login_only
@require_http_methods(["GET", "POST"])
def project_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    refuse_unless(user, ADD, _new_project(user))
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = importing.import_projects(upload.file, upload.name or "", user)
        if result.ok:
            form = ImportForm()
    status = 400 if request.method == "POST" and not (result and result.ok) else 200
    return render(
        request,
        "benefits/import.html",
        {"form": form, "result": result},
        status=status,
    )
