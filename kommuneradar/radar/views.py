from __future__ import annotations

import datetime
import shlex
from typing import Any

from django.contrib import messages
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kommuneradar.accounts.access import (
    CHANGE,
    VIEW,
    AuthenticatedHttpRequest,
    get_or_refuse,
    login_only,
    refuse_unless_analyst,
    restrict,
    user_of,
)
from kommuneradar.core import published
from kommuneradar.core.downloads import file_response
from kommuneradar.surveys import jobs
from kommuneradar.surveys.importing import LIMITS
from kommuneradar.surveys.models import Dimension, Job, Round
from kommuneradar.surveys.services import RoundError

from . import (
    exporting,
    exports,
    figures,
    importing,
    narrative,
    presentation,
    report,
    services,
    tasks,
)
from .editions import published_edition
from .exports import ExportError
from .forms import (
    CorrectionForm,
    CorrectionImportForm,
    EditorialImportForm,
    OverrideForm,
    RingReasonForm,
    StoryForm,
    scope_choices,
)
from .models import (
    ALL_DOMAINS,
    Blip,
    Edition,
    EditorialEdition,
    EditorialRadar,
    Movement,
    Ring,
    RingOverride,
    RingReason,
)


def home(request: HttpRequest) -> HttpResponse:
    latest = (
        Edition.objects.filter(scope=ALL_DOMAINS, status=Edition.Status.PUBLISHED)
        .aggregate(year=Max("round__year"))
        .get("year")
    )
    if latest is None:
        return render(request, "radar/empty.html", status=200)
    return radar_page(request, latest, ALL_DOMAINS)


@published.published_page
def radar_page(request: HttpRequest, year: int, scope: str = ALL_DOMAINS) -> HttpResponse:
    radar = presentation.published_radar(year, scope)
    if radar is None:
        raise Http404(_("No radar has been published for this year and domain."))
    sort = request.GET.get("sort", "number")
    if sort not in presentation.SORT_KEYS:
        sort = "number"
    descending = request.GET.get("dir") == "desc"
    context: dict[str, Any] = {
        **radar.context(),
        "rows": presentation.sort_rows(radar.drawn, sort, descending),
        "sort": sort,
        "descending": descending,
        "sort_columns": _sort_columns(sort, descending),
        "ring_choices": Ring.choices,
        "dimensions": list(Dimension.choices),
        "stage_columns": presentation.stage_columns(),
        "fragment": published.fragment_key("radar", year, scope, sort, descending),
        **published.cached("story", (year, scope), lambda: _page_story(radar), daily=False),
    }
    return render(request, "radar/radar.html", context)


def _page_story(radar: presentation.PublishedRadar) -> dict[str, Any]:
    """What the radar page tells beside the picture: introduction, contact, highlights and
    the analysts' reasons for the rings."""
    edition = radar.edition
    reasons = narrative.latest_reasons(edition.round_id, edition.scope)
    return {
        "story": narrative.latest_story(edition.round_id, edition.scope),
        "highlights": narrative.edition_highlights(edition, [d.blip for d in radar.drawn]),
        "reasons": [
            (item, reasons[item.blip.technology_id])
            for item in radar.drawn
            if item.blip.technology_id in reasons
        ],
    }


@published.published_page
def method_page(request: HttpRequest, year: int, scope: str) -> HttpResponse:
    """How an edition was made: its figures and rules, read from the edition itself."""
    edition = published_edition(year, scope)
    if edition is None:
        raise Http404(_("No radar has been published for this year and domain."))
    figures = published.cached(
        "method",
        (year, scope),
        lambda: narrative.method(edition, list(_all_blips(edition))),
        daily=False,
    )
    return render(request, "radar/method.html", {"edition": edition, "scope": scope, **figures})


def _all_blips(edition: Edition) -> list[Blip]:
    return list(edition.blips.select_related("technology").order_by("technology__name_da"))


@published.published_page
def report_pdf(request: HttpRequest, year: int) -> HttpResponseBase:
    """The edition report of a published round as a tagged PDF, built once per published
    data version and language (a correction gives a new one)."""
    if published_edition(year, ALL_DOMAINS) is None:
        raise Http404(_("No radar has been published for this year and domain."))
    try:
        content = report.cached_pdf(year)
    except report.ReportUnavailable as exc:
        return render(request, "radar/export_refused.html", {"reason": str(exc)}, status=503)
    return file_response(content, f"kommuneradar-{year}", "pdf")


