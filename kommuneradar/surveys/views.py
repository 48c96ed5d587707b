from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from kommuneradar.accounts.access import (
    ADD,
    CHANGE,
    VIEW,
    AuthenticatedHttpRequest,
    get_or_refuse,
    login_only,
    may,
    refuse_unless,
)
from kommuneradar.catalog.models import Domain, MaturityRating, Technology
from kommuneradar.core import paging
from kommuneradar.core.downloads import export_response, file_response

from . import exports, importing, jobs, services, tasks, template_file
from .forms import (
    AnswerForm,
    ImportForm,
    RatingForm,
    RecipientForm,
    RoundForm,
)
from .models import Invitation, Job, Response, Round


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


# The questionnaire (no login: the token is the key)


@never_cache
def questionnaire(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "surveys/link_invalid.html", status=404)
    response = Response.objects.filter(
        round=invitation.round, municipality=invitation.municipality, domain=invitation.domain
    ).first()
    technologies = services.questionnaire_technologies(invitation.domain)
    context: dict[str, Any] = {"invitation": invitation, "response": response}
    if response is not None and response.submitted_at is not None:
        context["answers"] = response.answers.select_related("technology__quadrant").order_by(
            "technology__quadrant__position", "technology__name_da"
        )
        return render(request, "surveys/questionnaire_submitted.html", context)
    submit = request.method == "POST" and "submit" in request.POST
    if request.method == "POST":
        forms = [AnswerForm(request.POST, technology=t, submit=submit) for t in technologies]
        if all(form.is_valid() for form in forms):
            answers = {form.technology.pk: form.answer_fields() for form in forms}
            try:
                services.save_questionnaire(invitation, answers, submit=submit)
            except services.RoundError as exc:
                messages.error(request, str(exc))
                return redirect("surveys:questionnaire", token=token)
            if submit:
                messages.success(request, _("Thank you. Your answers have been submitted."))
            else:
                messages.success(request, _("Your draft has been saved. You can come back later."))
            return redirect("surveys:questionnaire", token=token)
        context["has_errors"] = True
    else:
        saved = {a.technology_id: a for a in response.answers.all()} if response else {}
        forms = []
        for technology in technologies:
            answer = saved.get(technology.pk)
            initial = (
                {
                    "stage": answer.stage,
                    **answer.value_by_dimension,
                    "comment": answer.comment,
                }
                if answer
                else {}
            )
            forms.append(AnswerForm(initial=initial, technology=technology))
    groups: list[tuple[Any, list[AnswerForm]]] = []
    for form in forms:
        quadrant = form.technology.quadrant
        if not groups or groups[-1][0] != quadrant:
            groups.append((quadrant, []))
        groups[-1][1].append(form)
    context["groups"] = groups
    context["answered"] = sum(1 for form in forms if form["stage"].value())
    context["total"] = len(forms)
    status = 400 if context.get("has_errors") else 200
    return render(request, "surveys/questionnaire.html", context, status=status)


# Rounds for analysts


@login_only
def round_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    refuse_unless(request.user, ADD, Round())
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        round_ = services.create_round(form, request.user)
        messages.success(request, _("Round %(year)s created as a draft.") % {"year": round_.year})
        return redirect("surveys:round", year=round_.year)
    rounds = Round.objects.order_by("-year")
    status = 400 if form.errors else 200
    return render(
        request, "surveys/round_list.html", {"rounds": rounds, "form": form}, status=status
    )


# The monitoring table's status filter, as offered on the page.
STATE_CHOICES = [
    ("", gettext_lazy("All")),
    ("not_submitted", gettext_lazy("Not submitted")),
    ("submitted", gettext_lazy("Submitted")),
    ("draft", gettext_lazy("Draft saved")),
    ("none", gettext_lazy("Not started")),
]


