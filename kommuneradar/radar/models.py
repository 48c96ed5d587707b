from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kommuneradar.accounts import access, audit, personal
from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.core import published
from kommuneradar.surveys.models import Round

from . import placement as p

ALL_DOMAINS = "alle"


class Ring(models.TextChoices):
    KLAR = p.KLAR, _("READY")
    AFPROEV = p.AFPROEV, _("TRY")
    HOLD_OEJE = p.HOLD_OEJE, _("WATCH")
    AFVENT = p.AFVENT, _("WAIT")


class Movement(models.TextChoices):
    NEW = p.NEW, _("New")
    MOVED_IN = p.MOVED_IN, _("Moved in")
    MOVED_OUT = p.MOVED_OUT, _("Moved out")
    UNCHANGED = p.UNCHANGED, _("Unchanged")


class PlacementRules(models.Model):
    """The analysts' placement settings; one row, the defaults are BRIEF.md's."""

    klar_from = models.FloatField(_("READY from score"), default=0.75)
    afproev_from = models.FloatField(_("TRY from score"), default=0.50)
    hold_oeje_from = models.FloatField(_("WATCH from score"), default=0.25)
    min_respondents = models.PositiveSmallIntegerField(
        _("fewest responding municipalities for a placement"), default=5
    )

    class Meta:
        verbose_name = _("placement rules")
        verbose_name_plural = _("placement rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hold_oeje_from__gt=0)
                & models.Q(afproev_from__gt=models.F("hold_oeje_from"))
                & models.Q(klar_from__gt=models.F("afproev_from"))
                & models.Q(klar_from__lte=1),
                name="ring_thresholds_rise",
            ),
            models.CheckConstraint(
                condition=models.Q(min_respondents__gte=1), name="min_respondents_1"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Placement rules"))

    @classmethod
    def current(cls) -> p.Rules:
        row = cls.objects.order_by("pk").first() or cls()
        return p.Rules(
            klar_from=row.klar_from,
            afproev_from=row.afproev_from,
            hold_oeje_from=row.hold_oeje_from,
            min_respondents=row.min_respondents,
        )


class Edition(models.Model):
    """A frozen snapshot of the radar for one round and one domain (or all domains).

    Published editions never change: new answers give a new revision."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="editions", verbose_name=_("round")
    )
    scope = models.SlugField(_("scope (domain slug, or 'alle')"))
    domain = models.ForeignKey(
        Domain, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("domain")
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    computed_at = models.DateTimeField(_("computed at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    fingerprint = models.CharField(_("content fingerprint"), max_length=64)
    rules = models.JSONField(_("placement rules used"))
    respondents = models.PositiveIntegerField(_("responding municipalities"), default=0)
    change_note = models.TextField(_("what changed and why"), blank=True)

    class Meta:
        ordering = ["-round__year", "scope", "-revision"]
        verbose_name = _("radar edition")
        verbose_name_plural = _("radar editions")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "scope", "revision"], name="one_revision_per_round_scope"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round.year} {self.scope} r{self.revision}"


class Blip(models.Model):
    """One technology's placement in an edition, with every number behind it."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="blips", verbose_name=_("edition")
    )
    technology = models.ForeignKey(
        Technology, on_delete=models.PROTECT, related_name="blips", verbose_name=_("technology")
    )
    quadrant_position = models.PositiveSmallIntegerField(_("quadrant"))
    users = models.PositiveIntegerField(_("municipalities using it"))
    respondents = models.PositiveIntegerField(_("responding municipalities"))
    diffusion = models.FloatField(_("diffusion (share 0-1)"))
    diffusion_low = models.FloatField(_("diffusion, lower 95% bound"))
    diffusion_high = models.FloatField(_("diffusion, upper 95% bound"))
    rating = models.PositiveSmallIntegerField(_("maturity rating (1-9)"))
    rating_year = models.PositiveSmallIntegerField(_("year of the maturity rating"))
    maturity = models.FloatField(_("maturity (0-1)"))
    suppressed = models.BooleanField(_("too few answers to place"), default=False)
    score = models.FloatField(_("placement score (0-1)"), null=True)
    computed_ring = models.CharField(_("computed ring"), max_length=10, choices=Ring, blank=True)
    uncertain = models.BooleanField(_("uncertain placement"), default=False)
    override_ring = models.CharField(_("overridden ring"), max_length=10, choices=Ring, blank=True)
    override_reason = models.TextField(_("reason for override"), blank=True)
    movement = models.CharField(_("movement"), max_length=10, choices=Movement, blank=True)
    value_profile = models.JSONField(_("value profile"), default=dict)

    class Meta:
        ordering = ["edition", "quadrant_position", "technology__name_da"]
        verbose_name = _("blip")
        verbose_name_plural = _("blips")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "technology"], name="one_blip_per_technology"
            )
        ]

    def __str__(self) -> str:
        return f"{self.edition}: {self.technology}"

    @property
    def ring(self) -> str:
        """The ring shown: the analyst's override where there is one."""
        return self.override_ring or self.computed_ring

    @property
    def ring_label(self) -> str:
        return str(Ring(self.ring).label) if self.ring else ""

    @property
    def computed_ring_label(self) -> str:
        return str(Ring(self.computed_ring).label) if self.computed_ring else ""

    @property
    def movement_label(self) -> str:
        return str(Movement(self.movement).label) if self.movement else ""


