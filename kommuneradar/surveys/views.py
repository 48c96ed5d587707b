from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kommuneradar.accounts.models import record
from kommuneradar.catalog.models import MaturityRating, Technology
from kommuneradar.core.downloads import export_response, file_response

from . import exports, services, template_file
from .forms import (
    AnswerForm,
    CorrectionForm,
    ImportForm,
    OverrideForm,
    RatingForm,
    RecipientForm,
    RoundForm,
)
from .models import Invitation, Response, Round

View = Callable[..., HttpResponseBase]


def analyst_required(view: View) -> View:
    """Logged in (else the admin login) and an analyst (else 403)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_analyst:  # type: ignore[union-attr]
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


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


@analyst_required
def round_list(request: HttpRequest) -> HttpResponse:
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        round_ = form.save()
        record(request.user, "round_created", round_, str(round_.year))
        messages.success(request, _("Round %(year)s created as a draft.") % {"year": round_.year})
        return redirect("surveys:round", year=round_.year)
    rounds = Round.objects.order_by("-year")
    status = 400 if form.errors else 200
    return render(
        request, "surveys/round_list.html", {"rounds": rounds, "form": form}, status=status
    )


@analyst_required
def round_detail(request: HttpRequest, year: int) -> HttpResponse:
    round_ = get_object_or_404(Round, year=year)
    report = services.monitoring(round_)
    return render(request, "surveys/round_detail.html", {"round": round_, "report": report})


@analyst_required
def round_export(request: HttpRequest, year: int, fmt: str) -> HttpResponseBase:
    round_ = get_object_or_404(Round, year=year)
    records = exports.monitoring_records(services.monitoring(round_))
    return export_response(
        fmt, f"runde-{year}-svarprocent", exports.MONITORING_FIELDS, records, f"runde {year}"
    )


@require_POST
@analyst_required
def round_status(request: HttpRequest, year: int) -> HttpResponse:
    round_ = get_object_or_404(Round, year=year)
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
@analyst_required
def round_send(request: HttpRequest, year: int) -> HttpResponse:
    round_ = get_object_or_404(Round, year=year)
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


@analyst_required
def invitation_detail(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    invitation = get_object_or_404(
        Invitation.objects.select_related("round", "municipality", "domain"),
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
@analyst_required
def invitation_action(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    invitation = get_object_or_404(
        Invitation.objects.select_related("round", "municipality", "domain"),
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
@analyst_required
def response_reopen(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    response = get_object_or_404(
        Response.objects.select_related("municipality"), round__year=year, pk=pk
    )
    services.reopen_response(response, request.user)
    messages.success(
        request,
        _("%(municipality)s can change its answers again.")
        % {"municipality": response.municipality.name},
    )
    return redirect("surveys:round", year=year)


# Import


@analyst_required
def import_answers(request: HttpRequest, year: int) -> HttpResponse:
    round_ = get_object_or_404(Round, year=year)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"round": round_, "form": form}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            outcome = services.import_file(round_, upload.file, request.user)
            context["outcome"] = outcome
            context["problems"] = [
                (problem, services.problem_message(problem)) for problem in outcome.problems
            ]
            status = 200 if outcome.ok else 400
        else:
            status = 400
    return render(request, "surveys/import.html", context, status=status)


def import_template(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The documented template (public: it holds no data)."""
    name = "kommuneradar-svar-skabelon"
    if fmt == "xlsx":
        return file_response(template_file.xlsx_bytes(), name, fmt)
    return file_response(template_file.csv_bytes(), name, fmt)


# Expert maturity ratings


@analyst_required
def ratings(request: HttpRequest, year: int) -> HttpResponse:
    round_ = get_object_or_404(Round, year=year)
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


# Review and publication


@analyst_required
def publication(request: HttpRequest, year: int) -> HttpResponse:
    from kommuneradar.radar.models import ALL_DOMAINS, Edition, RingOverride

    round_ = get_object_or_404(Round, year=year)
    override_form = OverrideForm(initial={"scope": ALL_DOMAINS})
    correction_form = CorrectionForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "compute":
                services.compute_drafts(round_, request.user)
                messages.success(request, _("Draft placements computed for review."))
                return redirect("surveys:publication", year=year)
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
                    return redirect("surveys:publication", year=year)
                status = 400
            elif action == "publish":
                correction_form = CorrectionForm(request.POST)
                note = request.POST.get("change_note", "")
                if round_.status == Round.Status.PUBLISHED and not correction_form.is_valid():
                    status = 400
                else:
                    services.publish_round(round_, request.user, note)
                    messages.success(request, _("The round's editions are published."))
                    return redirect("surveys:publication", year=year)
        except services.RoundError as exc:
            messages.error(request, str(exc))
            return redirect("surveys:publication", year=year)
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
    }
    return render(request, "surveys/publication.html", context, status=status)