@login_only
def round_detail(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    """The round's monitoring page: response rates over every municipality, and one page
    of municipality × domain pairs, searched by name, code or region and filtered by
    status and country (as `/kommuner/` searches and pages)."""
    round_ = get_or_refuse(Round.objects, request.user, CHANGE, year=year)
    typed = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    state = request.GET.get("status", "")
    state = state if state in services.STATE_FILTERS else ""
    country = request.GET.get("land", "").upper()[:2]
    report = services.monitoring(
        round_, typed=typed, country=country, state=state, side=request.GET.get("side")
    )
    country = report.country
    context = {
        "round": round_,
        "report": report,
        "page_obj": report.page,
        "typed": typed,
        "state": state,
        "country": country,
        "state_choices": STATE_CHOICES,
        "filtered": bool(typed or state or country),
        "query": paging.query_without_page(q=typed, status=state, land=country),
    }
    return render(request, "surveys/round_detail.html", context)


@login_only
def round_export(request: AuthenticatedHttpRequest, year: int, fmt: str) -> HttpResponseBase:
    round_ = get_or_refuse(Round.objects, request.user, CHANGE, year=year)
    records = exports.monitoring_records(services.monitoring_pairs(round_))
    return export_response(
        fmt, f"runde-{year}-svarprocent", exports.MONITORING_FIELDS, records, f"runde {year}"
    )


@require_POST
@login_only
def round_status(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    round_ = get_or_refuse(Round.objects, request.user, CHANGE, year=year)
    try:
        services.move_round(round_, request.POST.get("status", ""), request.user)
    except services.RoundError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("The round is now %(status)s.") % {"status": round_.get_status_display()}
        )
    return redirect("surveys:round", year=year)


@require_POST
@login_only
def round_send(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    round_ = get_or_refuse(Round.objects, request.user, CHANGE, year=year)
    reminder = request.POST.get("reminder") == "1"
    try:
        result = services.send_invitations(
            round_, _base_url(request), request.user, reminder=reminder
        )
    except services.RoundError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _(
                "%(sent)s e-mails sent; %(failed)s refused by the mail server; "
                "%(missing)s invitations have no recipient."
            )
            % {"sent": result.sent, "failed": result.failed, "missing": result.without_recipient},
        )
    return redirect("surveys:round", year=year)


@login_only
def invitation_detail(request: AuthenticatedHttpRequest, year: int, pk: int) -> HttpResponse:
    invitation = get_or_refuse(
        Invitation.objects.select_related("round", "municipality", "domain"),
        request.user,
        CHANGE,
        round__year=year,
        pk=pk,
    )
    initial = {
        "name": invitation.recipient_name,
        "email": invitation.recipient_email,
        "role": invitation.recipient_role,
    }
    form = RecipientForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.set_recipient(invitation, data["name"], data["email"], data["role"], request.user)
        messages.success(request, _("The recipient has been saved."))
        return redirect("surveys:invitation", year=year, pk=pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "surveys/invitation_detail.html",
        {"invitation": invitation, "form": form, "round": invitation.round},
        status=status,
    )


@require_POST
@login_only
def invitation_action(request: AuthenticatedHttpRequest, year: int, pk: int) -> HttpResponse:
    invitation = get_or_refuse(
        Invitation.objects.select_related("round", "municipality", "domain"),
        request.user,
        CHANGE,
        round__year=year,
        pk=pk,
    )
    action = request.POST.get("action")
    try:
        if action == "revoke":
            services.revoke(invitation, request.user)
            messages.success(request, _("The link has been revoked."))
        elif action == "reissue":
            services.reissue(invitation, _base_url(request), request.user)
            messages.success(request, _("A new link has been sent."))
        else:
            messages.error(request, _("Unknown action."))
    except services.RoundError as exc:
        messages.error(request, str(exc))
    return redirect("surveys:invitation", year=year, pk=pk)


@require_POST
@login_only
def response_reopen(request: AuthenticatedHttpRequest, year: int, pk: int) -> HttpResponse:
    response = get_or_refuse(
        Response.objects.select_related("municipality", "round"),
        request.user,
        CHANGE,
        round__year=year,
        pk=pk,
    )
    try:
        services.reopen_response(response, request.user)
    except services.RoundError as exc:
        messages.error(request, str(exc))
        return redirect("surveys:round", year=year)
    messages.success(
        request,
        _("%(municipality)s can change its answers again.")
        % {"municipality": response.municipality.name},
    )
    return redirect("surveys:round", year=year)


# Import


@login_only
def import_answers(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    """Upload a file of answers; the import runs as a background job whose page shows
    its progress and result (`job`)."""
    round_ = get_or_refuse(Round.objects, request.user, CHANGE, year=year)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {
        "round": round_,
        "form": form,
        "jobs": jobs.recent(round_, request.user, (Job.Kind.IMPORT_ANSWERS,)),
    }
    status = 200
    if round_.status == Round.Status.PUBLISHED:
        try:
            services.refuse_if_published(round_)
        except services.RoundError as exc:
            context["closed"] = str(exc)
        status = 409 if request.method == "POST" else 200
    elif request.method == "POST":
        upload = jobs.uploaded_within(form, "file", importing.LIMITS)
        if upload is not None:
            job = jobs.start(
                Job.Kind.IMPORT_ANSWERS,
                tasks.import_answers,
                request.user,
                round_=round_,
                upload=upload.read(),
                file_name=upload.name or "",
                return_url=reverse("surveys:import", args=[year]),
            )
            return redirect("surveys:job", pk=job.pk)
        status = 400
    return render(request, "surveys/import.html", context, status=status)


@require_safe
@never_cache
@login_only
def job_page(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    """A background job's progress, and its result when it is done (refreshed by
    surveys/job.js while it runs; the page also works without it, by reloading)."""
    job = get_or_refuse(Job.objects.select_related("round", "retry_of"), request.user, VIEW, pk=pk)
    domains = {domain.slug: domain.name for domain in Domain.objects.all()}
    editions = [
        {**edition, "name": domains.get(edition["scope"], "")}
        for edition in job.result.get("editions", [])
    ]
    may_change = may(request.user, CHANGE, job)
    retry_refusal = jobs.retry_refusal(job)
    context = {
        "job": job,
        "stage": jobs.stage_label(job),
        "editions": editions,
        "stalled": jobs.stalled(job),
        "stalled_minutes": settings.JOB_STALLED_AFTER_MINUTES,
        "may_retry": may_change and not retry_refusal,
        "retry_refusal": retry_refusal if may_change and job.status == Job.Status.FAILED else "",
        "may_cancel": may_change and job.status == Job.Status.QUEUED,
        "retries": list(job.retries.order_by("created_at").only("pk", "created_at")),
    }
    return render(request, "surveys/job.html", context)


@require_POST
@login_only
def job_retry(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    """Start a failed or stalled job again, as a new job with the same input."""
    job = get_or_refuse(Job.objects.select_related("round"), request.user, CHANGE, pk=pk)
    try:
        new = jobs.retry(job, request.user)
    except jobs.JobError as exc:
        messages.error(request, str(exc))
        return redirect("surveys:job", pk=job.pk)
    messages.success(request, _("The job was started again as a new job."))
    return redirect("surveys:job", pk=new.pk)


@require_POST
@login_only
def job_cancel(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    """Cancel a job that has not started."""
    job = get_or_refuse(Job.objects, request.user, CHANGE, pk=pk)
    try:
        jobs.cancel(job, request.user)
    except jobs.JobError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The job was cancelled; nothing was changed."))
    return redirect("surveys:job", pk=job.pk)


@require_safe
@never_cache
@login_only
def job_status(request: AuthenticatedHttpRequest, pk: UUID) -> JsonResponse:
    """A background job's progress as JSON, for its page's script."""
    job = get_or_refuse(Job.objects, request.user, VIEW, pk=pk)
    return JsonResponse(jobs.status_json(job))


def import_template(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The documented template (public: it holds no data)."""
    name = "kommuneradar-svar-skabelon"
    if fmt == "xlsx":
        return file_response(template_file.xlsx_bytes(), name, fmt)
    return file_response(template_file.csv_bytes(), name, fmt)


# Expert maturity ratings


@login_only
def ratings(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    round_ = get_or_refuse(Round.objects, request.user, CHANGE, year=year)
    technologies = list(
        Technology.objects.select_related("quadrant")
        .prefetch_related(
            Prefetch(
                "ratings",
                queryset=MaturityRating.objects.filter(year__lte=year).order_by("-year"),
                to_attr="recent_ratings",
            )
        )
        .order_by("quadrant__position", "name_da")
    )
    forms = []
    for technology in technologies:
        recent = technology.recent_ratings  # type: ignore[attr-defined]
        this_year = next((r for r in recent if r.year == year), None)
        initial = (
            {"rating": this_year.rating, "rationale": this_year.rationale} if this_year else {}
        )
        form = RatingForm(request.POST or None, initial=initial, technology=technology)
        form.previous = next((r for r in recent if r.year < year), None)  # type: ignore[attr-defined]
        forms.append(form)
    status = 200
    if request.method == "POST":
        if all(form.is_valid() for form in forms):
            given = {
                form.technology.pk: (form.cleaned_data["rating"], form.cleaned_data["rationale"])
                for form in forms
                if form.cleaned_data["rating"] is not None
            }
            count = services.save_ratings(year, given, request.user)
            messages.success(request, _("%(count)s ratings saved.") % {"count": count})
            return redirect("surveys:ratings", year=year)
        status = 400
    return render(request, "surveys/ratings.html", {"round": round_, "forms": forms}, status=status)