class RingOverride(models.Model):
    """An analyst's decision to show a technology in another ring than the computed one.

    Applied whenever the round's editions are computed; a reason is required."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, verbose_name=_("round"))
    scope = models.SlugField(_("scope (domain slug, or 'alle')"))
    technology = models.ForeignKey(
        Technology, on_delete=models.CASCADE, verbose_name=_("technology")
    )
    ring = models.CharField(_("ring"), max_length=10, choices=Ring)
    reason = models.TextField(_("reason"), help_text=_("Shown on the public page."))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ring override")
        verbose_name_plural = _("ring overrides")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "scope", "technology"], name="one_override_per_placement"
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="override_needs_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.scope} {self.technology} -> {self.ring}"


class EditionStory(models.Model):
    """The analysts' words for one round's radar of one scope: an introduction, the expert
    panel behind the maturity ratings, and a named contact.

    Never changed in place: every save is a new row, so the rows of a round and scope are
    its history and the latest is the one shown."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="stories", verbose_name=_("round")
    )
    scope = models.SlugField(_("scope (domain slug, or 'alle')"))
    introduction = models.TextField(_("introduction"), blank=True)
    expert_panel = models.TextField(
        _("expert panel"),
        blank=True,
        help_text=_("Who rated the technologies' maturity, and how; shown on the method page."),
    )
    contact_name = models.CharField(_("contact's name"), max_length=200, blank=True)
    contact_role = models.CharField(_("contact's role"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact's e-mail"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["round", "scope", "-created_at", "-pk"]
        verbose_name = _("edition introduction")
        verbose_name_plural = _("edition introductions")

    def __str__(self) -> str:
        return f"{self.round} {self.scope}"


class RingReason(models.Model):
    """Why a technology is in its ring in one round's radar of one scope ("hvorfor denne
    ring"), written by an analyst. Never changed in place: a new reason is a new row, so
    the rows are the reason's history and the latest is the one shown."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="ring_reasons", verbose_name=_("round")
    )
    scope = models.SlugField(_("scope (domain slug, or 'alle')"))
    technology = models.ForeignKey(
        Technology,
        on_delete=models.CASCADE,
        related_name="ring_reasons",
        verbose_name=_("technology"),
    )
    text = models.TextField(_("why this ring"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["round", "scope", "technology", "-created_at", "-pk"]
        verbose_name = _("ring reason")
        verbose_name_plural = _("ring reasons")
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="ring_reason_has_text")
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.scope} {self.technology}"


class EditorialRadar(models.Model):
    """A radar whose rings were set by hand, imported from another radar tool (BYOR or
    Backstage), not computed from surveys. Shown apart, always labelled as editorial.

    `rings` lists {code, name, color, description} innermost first; `quadrants` lists
    {position (0-3, clockwise from top right), slug, name}."""

    class Source(models.TextChoices):
        BYOR = "byor", _("Build Your Own Radar (CSV or JSON)")
        BACKSTAGE = "backstage", _("Backstage tech-radar (JSON)")

    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("imported from"), max_length=20, choices=Source)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    rings = models.JSONField(_("rings, innermost first"))
    quadrants = models.JSONField(_("quadrants"))
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("imported by"),
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("editorial radar")
        verbose_name_plural = _("editorial radars")

    def __str__(self) -> str:
        return self.name


class EditorialEdition(models.Model):
    """One dated state of an editorial radar (a Backstage timeline gives one per date)."""

    radar = models.ForeignKey(
        EditorialRadar,
        on_delete=models.CASCADE,
        related_name="editions",
        verbose_name=_("editorial radar"),
    )
    date = models.DateField(_("date"))

    class Meta:
        ordering = ["radar", "-date"]
        verbose_name = _("editorial edition")
        verbose_name_plural = _("editorial editions")
        constraints = [
            models.UniqueConstraint(fields=["radar", "date"], name="one_editorial_edition_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.radar} {self.date.isoformat()}"


class EditorialEntry(models.Model):
    """A technology in an editorial edition, in the ring someone chose for it."""

    edition = models.ForeignKey(
        EditorialEdition,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("editorial edition"),
    )
    key = models.CharField(_("key"), max_length=200)
    name = models.CharField(_("name"), max_length=300)
    quadrant_position = models.PositiveSmallIntegerField(_("quadrant"))
    ring = models.CharField(_("ring code"), max_length=100)
    movement = models.CharField(_("movement"), max_length=10, choices=Movement)
    description = models.TextField(_("description (HTML)"), blank=True)
    note = models.TextField(_("note on this edition"), blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)

    class Meta:
        ordering = ["edition", "quadrant_position", "name"]
        verbose_name = _("editorial entry")
        verbose_name_plural = _("editorial entries")
        constraints = [
            models.UniqueConstraint(fields=["edition", "key"], name="one_editorial_entry_per_key")
        ]

    def __str__(self) -> str:
        return self.name


# Who may see and change what (accounts.access), and what is audited (accounts.audit).
access.register(PlacementRules, access.public_rule())
access.register(
    Edition,
    access.Rule(
        seen=lambda user: (
            access.EVERYTHING
            if user is not None and user.is_analyst
            else Q(status=Edition.Status.PUBLISHED)
        ),
        changed=lambda user: (
            access.EVERYTHING if user is not None and user.is_analyst else access.NOTHING
        ),
        sees=lambda user, edition: (
            edition.status == Edition.Status.PUBLISHED or (user is not None and user.is_analyst)
        ),
        changes=lambda user, edition: user is not None and user.is_analyst,
    ),
)
access.register(
    Blip,
    access.Rule(
        seen=lambda user: (
            access.EVERYTHING
            if user is not None and user.is_analyst
            else Q(edition__status=Edition.Status.PUBLISHED)
        ),
        changed=lambda user: access.NOTHING,
        sees=lambda user, blip: (
            blip.edition.status == Edition.Status.PUBLISHED
            or (user is not None and user.is_analyst)
        ),
        changes=lambda user, blip: False,
    ),
)
access.register(RingOverride, access.public_rule())
audit.track(PlacementRules)
audit.track(RingOverride)
# Editions are computed inside the round's operations (their entry lists them); tracked so
# that any other write, such as a deletion in the admin, is recorded too.
audit.track(Edition)
audit.exempt(Blip, "computed with its edition; the round's operation entry records it")
access.register(EditorialRadar, access.public_rule())
access.register(EditorialEdition, access.public_rule())
access.register(EditorialEntry, access.public_rule())
audit.track(EditorialRadar)
audit.exempt(EditorialEdition, "written by the radar's import; its operation entry records it")
audit.exempt(EditorialEntry, "written by the radar's import; its operation entry records it")
published.track(Edition)  # blips are written with their edition
published.track(PlacementRules)  # the thresholds place every radar and the outlook
access.register(EditionStory, access.public_rule())
access.register(RingReason, access.public_rule())
audit.track(EditionStory)
audit.track(RingReason)
published.track(EditionStory, RingReason)  # shown on the radar, technology and method pages
personal.register(
    EditionStory,
    emails=["contact_email"],
    names=["contact_name"],
    other=["contact_role"],
    purpose="the named contact of a published radar edition, shown with it",
)
