from __future__ import annotations

from typing import Any

import altair as alt
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kommuneradar.accounts.models import User, record
from kommuneradar.core.charts import render_svg
from kommuneradar.places.models import Municipality
from kommuneradar.surveys import vocabulary as v
from kommuneradar.surveys.models import Answer

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
from .models import Enrolment, JointDocument, JointProject, Milestone, Programme
from .queries import latest_published_year


def _user(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_active else None


def _require_analyst(request: HttpRequest) -> User:
    user = _user(request)
    if user is None or not user.is_analyst:
        raise Http404
    return user


# Municipalities ---------------------------------------------------------------------


def _municipality_rows() -> tuple[int | None, list[tuple[Municipality, int | None]]]:
    year = latest_published_year()
    counts: dict[int, int] = {}
    if year is not None:
        counts = dict(
            Answer.objects.filter(response__round__year=year, stage__in=v.USING_STAGES)
            .values("response__municipality_id")
            .annotate(n=Count("technology_id", distinct=True))
            .values_list("response__municipality_id", "n")
        )
    municipalities = Municipality.objects.select_related("region").order_by("name")
    return year, [(m, counts.get(m.pk, 0) if year else None) for m in municipalities]


def municipality_list(request: HttpRequest) -> HttpResponse:
    year, rows = _municipality_rows()
    return render(request, "network/municipality_list.html", {"year": year, "rows": rows})


def municipality_list_export(request: HttpRequest, fmt: str) -> HttpResponse:
    year, rows = _municipality_rows()
    base = request.build_absolute_uri("/").rstrip("/")
    records = [
        {
            "code": m.code,
            "name": m.name,
            "region": m.region.name,
            "population": m.population,
            "population_source": m.population_source,
            "survey_year": year,
            "technologies_in_use": in_use,
            "url": f"{base}/kommuner/{m.code}/",
        }
        for m, in_use in rows
    ]
    return exports.download(records, exports.MUNICIPALITY_COLUMNS, fmt, "kommuneradar-kommuner")


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


def _profile(code: str) -> services.Profile:
    municipality = get_object_or_404(Municipality.objects.select_related("region"), code=code)
    return services.municipality_profile(municipality)


def municipality_detail(request: HttpRequest, code: str) -> HttpResponse:
    profile = _profile(code)
    return render(
        request,
        "network/municipality_detail.html",
        {
            "profile": profile,
            "municipality": profile.municipality,
            "chart": _comparison_chart(profile),
            "basis_gain": profile.recommendation_basis == sim.BASIS_GAIN_AND_PEERS,
            "export_tables": list(exports.PROFILE_TABLES),
        },
    )


def municipality_export(request: HttpRequest, code: str, fmt: str, table: str = "") -> HttpResponse:
    if fmt == "csv" and table not in exports.PROFILE_TABLES:
        raise Http404
    profile = _profile(code)
    name = f"kommuneradar-{code}"
    if fmt == "json":
        return exports.download(exports.profile_document(profile), None, "json", name)
    columns, build = exports.PROFILE_TABLES[table]
    return exports.download(build(profile), columns, "csv", f"{name}-{table}")


# Programmes -------------------------------------------------------------------------


def programme_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
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
            "is_analyst": user is not None and user.is_analyst,
        },
    )


def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme, slug=slug)
    overview = services.programme_overview(programme)
    user = _user(request)
    today = timezone.localdate()
    return render(
        request,
        "network/programme_detail.html",
        {
            "programme": programme,
            "overview": overview,
            "enrolment_open": programme.enrolment_open(today),
            "is_analyst": user is not None and user.is_analyst,
            "user_obj": user,
            "show_contacts": user is not None,
        },
    )


def programme_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "json"):
        raise Http404
    programme = get_object_or_404(Programme, slug=slug)
    overview = services.programme_overview(programme)
    name = f"kommuneradar-{programme.slug}"
    if fmt == "json":
        return exports.download(exports.programme_document(overview), None, "json", name)
    return exports.download(
        exports.enrolment_records(overview), exports.ENROLMENT_COLUMNS, "csv", name
    )


def _programme_form(request: HttpRequest, programme: Programme | None) -> HttpResponse:
    user = _require_analyst(request)
    form = ProgrammeForm(request.POST or None, instance=programme)
    formset = TrackFormSet(request.POST or None, instance=programme or Programme())
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            saved = form.save()
            formset.instance = saved
            formset.save()
            record(user, "update" if programme else "create", saved, saved.name)
        messages.success(request, _("The programme was saved."))
        return redirect(saved)
    return render(
        request,
        "network/programme_form.html",
        {"form": form, "formset": formset, "programme": programme},
    )


@login_required
def programme_new(request: HttpRequest) -> HttpResponse:
    return _programme_form(request, None)


@login_required
def programme_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _programme_form(request, get_object_or_404(Programme, slug=slug))


