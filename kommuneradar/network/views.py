from __future__ import annotations

from typing import Any

import altair as alt
from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kommuneradar.accounts.access import (
    ADD,
    CHANGE,
    DELETE,
    VIEW,
    AuthenticatedHttpRequest,
    get_or_refuse,
    login_only,
    may,
    may_see_personal,
    refuse_unless,
    user_of,
)
from kommuneradar.core import paging, published, tabular
from kommuneradar.core.charts import render_svg
from kommuneradar.core.downloads import export_response, file_response
from kommuneradar.places.models import Municipality

from . import exports, services
from . import similarity as sim
from .forms import (
    EnrolmentForm,
    EnrolmentStatusForm,
    JointDocumentForm,
    JointProjectForm,
    JointResultsForm,
    MilestoneForm,
    ProgrammeForm,
    TrackFormSet,
)
from .models import Enrolment, JointProject, Milestone, Programme

# Municipalities ---------------------------------------------------------------------


def municipality_list(request: HttpRequest) -> HttpResponse:
    typed = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    found = Municipality.objects.search(typed).select_related("region").order_by("name", "pk")
    page = paging.page_of(found, request.GET.get("side"))
    year, rows = services.municipality_rows(page.rows)
    return render(
        request,
        "network/municipality_list.html",
        {
            "year": year,
            "rows": rows,
            "page_obj": page,
            "typed": typed,
            "query": paging.query_without_page(q=typed),
        },
    )


def municipality_list_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    year, rows = services.municipality_rows()
    base = request.build_absolute_uri("/").rstrip("/")
    records = [
        {
            "code": m.code,
            "name": m.name,
            "region": m.region_name,
            "population": m.population,
            "population_source": m.population_source,
            "survey_year": year,
            "technologies_in_use": in_use,
            "url": f"{base}{m.get_absolute_url()}",
        }
        for m, in_use in rows
    ]
    return export_response(
        fmt, "kommuneradar-kommuner", exports.MUNICIPALITY_FIELDS, records, "kommuner"
    )


def _comparison_chart(profile: services.Profile) -> SafeString | str:
    values = []
    own_label = profile.municipality.name
    group_label = _("Mean of the %(count)s nearest in size") % {"count": len(profile.size_group)}
    for row in profile.comparison:
        if row.own is not None:
            values.append({"domain": row.label, "who": own_label, "count": row.own})
        if row.group_mean is not None:
            values.append(
                {"domain": row.label, "who": group_label, "count": round(row.group_mean, 1)}
            )
    if not values:
        return ""
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            y=alt.Y("domain:N", title=None, sort=None),
            yOffset=alt.YOffset("who:N", sort=[own_label, group_label]),
            x=alt.X("count:Q", title=_("Technologies in operation or scaled")),
            color=alt.Color(
                "who:N",
                title=None,
                sort=[own_label, group_label],
                legend=alt.Legend(orient="bottom", direction="vertical"),
            ),
        )
        .properties(width=360)
    )
    title = _(
        "Technologies in use in %(name)s and the mean of municipalities of similar size, "
        "per domain, survey %(year)s"
    ) % {"name": profile.municipality.name, "year": profile.year}
    source = _(
        "Source: Kommuneradar's survey of the municipalities, %(year)s; "
        "n = %(count)s municipalities of similar size."
    ) % {"year": profile.year, "count": len(profile.size_group)}
    return render_svg(chart, title, source)


def _profile(request: HttpRequest, code: str) -> services.Profile:
    municipality = get_or_refuse(
        Municipality.objects.by_url_code(code).select_related("region"), user_of(request), VIEW
    )
    return published.cached(
        "municipality-profile",
        (code,),
        lambda: services.municipality_profile(municipality),
        daily=False,
    )


@published.published_page
def municipality_detail(request: HttpRequest, code: str) -> HttpResponse:
    profile = _profile(request, code)
    return render(
        request,
        "network/municipality_detail.html",
        {
            "profile": profile,
            "municipality": profile.municipality,
            "chart": published.cached(
                "municipality-chart", (code,), lambda: _comparison_chart(profile), daily=False
            ),
            "basis_gain": profile.recommendation_basis == sim.BASIS_GAIN_AND_PEERS,
            "export_tables": list(exports.PROFILE_TABLES),
            "fragment": published.fragment_key("municipality", code),
        },
    )


