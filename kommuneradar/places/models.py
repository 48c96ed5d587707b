from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kommuneradar.core import published

from .naming import (
    HOME_COUNTRY,
    find_municipality,
    lookup_candidates,
    place_table,
    split_url_code,
    url_code,
)


class Region(models.Model):
    """A region of a country (Denmark's five regions have the official codes 1081–1085)."""

    country = models.CharField(
        _("country"), max_length=2, default=HOME_COUNTRY, help_text=_("ISO 3166-1 alpha-2")
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["country", "code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], name="region_code_per_country")
        ]

    def __str__(self) -> str:
        return self.name


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def lookup_table(self) -> dict[str, int]:
        """Every way a file or a filter may name these municipalities -> id (see
        `places.naming`). Danish municipalities come first, so a Danish name or code
        always means the Danish municipality; another country's is also found as
        "<country>:<code>" (e.g. "xs:S00001")."""
        rows = self.order_by(
            models.Case(models.When(country=HOME_COUNTRY, then=0), default=1), "country", "code"
        ).values_list("pk", "country", "code", "name", "slug")
        return place_table(rows)

    def named(self, typed: str) -> Municipality | None:
        """The municipality a person typed (a code, a name, "Vejle Kommune", the slug or
        "<country>:<code>"), Danish ones first; None when none has it. One query, however many
        municipalities there are."""
        codes, slugs, qualified = lookup_candidates(typed)
        wanted = Q(code__in=codes) | Q(slug__in=slugs) | Q(name__iexact=typed.strip())
        for country, code in qualified:
            wanted |= Q(country=country, code=code)
        home_first = models.Case(models.When(country=HOME_COUNTRY, then=0), default=1)
        found = list(self.filter(wanted).select_related("region").order_by(home_first, "pk")[:20])
        table = place_table((m, m.country, m.code, m.name, m.slug) for m in found)
        return find_municipality(table, typed)

    def by_url_code(self, code: str) -> models.QuerySet[Municipality]:
        """The municipality a URL names: "101" (Denmark) or "xs/S00001" (another
        country, see `naming.url_code`)."""
        country, official = split_url_code(code)
        return self.filter(country=country, code=official)

    def search(self, text: str) -> models.QuerySet[Municipality]:
        """Municipalities whose name, code or region contains `text` (case-insensitive)."""
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(name__icontains=text) | Q(code__iexact=text) | Q(region__name__icontains=text)
        )


class Municipality(models.Model):
    """A local government: one of Denmark's 98 municipalities (official 3-digit code) or
    another country's, identified by its country and its official code there."""

    country = models.CharField(
        _("country"), max_length=2, default=HOME_COUNTRY, help_text=_("ISO 3166-1 alpha-2")
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=100)
    # Unique over every country: the URLs of new cases and the filters name a municipality
    # by its slug. Foreign slugs start with the country (`naming.municipality_slug`).
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("region"),
        null=True,
        blank=True,
    )
    population = models.PositiveIntegerField(_("population (inhabitants)"))
    population_source = models.CharField(
        _("source of the population figure"), max_length=200, blank=True
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["country", "code"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "code"], name="municipality_code_per_country"
            ),
            models.UniqueConstraint(
                fields=["country", "name"], name="municipality_name_per_country"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return f"/kommuner/{self.url_code}/"

    @property
    def url_code(self) -> str:
        """The municipality in a URL: its code in Denmark ("/kommuner/101/"), else the
        country and the code ("/kommuner/xs/S00001/")."""
        return url_code(self.country, self.code)

    @property
    def region_name(self) -> str:
        return self.region.name if self.region else ""

    @property
    def region_code(self) -> str:
        return self.region.code if self.region else ""


def municipality_code_for(typed: str) -> str | None:
    """The code of the Danish municipality a person typed (a name, "Vejle Kommune", or a
    code), or the url code of another country's ("xs:S00001"); None when no municipality
    has that name or code (one query)."""
    found = Municipality.objects.named(typed)
    return found.url_code if found else None


published.track(Region, Municipality)


CHOICE_LIMIT = 200
"""Up to this many municipalities a form offers them in a drop-down list; beyond it (a
country with thousands of local governments) the person types a name or code instead."""


def municipality_choices() -> list[Municipality] | None:
    """Every municipality by name when there are at most `CHOICE_LIMIT`, else None (one
    query, reading at most `CHOICE_LIMIT` + 1 rows)."""
    rows = list(
        Municipality.objects.order_by("name", "pk").only("country", "code", "name", "slug")[
            : CHOICE_LIMIT + 1
        ]
    )
    return rows if len(rows) <= CHOICE_LIMIT else None
