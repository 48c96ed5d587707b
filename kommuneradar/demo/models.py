from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kommuneradar.accounts import access, audit


class DemoLoad(models.Model):
    """Marks a database filled by `load_demo`: while a row exists, every page says the
    figures are generated demo data."""

    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    seed = models.PositiveIntegerField(_("seed"))

    class Meta:
        verbose_name = _("demo data load")
        verbose_name_plural = _("demo data loads")

    def __str__(self) -> str:
        return f"demo seed {self.seed} ({self.loaded_at:%Y-%m-%d})"


access.register(DemoLoad, access.analyst_rule())
audit.exempt(DemoLoad, "a marker that generated demo data is loaded, not a change of real data")
