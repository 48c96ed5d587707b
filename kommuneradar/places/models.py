from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kommuneradar.core import published

from .naming import find_municipality, municipality_table


class Region(models.Model):
    """One of Denmark's five regions, with its official code (1081–1085)."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def lookup_table(self) -> dict[str, int]:
        """Every way a file or a filter may name these municipalities -> id (see
        `places.naming`)."""
        return municipality_table(self.values_list("pk", "code", "name", "slug"))


class Municipality(models.Model):
    """One of the 98 municipalities, identified by its official 3-digit code."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )
    population = models.PositiveIntegerField(_("population (inhabitants)"))
    population_source = models.CharField(
        _("source of the population figure"), max_length=200, blank=True
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


def municipality_code_for(typed: str) -> str | None:
    """The code of the municipality a person typed (a name, "Vejle Kommune", or a code);
    None when no municipality has that name or code (one query)."""
    rows = Municipality.objects.values_list("code", "name", "slug")
    return find_municipality(
        municipality_table((code, code, name, slug) for code, name, slug in rows), typed
    )


published.track(Region, Municipality)