def _sort_columns(current: str, descending: bool) -> list[dict[str, Any]]:
    columns = [
        ("number", _("No."), True),
        ("name", _("Technology"), False),
        ("quadrant", _("Family"), False),
        ("ring", _("Ring"), False),
        ("diffusion", _("Diffusion"), True),
        ("maturity", _("Maturity"), True),
        ("score", _("Score"), True),
        ("movement", _("Movement"), False),
    ]
    result = []
    for key, label, numeric in columns:
        active = key == current
        result.append(
            {
                "key": key,
                "label": label,
                "numeric": numeric,
                "active": active,
                "aria_sort": ("descending" if descending else "ascending") if active else "",
                "next_dir": "asc" if active and descending else ("desc" if active else "asc"),
            }
        )
    return result


@published.published_page
def technology_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = figures.technology(slug)
    if page is None:
        raise Http404
    context: dict[str, Any] = {
        **page,
        "dimensions": list(Dimension.choices),
        "stage_columns": presentation.stage_columns(),
        "fragment": published.fragment_key("technology", slug),
    }
    return render(request, "radar/technology.html", context)


# Review and publication


ROUND_JOBS = (Job.Kind.COMPUTE_DRAFTS, Job.Kind.PUBLISH_ROUND, Job.Kind.CORRECT_ROUND)