def municipality_export(
    request: HttpRequest, code: str, fmt: str, table: str = ""
) -> HttpResponseBase:
    if table and table not in exports.PROFILE_TABLES:
        raise Http404
    profile = _profile(request, code)
    name = f"kommuneradar-{code}"
    if not table:
        return file_response(tabular.json_bytes(exports.profile_document(profile)), name, fmt)
    fields, build = exports.PROFILE_TABLES[table]
    return export_response(fmt, f"{name}-{table}", fields, build(profile), table)


# Programmes -------------------------------------------------------------------------


def programme_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    programmes = list(Programme.objects.with_enrolled_count())
    projects = list(
        JointProject.objects.select_related("technology", "lead_municipality").annotate(
            participant_count=Count("participants")
        )
    )
    return render(
        request,
        "network/programme_list.html",
        {
            "programmes": programmes,
            "projects": projects,
            "today": timezone.localdate(),
            "is_analyst": may(user, ADD, Programme()),
        },
    )


def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    programme = get_or_refuse(Programme.objects, user, VIEW, slug=slug)
    overview = services.programme_overview(programme)
    today = timezone.localdate()
    enrolments = [participant.enrolment for participant in overview.participants]
    return render(
        request,
        "network/programme_detail.html",
        {
            "programme": programme,
            "overview": overview,
            "enrolment_open": programme.enrolment_open(today),
            "is_analyst": may(user, CHANGE, programme),
            # ids of the enrolments whose contact person, and whose milestones page, the
            # visitor may see
            "contacts_shown": {e.pk for e in enrolments if may_see_personal(user, e)},
            "milestones_shown": {e.pk for e in enrolments if may(user, CHANGE, e)},
        },
    )


def programme_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponseBase:
    programme = get_or_refuse(Programme.objects, user_of(request), VIEW, slug=slug)
    overview = services.programme_overview(programme)
    return export_response(
        fmt,
        f"kommuneradar-{programme.slug}",
        exports.ENROLMENT_FIELDS,
        exports.enrolment_records(overview),
        programme.slug,
        document=exports.programme_document(overview),
    )


def _programme_form(request: AuthenticatedHttpRequest, programme: Programme | None) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, instance=programme)
    formset = TrackFormSet(request.POST or None, instance=programme or Programme())
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        saved = services.save_programme(request.user, form, formset, programme)
        messages.success(request, _("The programme was saved."))
        return redirect(saved)
    return render(
        request,
        "network/programme_form.html",
        {"form": form, "formset": formset, "programme": programme},
    )


@login_only
def programme_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    refuse_unless(request.user, ADD, Programme())
    return _programme_form(request, None)


@login_only
def programme_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _programme_form(
        request, get_or_refuse(Programme.objects, request.user, CHANGE, slug=slug)
    )


