"""Every change to a user account made through the site's own pages goes through here:
inviting an editor, accepting an invitation, deactivating and reactivating. Each one
writes its audit entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from kommuneradar.core.tokens import hash_token, new_token
from kommuneradar.places.models import Municipality

from . import audit
from .models import Invitation, User


def invitation_lifetime() -> dt.timedelta:
    return dt.timedelta(days=settings.ACCOUNT_INVITATION_DAYS)


def username_for(email: str) -> str:
    """Invited people log in with their e-mail address, so it is also their username."""
    return email.strip().lower()


@dataclass(frozen=True)
class Invited:
    user: User
    invitation: Invitation
    link: str


def invite_editor(
    inviter: User, name: str, email: str, municipality: Municipality, base_url: str
) -> Invited:
    """Create (or renew, if not yet accepted) an editor account for `email` in
    `municipality` and e-mail a one-time link to set a password. Earlier unused links for
    the same person stop working."""
    first_name, _space, last_name = name.strip().partition(" ")
    user = User.objects.filter(username=username_for(email)).first()
    action = "invite" if user is None else "reinvite"
    with audit.operation(inviter, action) as change:
        return _invite(change, user, first_name, last_name, email, municipality, inviter, base_url)


def _invite(
    change: audit.Context,
    user: User | None,
    first_name: str,
    last_name: str,
    email: str,
    municipality: Municipality,
    inviter: User,
    base_url: str,
) -> Invited:
    if user is None:
        user = User(username=username_for(email))
        user.set_unusable_password()
    user.email = email.strip()
    user.first_name = first_name
    user.last_name = last_name
    user.role = User.Role.EDITOR
    user.municipality = municipality
    user.is_active = True
    user.save()
    audit.about(user)
    change.note(f"{change.action}: {user.email}")
    now = timezone.now()
    user.invitations.filter(used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    token = new_token()
    invitation = Invitation.objects.create(
        user=user,
        invited_by=inviter,
        token_hash=hash_token(token),
        expires_at=now + invitation_lifetime(),
    )
    link = base_url.rstrip("/") + reverse("accounts:accept", args=[token])
    with translation.override("da"):
        context = {"user": user, "inviter": inviter, "link": link, "invitation": invitation}
        subject = render_to_string("accounts/email/invitation_subject.txt", context)
        body = render_to_string("accounts/email/invitation_body.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return Invited(user=user, invitation=invitation, link=link)


class InvitationProblem:
    """Why an invitation link does not work (shown to the person who opened it)."""

    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    INACTIVE = "inactive"


def check_invitation(token: str) -> tuple[Invitation | None, str]:
    """The invitation for `token` and "" when the link may be used; else None or the
    invitation with the reason (an `InvitationProblem`)."""
    invitation = (
        Invitation.objects.select_related("user__municipality")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        return None, InvitationProblem.UNKNOWN
    if invitation.used_at is not None:
        return invitation, InvitationProblem.USED
    if invitation.expires_at <= timezone.now():
        return invitation, InvitationProblem.EXPIRED
    if not invitation.user.is_active:
        return invitation, InvitationProblem.INACTIVE
    return invitation, ""


class InvitationUsedError(Exception):
    """Two requests raced to use the same link; the second one loses."""


def accept_invitation(invitation: Invitation, password: str) -> User:
    """Set the invited person's password and use up the link (a second use is refused)."""
    with audit.operation(invitation.user, "accept_invitation", subject=invitation.user) as change:
        change.note(f"password set: {invitation.user.email}")
        return _accept(invitation, password)


def _accept(invitation: Invitation, password: str) -> User:
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.used_at is not None:
        raise InvitationUsedError(invitation.pk)
    user = locked.user
    user.set_password(password)
    user.save(update_fields=["password"])
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at"])
    return user


def set_active(actor: User, user: User, active: bool) -> User:
    """Deactivate (the person can no longer log in) or reactivate an account."""
    if user.is_active != active:
        action = "reactivate" if active else "deactivate"
        summary = f"{action}: {user.email or user.username}"
        with audit.operation(actor, action, subject=user, summary=summary):
            user.is_active = active
            user.save(update_fields=["is_active"])
    return user