@login_only
def publication(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    round_ = get_or_refuse(Round.objects, request.user, CHANGE, year=year)
    override_form = OverrideForm(initial={"scope": ALL_DOMAINS})
    correction_form = CorrectionForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "compute":
                job = jobs.start(
                    Job.Kind.COMPUTE_DRAFTS,
                    tasks.compute_drafts,
                    request.user,
                    round_=round_,
                    return_url=reverse("radar:publication", args=[year]),
                )
                return redirect("surveys:job", pk=job.pk)
            if action == "override":
                override_form = OverrideForm(request.POST)
                if override_form.is_valid():
                    data = override_form.cleaned_data
                    services.set_override(
                        round_,
                        data["scope"],
                        data["technology"],
                        data["ring"],
                        data["reason"],
                        request.user,
                    )
                    messages.success(request, _("Override saved; compute again to see it."))
                    return redirect("radar:publication", year=year)
                status = 400
            elif action == "publish":
                correction_form = CorrectionForm(request.POST)
                note = request.POST.get("change_note", "")
                if round_.status == Round.Status.PUBLISHED and not correction_form.is_valid():
                    status = 400
                else:
                    if round_.status != Round.Status.PUBLISHED:
                        services.refuse_unless_closed(round_)
                    job = jobs.start(
                        Job.Kind.PUBLISH_ROUND,
                        tasks.publish_round,
                        request.user,
                        round_=round_,
                        note=note,
                        return_url=reverse("radar:publication", args=[year]),
                    )
                    return redirect("surveys:job", pk=job.pk)
        except RoundError as exc:
            messages.error(request, str(exc))
            return redirect("radar:publication", year=year)
    draft = (
        Edition.objects.filter(round=round_, scope=ALL_DOMAINS)
        .order_by("-revision")
        .select_related("round")
        .first()
    )
    blips = (
        draft.blips.select_related("technology").order_by(
            "quadrant_position", "technology__name_da"
        )
        if draft
        else []
    )
    editions = (
        Edition.objects.filter(round=round_).select_related("domain").order_by("scope", "-revision")
    )
    overrides = RingOverride.objects.filter(round=round_).select_related("technology")
    context = {
        "round": round_,
        "draft": draft,
        "blips": blips,
        "editions": editions,
        "overrides": overrides,
        "override_form": override_form,
        "correction_form": correction_form,
        "jobs": jobs.recent(round_, request.user, ROUND_JOBS),
    }
    return render(request, "radar/publication.html", context, status=status)


@login_only
def story_edit(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    """The analysts write an edition's introduction, expert panel and contact, and why a
    technology is in its ring; each save is a new revision, the earlier ones its history."""
    round_ = get_or_refuse(Round.objects, request.user, CHANGE, year=year)
    scope = request.GET.get("scope", ALL_DOMAINS)
    current = narrative.latest_story(round_.pk, scope)
    story_form = StoryForm(
        initial={
            "scope": scope,
            "introduction": current.introduction if current else "",
            "expert_panel": current.expert_panel if current else "",
            "contact_name": current.contact_name if current else "",
            "contact_role": current.contact_role if current else "",
            "contact_email": current.contact_email if current else "",
        }
    )
    reason_form = RingReasonForm(initial={"scope": scope})
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "story":
            story_form = StoryForm(request.POST)
            if story_form.is_valid():
                data = story_form.cleaned_data
                services.write_story(
                    round_,
                    data["scope"],
                    request.user,
                    introduction=data["introduction"],
                    expert_panel=data["expert_panel"],
                    contact_name=data["contact_name"],
                    contact_role=data["contact_role"],
                    contact_email=data["contact_email"],
                )
                messages.success(request, _("The introduction and contact are saved."))
                return redirect(f"{reverse('radar:story', args=[year])}?scope={data['scope']}")
        elif action == "reason":
            reason_form = RingReasonForm(request.POST)
            if reason_form.is_valid():
                data = reason_form.cleaned_data
                services.write_ring_reason(
                    round_, data["scope"], data["technology"], data["text"], request.user
                )
                messages.success(request, _("The reason for the ring is saved."))
                return redirect(f"{reverse('radar:story', args=[year])}?scope={data['scope']}")
        status = 400
    reasons = (
        RingReason.objects.filter(round=round_, scope=scope)
        .select_related("technology", "author")
        .order_by("technology__name_da", "-created_at", "-pk")
    )
    context = {
        "round": round_,
        "scope": scope,
        "scopes": scope_choices(),
        "story_form": story_form,
        "reason_form": reason_form,
        "history": narrative.story_history(round_.pk, scope),
        "reasons": reasons,
    }
    return render(request, "radar/story_edit.html", context, status=status)


@login_only
def correction(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    """Change a published round: corrected answers and a note give new revisions."""
    round_ = get_or_refuse(Round.objects, request.user, CHANGE, year=year)
    form = CorrectionImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {
        "round": round_,
        "form": form,
        "jobs": jobs.recent(round_, request.user, (Job.Kind.CORRECT_ROUND,)),
    }
    status = 200
    if round_.status != Round.Status.PUBLISHED:
        context["not_published"] = True
    elif request.method == "POST":
        status = 400
        upload = jobs.uploaded_within(form, "file", LIMITS)
        if form.is_valid():
            job = jobs.start(
                Job.Kind.CORRECT_ROUND,
                tasks.correct_round,
                request.user,
                round_=round_,
                upload=upload.read() if upload is not None else None,
                file_name=(upload.name or "") if upload is not None else "",
                note=form.cleaned_data["change_note"],
                return_url=reverse("radar:publication", args=[year]),
            )
            return redirect("surveys:job", pk=job.pk)
    return render(request, "radar/correction.html", context, status=status)


# Exports for other radar tools, and editorial radars imported from them

FORMAT_HELP: dict[str, tuple[Any, Any]] = {  # lazily translated texts
    "byor-csv": (
        gettext_lazy("Build Your Own Radar, CSV"),
        gettext_lazy(
            "For Thoughtworks' Build Your Own Radar: comma separated, one technology a row "
            "(name, ring, quadrant, isNew, status, description). Give BYOR the RINGS and "
            "QUADRANTS settings below, or it leaves out rows it cannot match."
        ),
    ),
    "byor-json": (
        gettext_lazy("Build Your Own Radar, JSON"),
        gettext_lazy("The same rows as a JSON list for BYOR; every value is text."),
    ),
    "zalando": (
        gettext_lazy("Zalando tech-radar"),
        gettext_lazy(
            "For Zalando's radar_visualization: date and entries, and under config the "
            "quadrants (clockwise from bottom right) and rings with their colours."
        ),
    ),
    "backstage": (
        gettext_lazy("Backstage tech-radar"),
        gettext_lazy(
            "For the Backstage tech-radar plugin: quadrants, rings and entries, each with "
            "its timeline through every earlier edition, newest first."
        ),
    ),
    "aoe": (
        gettext_lazy("AOE technology radar"),
        gettext_lazy(
            "A zip for AOE's technology radar: config.json with rings and quadrants, and "
            "radar/<date>/<id>.md for each technology in this and every earlier edition."
        ),
    ),
    "csv": (
        gettext_lazy("Full table, CSV"),
        gettext_lazy(
            "Every number behind each placement: diffusion with users, respondents and "
            "interval, maturity, score, ring, computed ring and reason, value profile, "
            "movement. Opens in Danish Excel."
        ),
    ),
    "xlsx": (gettext_lazy("Full table, XLSX"), gettext_lazy("The same table as a workbook.")),
    "json": (
        gettext_lazy("Full table, JSON"),
        gettext_lazy("The same table for programs, with codes and dot decimals."),
    ),
}


def _shell_settings(settings: dict[str, str]) -> list[str]:
    """BYOR's settings as shell lines to copy (quoted, whatever the names hold)."""
    return [f"export {name}={shlex.quote(value)}" for name, value in settings.items()]


def _format_rows(codes: list[str], url_of: Any) -> list[dict[str, Any]]:
    return [
        {
            "code": code,
            "title": FORMAT_HELP[code][0],
            "help": FORMAT_HELP[code][1],
            "url": url_of(code),
        }
        for code in codes
    ]


def _download(edition: exporting.Edition_, fmt: str, request: HttpRequest) -> HttpResponseBase:
    try:
        content, _content_type, name = exporting.export_edition(
            edition, fmt, request.build_absolute_uri("/")
        )
    except ExportError as exc:
        return render(request, "radar/export_refused.html", {"reason": str(exc)}, status=409)
    stem, extension = name.rsplit(".", 1)
    return file_response(content, stem, extension)


def export_page(request: HttpRequest, year: int, scope: str) -> HttpResponse:
    edition = published_edition(year, scope)
    if edition is None:
        raise Http404(_("No radar has been published for this year and domain."))
    settings = _shell_settings(exporting.survey_settings(edition))
    formats = _format_rows(
        list(exports.FORMAT_CODES),
        lambda code: reverse("radar:export", args=[year, scope, code]),
    )
    context = {"edition": edition, "scope": scope, "formats": formats, "byor": settings}
    return render(request, "radar/export.html", context)


def export_download(request: HttpRequest, year: int, scope: str, fmt: str) -> HttpResponseBase:
    edition = published_edition(year, scope)
    if edition is None or fmt not in exports.FORMAT_CODES:
        raise Http404(_("No such export."))
    return _download(edition, fmt, request)


def editorial_list(request: HttpRequest) -> HttpResponse:
    radars = restrict(EditorialRadar.objects, user_of(request), VIEW).annotate(
        edition_count=Count("editions"), latest=Max("editions__date")
    )
    return render(request, "radar/editorial_list.html", {"radars": radars})


def _editorial_edition(request: HttpRequest, pk: int, date: str | None) -> EditorialEdition:
    radar = get_or_refuse(EditorialRadar.objects, user_of(request), VIEW, pk=pk)
    editions = radar.editions.all()
    edition: EditorialEdition | None
    if date is None:
        edition = editions.first()
    else:
        try:
            day = datetime.date.fromisoformat(date)
        except ValueError:
            raise Http404(_("No such edition.")) from None
        edition = editions.filter(date=day).first()
    if edition is None:
        raise Http404(_("No such edition."))
    return edition


def editorial_page(request: HttpRequest, pk: int, date: str | None = None) -> HttpResponse:
    edition = _editorial_edition(request, pk, date)
    radar = edition.radar
    data = exporting.editorial_radar(edition)
    rings = {r.code: r.name for r in data.rings}
    movement = dict(Movement.choices)
    quadrants = {q.position: q.name for q in data.quadrants}
    entries = [
        {
            "entry": entry,
            "ring": rings.get(entry.ring, entry.ring),
            "quadrant": quadrants.get(entry.quadrant, ""),
            "description": mark_safe(exports.sanitize(entry.description)),  # noqa: S308
            "movement": movement.get(entry.movement, ""),
        }
        for entry in exports.ordered(data, data.entries)
    ]
    day = edition.date.isoformat()
    context = {
        "radar": radar,
        "edition": edition,
        "editions": list(radar.editions.all()),
        "entries": entries,
        "formats": _format_rows(
            [f.code for f in exports.FORMATS if not f.survey_only],
            lambda code: reverse("radar:editorial_export", args=[radar.pk, day, code]),
        ),
        "byor": _shell_settings(exports.byor_settings(data)),
    }
    return render(request, "radar/editorial.html", context)


def editorial_download(request: HttpRequest, pk: int, date: str, fmt: str) -> HttpResponseBase:
    edition = _editorial_edition(request, pk, date)
    if fmt not in exports.FORMAT_CODES:
        raise Http404(_("No such export."))
    return _download(edition, fmt, request)


@login_only
def editorial_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = refuse_unless_analyst(request.user)
    form = EditorialImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        result = importing.import_radar(
            upload.read(),
            upload.name or "",
            data["source"],
            data["name"],
            user,
            date=data["date"],
            rings=data["rings"],
            quadrants=data["quadrants"],
        )
        if result.radar is not None:
            messages.success(request, _("The editorial radar was imported."))
            return redirect("radar:editorial", pk=result.radar.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "radar/editorial_import.html", {"form": form, "result": result}, status=status
    )
