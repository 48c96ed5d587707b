from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kommuneradar.core import published
from kommuneradar.localized import Bilingual


class Domain(Bilingual, models.Model):
    """A municipal policy domain (fagområde), e.g. Sundhed og ældre."""

    slug = models.SlugField(_("slug"), unique=True)
    name_da = models.CharField(_("Danish name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self) -> str:
        return self.name_da


class Quadrant(Bilingual, models.Model):
    """A technology family; the radar has exactly four, drawn clockwise from top right."""

    slug = models.SlugField(_("slug"), unique=True)
    name_da = models.CharField(_("Danish name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    position = models.PositiveSmallIntegerField(
        _("position (0-3)"), unique=True, validators=[MaxValueValidator(3)]
    )

    class Meta:
        ordering = ["position"]
        verbose_name = _("quadrant")
        verbose_name_plural = _("quadrants")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(position__lte=3), name="quadrant_position_0_3"
            )
        ]

    def __str__(self) -> str:
        return self.name_da


class Technology(Bilingual, models.Model):
    """A technology in the catalogue, placed in one quadrant and relevant to some domains."""

    slug = models.SlugField(_("slug"), unique=True)
    name_da = models.CharField(_("Danish name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=100)
    description_da = models.TextField(_("Danish description"))
    description_en = models.TextField(_("English description"))
    quadrant = models.ForeignKey(
        Quadrant, on_delete=models.PROTECT, related_name="technologies", verbose_name=_("quadrant")
    )
    domains = models.ManyToManyField(
        Domain, related_name="technologies", verbose_name=_("relevant domains")
    )

    class Meta:
        ordering = ["name_da"]
        verbose_name = _("technology")
        verbose_name_plural = _("technologies")

    def __str__(self) -> str:
        return self.name_da

    @property
    def description(self) -> str:
        return self.localized("description")


class TechnologyTerm(models.Model):
    """A word or phrase people type for a technology, beside its Danish and English names:
    an abbreviation ("RPA"), a synonym ("softwarerobot") or a broader term
    ("velfærdsteknologi"). Searching the knowledge centre for any of them finds the
    technology's cases; a search for the technology also looks for its abbreviations and
    synonyms, but not for its broader terms (those cover other technologies too)."""

    class Kind(models.TextChoices):
        ABBREVIATION = "abbreviation", _("Abbreviation")
        SYNONYM = "synonym", _("Synonym")
        BROADER = "broader", _("Broader term")

    technology = models.ForeignKey(
        Technology, on_delete=models.CASCADE, related_name="terms", verbose_name=_("technology")
    )
    term = models.CharField(_("term"), max_length=100)
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind,
        default=Kind.SYNONYM,
        help_text=_(
            "A broader term leads to this technology, but a search for this technology does "
            "not look for it."
        ),
    )

    class Meta:
        ordering = ["technology", "kind", "term"]
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        constraints = [
            models.UniqueConstraint(fields=["technology", "term"], name="one_term_per_technology")
        ]

    def __str__(self) -> str:
        return self.term


class MaturityRating(models.Model):
    """The analysts' expert rating of technical maturity for one survey year (1-9, TRL-like)."""

    technology = models.ForeignKey(
        Technology, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("technology")
    )
    year = models.PositiveSmallIntegerField(_("survey year"))
    rating = models.PositiveSmallIntegerField(
        _("maturity rating (1-9)"), validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    rationale = models.TextField(_("rationale"), blank=True)

    class Meta:
        ordering = ["technology", "year"]
        verbose_name = _("maturity rating")
        verbose_name_plural = _("maturity ratings")
        constraints = [
            models.UniqueConstraint(fields=["technology", "year"], name="one_rating_per_year"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=9), name="rating_between_1_and_9"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.technology} {self.year}: {self.rating}"


published.track(Domain, Quadrant, Technology, TechnologyTerm, MaturityRating)
