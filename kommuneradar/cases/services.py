"""Every change to a case goes through here: saved in one transaction, audited, reindexed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case as DbCase
from django.db.models import Count, Q, When
from django.utils import timezone

from kommuneradar.accounts import access, audit
from kommuneradar.accounts.models import AuditEntry, User
from kommuneradar.places.models import Municipality

from . import workflow
from .forms import CaseForm
from .indexing import reindex
from .models import Case, CaseQuerySet

SIMILAR_LIMIT = 5


def save_case(
    user: User,
    form: CaseForm,
    formsets: list[Any],
    municipality: Municipality | None = None,
) -> Case:
    """Save a valid case form with its effect and contact formsets; a new case belongs to
    `municipality` and starts as a draft."""
    creating = form.instance.pk is None
    case = form.save(commit=False)
    if creating:
        if municipality is not None:
            case.lead_municipality = municipality
        case.state = Case.State.DRAFT
    access.refuse_unless(user, access.ADD if creating else access.CHANGE, case)
    with audit.operation(user, "create" if creating else "edit", subject=case) as op:
        _save_case(case, form, formsets, creating, op)
    return case


def _save_case(
    case: Case, form: CaseForm, formsets: list[Any], creating: bool, op: audit.Context
) -> None:
    case.save()
    form.save_m2m()
    changed = list(form.changed_data)
    for formset in formsets:
        formset.instance = case
        for contact in formset.save(commit=False):
            if getattr(contact, "consent_to_publish", False) and not contact.consent_recorded_on:
                contact.consent_recorded_on = timezone.localdate()
            contact.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
        if formset.has_changed():
            changed.append(str(formset.prefix))
    reindex(case)
    op.note(f"created: {case.title}" if creating else "changed: " + ", ".join(changed))


def change_state(user: User, case: Case, action: str, comment: str = "") -> Case:
    """Submit, publish or send back a case; raises PermissionDenied when not allowed."""
    access.refuse_unless(user, access.CHANGE, case)
    new_state = workflow.next_state(case.state, action, is_analyst=user.is_analyst)
    if new_state is None:
        raise PermissionDenied
    summary = f"{action}: {comment}" if comment else action
    with audit.operation(user, action, subject=case, summary=summary):
        case.state = new_state
        if action == workflow.PUBLISH:
            case.published_at = case.published_at or timezone.now()
            case.review_comment = comment
        elif action == workflow.RETURN:
            case.review_comment = comment
        case.save(update_fields=["state", "published_at", "review_comment", "updated_at"])
    return case


def history(case: Case) -> list[AuditEntry]:
    """Every recorded change to the case, newest first."""
    entries = AuditEntry.objects.filter(object_type=Case._meta.label, object_id=str(case.pk))
    return list(entries.select_related("user").order_by("-at", "-id"))


def similar_cases(case: Case) -> list[Case]:
    """Published cases sharing the most technologies and domains with `case`."""
    technology_ids = [technology.pk for technology in case.technologies.all()]
    domain_ids = [domain.pk for domain in case.domains.all()]
    if not technology_ids:
        return []
    using = Case.technologies.through.objects.filter(technology_id__in=technology_ids)
    candidates = (
        Case.objects.published()
        .exclude(pk=case.pk)
        .filter(id__in=using.values("case_id"))
        .annotate(
            shared_technologies=Count(
                "technologies", filter=Q(technologies__in=technology_ids), distinct=True
            ),
            shared_domains=Count("domains", filter=Q(domains__in=domain_ids), distinct=True),
        )
        .select_related("lead_municipality")
        .defer("body", "lessons", "search_text")
        .order_by("-shared_technologies", "-shared_domains", "-published_at", "-id")
    )
    return list(candidates[:SIMILAR_LIMIT])


def workspace_cases(user: User) -> CaseQuerySet:
    """The cases a logged-in user works on: an editor's own municipality, all for analysts."""
    cases = Case.objects.select_related("lead_municipality").defer("body", "lessons", "search_text")
    cases = access.restrict(cases, user, access.CHANGE)
    queue_first = DbCase(
        When(state=Case.State.SUBMITTED, then=0),
        When(state=Case.State.RETURNED, then=1),
        When(state=Case.State.DRAFT, then=2),
        default=3,
    )
    ordered: CaseQuerySet = cases.order_by(queue_first, "-updated_at", "-id")
    return ordered