@login_only
def programme_enrol(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    user = request.user
    programme = get_or_refuse(Programme.objects, user, VIEW, slug=slug)
    fixed = None if user.is_analyst else user.municipality
    refuse_unless(user, ADD, Enrolment(programme=programme, municipality=fixed))
    today = timezone.localdate()
    form = EnrolmentForm(
        request.POST or None, programme=programme, today=today, fixed_municipality=fixed
    )
    if request.method == "POST" and form.is_valid():
        refuse_unless(user, ADD, form.instance)
        enrolment = services.enrol(user, form)
        messages.success(
            request,
            _("%(municipality)s is enrolled in %(programme)s.")
            % {"municipality": enrolment.municipality.name, "programme": programme.name},
        )
        return redirect("network:enrolment", slug=programme.slug, pk=enrolment.pk)
    return render(
        request,
        "network/enrol.html",
        {
            "programme": programme,
            "form": form,
            "fixed": fixed,
            "enrolment_open": programme.enrolment_open(today),
        },
    )


def _enrolment(request: AuthenticatedHttpRequest, slug: str, pk: int) -> Enrolment:
    enrolment: Enrolment = get_or_refuse(
        Enrolment.objects.select_related("programme", "municipality__region"),
        request.user,
        CHANGE,
        pk=pk,
        programme__slug=slug,
    )
    return enrolment


@login_only
def enrolment_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    user = request.user
    enrolment = _enrolment(request, slug, pk)
    milestone_form = MilestoneForm(
        request.POST if request.POST.get("action") == "milestone" else None,
        enrolment=enrolment,
    )
    status_form = EnrolmentStatusForm(
        request.POST if request.POST.get("action") == "status" else None,
        instance=enrolment,
    )
    may_set_status = may(user, CHANGE, enrolment.programme)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "milestone" and milestone_form.is_valid():
            services.record_milestone(user, milestone_form)
            messages.success(request, _("The milestone was recorded."))
            return redirect("network:enrolment", slug=slug, pk=pk)
        if action == "status":
            refuse_unless(user, CHANGE, enrolment.programme)
            if status_form.is_valid():
                services.change_enrolment_status(user, status_form)
                messages.success(request, _("The status was changed."))
                return redirect("network:enrolment", slug=slug, pk=pk)
    milestones = list(
        Milestone.objects.filter(enrolment=enrolment)
        .select_related("track")
        .order_by("track__order", "reached_on")
    )
    return render(
        request,
        "network/enrolment.html",
        {
            "enrolment": enrolment,
            "programme": enrolment.programme,
            "tracks": list(enrolment.tracks.all()),
            "milestones": milestones,
            "milestone_form": milestone_form,
            "status_form": status_form,
            "is_analyst": may_set_status,
        },
    )


@login_only
@require_POST
def milestone_delete(
    request: AuthenticatedHttpRequest, slug: str, pk: int, milestone: int
) -> HttpResponse:
    enrolment = _enrolment(request, slug, pk)
    found = get_or_refuse(
        Milestone.objects.filter(enrolment=enrolment), request.user, DELETE, pk=milestone
    )
    services.delete_milestone(request.user, found)
    messages.success(request, _("The milestone was removed."))
    return redirect("network:enrolment", slug=slug, pk=pk)


# Joint projects ---------------------------------------------------------------------


def _joint_projects() -> Any:
    return JointProject.objects.select_related("technology", "lead_municipality").prefetch_related(
        Prefetch("participants", queryset=Municipality.objects.select_related("region")),
        "documents",
    )


def joint_project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    project = get_or_refuse(_joint_projects(), user, VIEW, slug=slug)
    may_edit = may(user, CHANGE, project)
    return render(
        request,
        "network/joint_project.html",
        {
            "project": project,
            "participants": list(project.participants.all()),
            "documents": list(project.documents.all()),
            "may_edit": may_edit,
            "is_analyst": may(user, ADD, JointProject()),
            "document_form": JointDocumentForm() if may_edit else None,
        },
    )


@login_only
def joint_project_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    refuse_unless(request.user, ADD, JointProject())
    form = JointProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        project = services.save_joint_project(request.user, form)
        messages.success(request, _("The joint project was saved."))
        return redirect(project)
    return render(request, "network/joint_project_form.html", {"form": form, "project": None})


@login_only
def joint_project_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    user = request.user
    project = get_or_refuse(JointProject.objects, user, CHANGE, slug=slug)
    # Analysts change the whole project; participants record its results.
    whole = may(user, ADD, JointProject())
    form_class = JointProjectForm if whole else JointResultsForm
    form = form_class(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        services.save_joint_project(user, form)
        messages.success(request, _("The joint project was saved."))
        return redirect(project)
    return render(request, "network/joint_project_form.html", {"form": form, "project": project})


@login_only
@require_POST
def joint_document_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    user = request.user
    project = get_or_refuse(JointProject.objects, user, CHANGE, slug=slug)
    form = JointDocumentForm(request.POST)
    if form.is_valid():
        services.add_joint_document(user, form, project)
        messages.success(request, _("The document was added."))
        return redirect(project)
    participants = list(project.participants.select_related("region"))
    return render(
        request,
        "network/joint_project.html",
        {
            "project": project,
            "participants": participants,
            "documents": list(project.documents.all()),
            "may_edit": True,
            "is_analyst": may(user, ADD, JointProject()),
            "document_form": form,
        },
        status=400,
    )


def joint_projects_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    records = exports.joint_records(_joint_projects())
    return export_response(
        fmt, "kommuneradar-faelles-projekter", exports.JOINT_FIELDS, records, "faelles-projekter"
    )
