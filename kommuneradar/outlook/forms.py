"""The scenario form: "what if" in the query string, so every scenario has a URL."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kommuneradar.catalog.models import Technology

from . import projection as pj

SPEED_MIN = Decimal("0.25")
SPEED_MAX = Decimal("4")


class SpeedField(forms.DecimalField):
    """A speed factor typed the Danish way (1,5) or the English way (1.5)."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        result: Decimal | None = super().to_python(value)
        return result


class ScenarioForm(forms.Form):
    """What if diffusion sped up, every pilot went into operation, or chosen technologies
    went through a partnership programme with the enrolment the programmes have had."""

    fart = SpeedField(
        label=_("Speed of diffusion (1 = as observed)"),
        required=False,
        min_value=SPEED_MIN,
        max_value=SPEED_MAX,
        max_digits=4,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
        help_text=_(
            "A factor from 0.25 to 4: 2 means twice as many municipalities move each year."
        ),
        error_messages={
            "invalid": _("Type the speed as a number, e.g. 1,5."),
            "min_value": _("The speed must be at least 0.25."),
            "max_value": _("The speed can be at most 4."),
            "max_digits": _("Type the speed with at most two decimals, e.g. 1,25."),
            "max_decimal_places": _("Type the speed with at most two decimals, e.g. 1,25."),
        },
    )
    piloter = forms.BooleanField(
        label=_("Every municipality that is piloting a technology puts it into operation"),
        required=False,
    )
    program = forms.MultipleChoiceField(
        label=_("Technologies pushed through a partnership programme"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("“%(value)s” is not a technology in the outlook."),
        },
    )

    def __init__(self, *args: Any, technologies: list[Technology], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.technologies = {technology.slug: technology for technology in technologies}
        self.fields["program"].choices = [  # type: ignore[attr-defined]
            (technology.slug, technology.name) for technology in technologies
        ]

    def scenario(self) -> tuple[pj.Scenario, frozenset[int]]:
        """The scenario asked for (call after is_valid); programme rates are filled in per
        technology by the service."""
        speed = self.cleaned_data.get("fart") or Decimal(1)
        chosen = frozenset(
            self.technologies[slug].pk for slug in self.cleaned_data.get("program") or []
        )
        return (
            pj.Scenario(float(speed), bool(self.cleaned_data.get("piloter")), 0.0),
            chosen,
        )
