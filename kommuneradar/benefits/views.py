"""Benefits pages: the labour-gap dashboard, project lists and pages, forms, import and
exports. Who may do what: everyone sees published projects; editors also see and edit
their own municipality's projects; analysts see and edit all."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.places.models import Municipality, municipality_code_for

from . import charts, exports, importing, services, spreadsheet
from .forms import BusinessCaseForm, FollowUpForm, ImportForm, IndicatorFormSet, ProjectForm
from .models import BusinessCase, Project, ProjectQuerySet

PAGE_SIZE = 50


def dashboard(request: HttpRequest) -> HttpResponse:
    board = services.dashboard()
    context = {
        "board": board,
        "technology_chart": charts.groups_chart(
            board.by_technology, _("Technology"), timezone.localdate().year
        ),
    }
    return render(request, "benefits/dashboard.html", context)


def dashboard_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404
    content = exports.render(exports.dashboard_records(services.dashboard()), fmt, "gevinster")
    return _download(content, fmt, "gevinster-dashboard")


def _filtered(request: HttpRequest) -> tuple[ProjectQuerySet, dict[str, str], str]:
    """The projects the user may see, narrowed by the query string's filters, and a
    message when the municipality typed is not one (then no project matches)."""
    projects = Project.objects.visible_to(request.user)
    chosen = {
        key: request.GET.get(key, "").replace("\x00", "").strip()[:100]
        for key in ("kommune", "teknologi", "fagomraade", "status")
    }
    problem = ""
    if chosen["kommune"]:
        code = municipality_code_for(chosen["kommune"])
        if code is None:
            problem = _(
                "No municipality is called or numbered “%(typed)s”. Type a name such as "
                "Vejle or Vejle Kommune, or a code such as 630."
            ) % {"typed": chosen["kommune"]}
            projects = projects.none()
        else:
            projects = projects.filter(municipality__code=code)
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
        "municipalities": Municipality.objects.order_by("name").values_list("name", flat=True),
        "technologies": Technology.objects.order_by("name_da"),
        "domains": Domain.objects.all(),
        "statuses": Project.Status.choices,
        "may_create": request.user.is_authenticated
        and (request.user.is_analyst or request.user.municipality_id is not None),
    }
    return render(request, "benefits/project_list.html", context)


def project_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404
    projects, _chosen, _problem = _filtered(request)
    records = [exports.project_record(p) for p in services.with_figures(projects).order_by("id")]
    return _download(exports.render(records, fmt, "projekter"), fmt, "gevinster-projekter")


def _download(content: bytes, fmt: str, stem: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


def _visible_project(request: HttpRequest, pk: int) -> Project:
    """The project if the user may see it; 404 otherwise (hiding that it exists)."""
    return get_object_or_404(
        services.with_figures(Project.objects.visible_to(request.user)).prefetch_related(
            "cases", "business_case__indicators"
        ),
        pk=pk,
    )


def _editable_project(request: HttpRequest, pk: int) -> Project:
    project = _visible_project(request, pk)
    if not project.editable_by(request.user):
        raise PermissionDenied
    return project


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _visible_project(request, pk)
    context = services.project_page(project)
    context["chart"] = charts.timeline_chart(project.title, context["points"])
    context["may_edit"] = project.editable_by(request.user)
    return render(request, "benefits/project_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.is_analyst and user.municipality_id is None:
        raise PermissionDenied
    return _project_form(request, Project(), BusinessCase(), created=True)


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = _editable_project(request, pk)
    case = project.business_case_or_none() or BusinessCase(project=project)
    return _project_form(request, project, case, created=False)


def _project_form(
    request: HttpRequest, project: Project, case: BusinessCase, *, created: bool
) -> HttpResponse:
    user: Any = request.user
    data = request.POST if request.method == "POST" else None
    project_form = ProjectForm(data, instance=project, user=user, prefix="project")
    case_form = BusinessCaseForm(data, instance=case, prefix="case")
    indicators = IndicatorFormSet(data, instance=case, prefix="indicators")
    valid = data is not None and all(
        [project_form.is_valid(), case_form.is_valid(), indicators.is_valid()]
    )
    if valid:
        saved = project_form.save(commit=False)
        if not user.is_analyst:
            saved.municipality_id = user.municipality_id
        if not user.may_edit_municipality(saved.municipality_id):
            raise PermissionDenied
        with transaction.atomic():
            saved_case = case_form.save(commit=False)
            services.save_project(user, saved, saved_case, created=created)
            project_form.save_m2m()
            indicators.instance = saved_case
            indicators.save()
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


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = _editable_project(request, pk)
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


@login_required
@require_http_methods(["GET", "POST"])
def project_import(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.is_analyst and user.municipality_id is None:
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(spreadsheet.MAX_BYTES + 1)
        result = importing.import_projects(content, upload.name or "", user)
        if result.ok:
            form = ImportForm()
    status = 400 if request.method == "POST" and not (result and result.ok) else 200
    return render(
        request,
        "benefits/import.html",
        {"form": form, "result": result, "columns": spreadsheet.COLUMNS},
        status=status,
    )
