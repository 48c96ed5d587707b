"""The pipeline's pages at /automatisering/. Who may do what: everyone sees public
processes; a municipality's editors (and analysts) also see the processes it shares
within the municipality; a personal process only its owner. Internal notes and people
are shown only to those who may change the process."""

from __future__ import annotations

from decimal import Decimal
from pathlib import PurePath
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kommuneradar.accounts.access import (
    ADD,
    CHANGE,
    VIEW,
    Action,
    AuthenticatedHttpRequest,
    get_or_refuse,
    login_only,
    may,
    may_see_personal,
    refuse_unless,
    user_of,
)
from kommuneradar.accounts.models import User
from kommuneradar.catalog.models import Technology
from kommuneradar.places.models import Municipality

from . import charts, potential, queries, services
from .forms import (
    AssessmentForm,
    AttachmentForm,
    ContactFormSet,
    MeasurementForm,
    ProcessForm,
    UmbrellaForm,
)
from .models import (
    Attachment,
    KleEntry,
    Measurement,
    Phase,
    Process,
    Status,
    SuitabilityAssessment,
    System,
    Umbrella,
    Visibility,
)

PAGE_SIZE = 25


def _size_choices() -> list[tuple[str, str]]:
    return [
        (code, str(label))
        for code, label in {
            "small": _("Small (under 200 hours a year)"),
            "medium": _("Medium (200–999 hours a year)"),
            "large": _("Large (1,000 hours a year or more)"),
        }.items()
    ]


def process_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    chosen = queries.filters_from(request.GET, request.GET.getlist("fase"))
    processes, problem = queries.find_processes(user, chosen)
    ordered = queries.for_listing(processes, user).order_by("title", "id")
    page_obj = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("side"))
    rows = list(page_obj.object_list)
    context = {
        "page_obj": page_obj,
        "processes": rows,
        "chosen": chosen,
        "problem": problem,
        "query": urlencode(chosen.as_query()),
        "phases": Phase.choices,
        "statuses": Status.choices,
        "visibilities": Visibility.choices,
        "sizes": _size_choices(),
        "technologies": Technology.objects.order_by("name_da"),
        "systems": System.objects.all(),
        "municipalities": Municipality.objects.order_by("name").values_list("name", flat=True),
        "may_create": may(user, ADD, _new_process(user)),
    }
    return render(request, "automation/process_list.html", context)


def _new_process(user: User | None) -> Process:
    return Process(
        municipality=None if user is None or user.is_analyst else user.municipality,
        owner=user,
    )


def _process(request: HttpRequest, pk: int, action: Action) -> Process:
    """The process by the refusal policy: 404 unless the user may see it, 403 when they
    may see it but not do `action`."""
    process: Process = get_or_refuse(
        Process.objects.select_related(
            "municipality",
            "kle",
            "kle__parent",
            "owner",
            "domain",
            "umbrella",
            "source",
            "source__municipality",
            "benefit_project",
            "assessment",
        ).prefetch_related(
            Prefetch("technologies", queryset=Technology.objects.order_by("name_da")),
            "systems",
            "contacts",
            Prefetch("measurements", queryset=Measurement.objects.order_by("period_end", "id")),
        ),
        user_of(request),
        action,
        pk=pk,
    )
    return process


def process_detail(request: HttpRequest, pk: int) -> HttpResponse:
    process = _process(request, pk, VIEW)
    user = user_of(request)
    numbers = services.figures(process)
    source_visible = process.source is not None and may(user, VIEW, process.source)
    reuses = list(services.reuses_seen(process, user))
    may_copy = (
        user is not None
        and user.municipality_id is not None
        and user.municipality_id != process.municipality_id
        and may(user, ADD, _new_process(user))
    )
    shared_attachments = [
        attachment
        for attachment in process.attachments.all()
        if attachment.shared or may(user, CHANGE, process)
    ]
    context = {
        "process": process,
        "figures": numbers,
        "chart": charts.realised_chart(process.title, numbers.rows, float(numbers.expected_hours)),
        "hours_per_fte": potential.HOURS_PER_FTE,
        "may_edit": may(user, CHANGE, process),
        "sees_people": may_see_personal(user, process),
        "source_visible": source_visible,
        "reuses": reuses,
        "may_copy": may_copy,
        "attachments": shared_attachments,
        "question_labels": _question_labels(),
    }
    return render(request, "automation/process_detail.html", context)


def _question_labels() -> dict[str, str]:
    labels = {}
    for name in potential.QUESTIONS:
        field = SuitabilityAssessment._meta.get_field(name)
        labels[name] = str(getattr(field, "verbose_name", name))
    return labels


@login_only
@require_http_methods(["GET", "POST"])
def process_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    refuse_unless(request.user, ADD, _new_process(request.user))
    return _process_form(request, Process(), created=True)


@login_only
@require_http_methods(["GET", "POST"])
def process_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _process_form(request, _process(request, pk, CHANGE), created=False)