@login_required
def programme_enrol(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme, slug=slug)
    user = _user(request)
    if user is None or not (user.is_analyst or user.municipality_id):
        raise Http404
    fixed = None if user.is_analyst else user.municipality
    today = timezone.localdate()
    form = EnrolmentForm(
        request.POST or None, programme=programme, today=today, fixed_municipality=fixed
    )
    if request.method == "POST" and form.is_valid():
        municipality = form.instance.municipality
        if not user.may_edit_municipality(municipality):
            raise Http404
        with transaction.atomic():
            enrolment = form.save()
            record(
                user,
                "enrol",
                enrolment,
                f"{municipality.name} enrolled in {programme.name}",
                municipality,
            )
        messages.success(
            request,
            _("%(municipality)s is enrolled in %(programme)s.")
            % {"municipality": municipality.name, "programme": programme.name},
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


def _enrolment(request: HttpRequest, slug: str, pk: int) -> tuple[Enrolment, User]:
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("programme", "municipality__region"),
        pk=pk,
        programme__slug=slug,
    )
    user = _user(request)
    if user is None or not user.may_edit_municipality(enrolment.municipality):
        raise Http404
    return enrolment, user


@login_required
def enrolment_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    enrolment, user = _enrolment(request, slug, pk)
    milestone_form = MilestoneForm(
        request.POST if request.POST.get("action") == "milestone" else None,
        enrolment=enrolment,
    )
    status_form = EnrolmentStatusForm(
        request.POST if request.POST.get("action") == "status" else None,
        instance=enrolment,
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "milestone" and milestone_form.is_valid():
            with transaction.atomic():
                milestone = milestone_form.save()
                record(
                    user,
                    "milestone",
                    milestone,
                    f"{milestone.track.name}: {milestone.kind} {milestone.reached_on}",
                    enrolment.municipality,
                )
            messages.success(request, _("The milestone was recorded."))
            return redirect("network:enrolment", slug=slug, pk=pk)
        if action == "status":
            if not user.is_analyst:
                raise Http404
            if status_form.is_valid():
                with transaction.atomic():
                    status_form.save()
                    record(user, "status", enrolment, enrolment.status, enrolment.municipality)
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
            "is_analyst": user.is_analyst,
        },
    )


@login_required
@require_POST
def milestone_delete(request: HttpRequest, slug: str, pk: int, milestone: int) -> HttpResponse:
    enrolment, user = _enrolment(request, slug, pk)
    found = get_object_or_404(Milestone, pk=milestone, enrolment=enrolment)
    with transaction.atomic():
        record(user, "delete", found, f"{found.kind} {found.reached_on}", enrolment.municipality)
        found.delete()
    messages.success(request, _("The milestone was removed."))
    return redirect("network:enrolment", slug=slug, pk=pk)


# Joint projects ---------------------------------------------------------------------


def _joint_projects() -> Any:
    return JointProject.objects.select_related("technology", "lead_municipality").prefetch_related(
        Prefetch("participants", queryset=Municipality.objects.select_related("region")),
        "documents",
    )


def joint_project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(_joint_projects(), slug=slug)
    user = _user(request)
    participants = list(project.participants.all())
    may_edit = user is not None and (
        user.is_analyst or any(user.may_edit_municipality(m) for m in participants)
    )
    return render(
        request,
        "network/joint_project.html",
        {
            "project": project,
            "participants": participants,
            "documents": list(project.documents.all()),
            "may_edit": may_edit,
            "is_analyst": user is not None and user.is_analyst,
            "document_form": JointDocumentForm() if may_edit else None,
        },
    )


def _may_edit_joint(user: User | None, project: JointProject) -> bool:
    if user is None:
        return False
    if user.is_analyst:
        return True
    return (
        user.municipality_id is not None
        and project.participants.filter(pk=user.municipality_id).exists()
    )


@login_required
def joint_project_new(request: HttpRequest) -> HttpResponse:
    user = _require_analyst(request)
    form = JointProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            project = form.save()
            record(user, "create", project, project.title, project.lead_municipality)
        messages.success(request, _("The joint project was saved."))
        return redirect(project)
    return render(request, "network/joint_project_form.html", {"form": form, "project": None})


@login_required
def joint_project_edit(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(JointProject, slug=slug)
    user = _user(request)
    if not _may_edit_joint(user, project):
        raise Http404
    assert user is not None
    form_class = JointProjectForm if user.is_analyst else JointResultsForm
    form = form_class(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            record(user, "update", project, project.title, project.lead_municipality)
        messages.success(request, _("The joint project was saved."))
        return redirect(project)
    return render(request, "network/joint_project_form.html", {"form": form, "project": project})


@login_required
@require_POST
def joint_document_add(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(JointProject, slug=slug)
    user = _user(request)
    if not _may_edit_joint(user, project):
        raise Http404
    form = JointDocumentForm(request.POST)
    if form.is_valid():
        document: JointDocument = form.save(commit=False)
        document.project = project
        document.added_on = timezone.localdate()
        with transaction.atomic():
            document.save()
            record(user, "create", document, document.title, project.lead_municipality)
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
            "is_analyst": user is not None and user.is_analyst,
            "document_form": form,
        },
        status=400,
    )


def joint_projects_export(request: HttpRequest, fmt: str) -> HttpResponse:
    records = exports.joint_records(_joint_projects())
    return exports.download(records, exports.JOINT_COLUMNS, fmt, "kommuneradar-faelles-projekter")
