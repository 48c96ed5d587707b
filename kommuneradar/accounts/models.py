from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from kommuneradar.places.models import Municipality


class KommuneradarUserManager(UserManager["User"]):
    """Django's manager, except that a superuser gets the admin role: an admin belongs to
    no municipality, so `createsuperuser` works without one."""

    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("role", User.Role.ADMIN)
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    """A person who logs in: a KL analyst, a municipal editor bound to one municipality,
    or an admin (a superuser). The public and survey respondents never log in."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        ANALYST = "analyst", _("Analyst (KL)")
        EDITOR = "editor", _("Municipal editor")

    objects: ClassVar[KommuneradarUserManager] = KommuneradarUserManager()

    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.EDITOR)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="editors",
        verbose_name=_("municipality"),
        help_text=_("Required for municipal editors: the only municipality whose data they edit."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="editor") | models.Q(municipality__isnull=False),
                name="editor_has_municipality",
            )
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Analysts work in the admin: they are staff and in the analysts' group. The admin
        role is the superuser's."""
        if self.role == self.Role.ADMIN:
            self.is_staff = True
            self.is_superuser = True
        if self.role == self.Role.ANALYST:
            self.is_staff = True
        super().save(*args, **kwargs)
        if self.role == self.Role.ANALYST:
            from django.contrib.auth.models import Group

            from .roles import ANALYST_GROUP

            group = Group.objects.filter(name=ANALYST_GROUP).first()
            if group is not None:
                self.groups.add(group)

    @property
    def is_analyst(self) -> bool:
        """Analysts and admins run rounds, the catalogue and publication."""
        return self.is_active and (self.is_superuser or self.role == self.Role.ANALYST)

    def may_edit_municipality(self, municipality: Municipality | int | None) -> bool:
        """Whether this user may change data that belongs to `municipality`."""
        if not self.is_active or municipality is None:
            return False
        if self.is_analyst:
            return True
        wanted = municipality if isinstance(municipality, int) else municipality.pk
        return self.role == self.Role.EDITOR and self.municipality_id == wanted


class AuditEntry(models.Model):
    """Who changed what, when: one row per change made through the application."""

    at = models.DateTimeField(_("at"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("user"),
    )
    action = models.CharField(_("action"), max_length=50)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    summary = models.TextField(_("summary"), blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("municipality"),
    )

    class Meta:
        ordering = ["-at"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        when = f"{self.at:%Y-%m-%d %H:%M}"
        return f"{when} {self.user} {self.action} {self.object_type} {self.object_id}"


class Invitation(models.Model):
    """A one-time link that lets an invited person set their password. Only the SHA-256
    hash of the link's random token is stored; the link works until `expires_at` and once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("user"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"


class ApiToken(models.Model):
    """A personal key to the API's write endpoints, created and revoked by its owner on
    /min-konto/noegler/. The secret is shown once; only its SHA-256 hash is stored, found
    by a short public prefix. A revoked token is kept (with when) so the trail stays whole."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    secret_hash = models.CharField(_("secret hash"), max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