def _process_form(
    request: AuthenticatedHttpRequest, process: Process, *, created: bool
) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = ProcessForm(data, instance=process, user=request.user, prefix="process")
    contacts = ContactFormSet(data, instance=process, prefix="contacts")
    if data is not None and form.is_valid() and contacts.is_valid():
        saved = services.save_process(request.user, form, contacts, created=created)
        messages.success(request, _("The process was saved."))
        return redirect(saved)
    return render(
        request,
        "automation/process_form.html",
        {
            "form": form,
            "contacts": contacts,
            "process": process,
            "created": created,
            "kle_entries": KleEntry.objects.filter(level=KleEntry.Level.TOPIC).only(
                "number", "title"
            ),
        },
        status=400 if data is not None else 200,
    )


@login_only
@require_http_methods(["GET", "POST"])
def assessment_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    process = _process(request, pk, CHANGE)
    try:
        assessment = process.assessment
    except SuitabilityAssessment.DoesNotExist:
        assessment = SuitabilityAssessment(process=process)
    data = request.POST if request.method == "POST" else None
    form = AssessmentForm(data, instance=assessment)
    if data is not None and form.is_valid():
        services.save_assessment(request.user, form.save(commit=False))
        messages.success(request, _("The assessment was saved."))
        return redirect(process)
    return render(
        request,
        "automation/assessment_form.html",
        {"form": form, "process": process},
        status=400 if data is not None else 200,
    )


@login_only
@require_http_methods(["GET", "POST"])
def measurement_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    process = _process(request, pk, CHANGE)
    data = request.POST if request.method == "POST" else None
    form = MeasurementForm(data, process=process)
    if data is not None and form.is_valid():
        services.record_measurement(request.user, form.save(commit=False))
        messages.success(request, _("The measurement was saved."))
        return redirect(process)
    return render(
        request,
        "automation/measurement_form.html",
        {"form": form, "process": process},
        status=400 if data is not None else 200,
    )


@login_only
@require_POST
def process_copy(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    source = _process(request, pk, VIEW)
    copy = services.copy_process(request.user, source)
    messages.success(
        request,
        _("The process was copied into your municipality's pipeline. Adjust it to your work."),
    )
    return redirect(copy)


@login_only
@require_http_methods(["GET", "POST"])
def attachment_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    process = _process(request, pk, CHANGE)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.add_attachment(request.user, process, form.save(commit=False))
        messages.success(request, _("The file was added."))
        return redirect(process)
    return render(
        request,
        "automation/attachment_form.html",
        {"form": form, "process": process},
        status=400 if request.method == "POST" else 200,
    )


def attachment_download(request: HttpRequest, pk: int, attachment: int) -> FileResponse:
    """A process's file, to whoever may see it: a file not shared only its municipality."""
    process = _process(request, pk, VIEW)
    item: Attachment = get_or_refuse(
        Attachment.objects.filter(process=process), user_of(request), VIEW, pk=attachment
    )
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle, as_attachment=True, filename=PurePath(item.file.name or "bilag").name
    )


# Umbrellas --------------------------------------------------------------------------


def _umbrella_processes(user: User | None) -> QuerySet[Process]:
    return queries.visible(user).select_related("municipality").order_by("municipality__name")


def umbrella_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    umbrellas = list(
        Umbrella.objects.select_related("kle", "municipality")
        .prefetch_related(Prefetch("processes", queryset=_umbrella_processes(user)))
        .order_by("title", "id")
    )
    return render(
        request,
        "automation/umbrella_list.html",
        {
            "umbrellas": umbrellas,
            "may_create": user is not None and may(user, ADD, _new_umbrella(user)),
        },
    )


def _new_umbrella(user: User | None) -> Umbrella:
    return Umbrella(municipality=None if user is None else user.municipality)


def _umbrella(request: HttpRequest, pk: int, action: Action) -> Umbrella:
    umbrella: Umbrella = get_or_refuse(
        Umbrella.objects.select_related("kle", "municipality").prefetch_related(
            Prefetch("processes", queryset=_umbrella_processes(user_of(request)))
        ),
        user_of(request),
        action,
        pk=pk,
    )
    return umbrella


def umbrella_detail(request: HttpRequest, pk: int) -> HttpResponse:
    umbrella = _umbrella(request, pk, VIEW)
    processes = list(umbrella.processes.all())
    expected = sum((p.expected_hours for p in processes), Decimal(0))
    return render(
        request,
        "automation/umbrella_detail.html",
        {
            "umbrella": umbrella,
            "processes": processes,
            "expected_hours": expected,
            "may_edit": may(user_of(request), CHANGE, umbrella),
        },
    )


@login_only
@require_http_methods(["GET", "POST"])
def umbrella_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.is_analyst:
        refuse_unless(request.user, ADD, _new_umbrella(request.user))
    return _umbrella_form(request, _new_umbrella(request.user), created=True)


@login_only
@require_http_methods(["GET", "POST"])
def umbrella_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _umbrella_form(request, _umbrella(request, pk, CHANGE), created=False)


def _umbrella_form(
    request: AuthenticatedHttpRequest, umbrella: Umbrella, *, created: bool
) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = UmbrellaForm(data, instance=umbrella, user=request.user)
    if data is not None and form.is_valid():
        saved = services.save_umbrella(request.user, form.save(commit=False), created=created)
        messages.success(request, _("The umbrella process was saved."))
        return redirect(saved)
    return render(
        request,
        "automation/umbrella_form.html",
        {"form": form, "umbrella": umbrella, "created": created},
        status=400 if data is not None else 200,
    )
