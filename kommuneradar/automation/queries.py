"""The one search of the pipeline: the processes a user may see, narrowed by the filters of
the list page (and the API), in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from kommuneradar.accounts.access import VIEW, restrict
from kommuneradar.catalog.models import Technology
from kommuneradar.places.models import municipality_code_for

from . import potential
from .models import Measurement, Phase, Process, Status, Visibility

MAX_TEXT = 100
# cases × minutes × share (percent) = expected hours × 60 × 100
_HOURS_SCALE = potential.MINUTES_PER_HOUR * potential.HUNDRED


@dataclass
class Filters:
    """What a visitor chose; every value already cleaned (unknown choices dropped)."""

    text: str = ""
    kle: str = ""
    phases: list[str] = field(default_factory=list)
    status: str = ""
    technology: str = ""
    system: str = ""
    municipality: str = ""
    size: str = ""
    visibility: str = ""

    def as_query(self) -> list[tuple[str, str]]:
        """The filters as query-string pairs, in the list page's parameter names."""
        pairs = [("q", self.text), ("kle", self.kle)]
        pairs += [("fase", phase) for phase in self.phases]
        pairs += [
            ("status", self.status),
            ("teknologi", self.technology),
            ("system", self.system),
            ("kommune", self.municipality),
            ("stoerrelse", self.size),
            ("synlighed", self.visibility),
        ]
        return [(key, value) for key, value in pairs if value]


def _clean(value: str | None) -> str:
    return (value or "").replace("\x00", "").strip()[:MAX_TEXT]


def filters_from(single: Mapping[str, str], phases: list[str]) -> Filters:
    """Filters from query parameters (`single` by name, `phases` the repeated `fase`)."""
    phase_codes = set(Phase.values)
    chosen = Filters(
        text=_clean(single.get("q")),
        kle=_clean(single.get("kle")),
        phases=[phase for phase in dict.fromkeys(map(_clean, phases)) if phase in phase_codes],
        status=_clean(single.get("status")),
        technology=_clean(single.get("teknologi")),
        system=_clean(single.get("system")),
        municipality=_clean(single.get("kommune")),
        size=_clean(single.get("stoerrelse")),
        visibility=_clean(single.get("synlighed")),
    )
    if chosen.status not in Status.values:
        chosen.status = ""
    if chosen.visibility not in Visibility.values:
        chosen.visibility = ""
    if chosen.size not in [code for code, _lower, _upper in potential.SIZE_BANDS]:
        chosen.size = ""
    if not chosen.system.isdigit():
        chosen.system = ""
    return chosen


def visible(user: object) -> QuerySet[Process]:
    """The processes `user` may see."""
    found: QuerySet[Process] = restrict(Process.objects, user, VIEW)
    return found


def with_expected_hours(processes: QuerySet[Process]) -> QuerySet[Process]:
    """Annotated with `expected_hours_db` (hours per year, computed by the database)."""
    return processes.annotate(
        expected_hours_db=ExpressionWrapper(
            F("cases_per_year") * F("minutes_per_case") * F("automation_share") / _HOURS_SCALE,
            output_field=DecimalField(max_digits=20, decimal_places=4),
        )
    )


def find_processes(user: object, chosen: Filters) -> tuple[QuerySet[Process], str]:
    """The processes `user` may see that match `chosen`, and a message when a filter
    names nothing (then nothing matches)."""
    processes = visible(user)
    problem = ""
    if chosen.text:
        words = chosen.text.split()
        for word in words[:10]:
            processes = processes.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(description__icontains=word)
                | Q(kle__title__icontains=word)
                | Q(kle__number__startswith=word)
            )
    if chosen.kle:
        processes = processes.filter(kle__number__startswith=chosen.kle)
    if chosen.phases:
        processes = processes.filter(phase__in=chosen.phases)
    if chosen.status:
        processes = processes.filter(status=chosen.status)
    if chosen.technology:
        processes = processes.filter(technologies__slug=chosen.technology)
    if chosen.system:
        processes = processes.filter(systems__id=int(chosen.system))
    if chosen.visibility:
        processes = processes.filter(visibility=chosen.visibility)
    if chosen.municipality:
        code = municipality_code_for(chosen.municipality)
        if code is None:
            problem = _(
                "No municipality is called or numbered “%(typed)s”. Type a name such as "
                "Vejle or Vejle Kommune, or a code such as 630."
            ) % {"typed": chosen.municipality}
            processes = processes.none()
        else:
            processes = processes.filter(municipality__code=code)
    if chosen.size:
        lower, upper = potential.band_bounds(chosen.size)
        scaled = F("cases_per_year") * F("minutes_per_case") * F("automation_share")
        processes = processes.alias(kr_scaled=scaled).filter(kr_scaled__gte=lower * _HOURS_SCALE)
        if upper is not None:
            processes = processes.filter(kr_scaled__lt=upper * _HOURS_SCALE)
    return processes.distinct(), problem


def for_listing(processes: QuerySet[Process], user: object) -> QuerySet[Process]:
    """What the list needs per row, in a fixed number of queries: the municipality and
    KLE number joined, the technologies prefetched, and the reuses the user may see
    counted."""
    seen = visible(user).values("pk")
    return (
        processes.select_related("municipality", "kle")
        .annotate(reuse_count=Count("reuses", filter=Q(reuses__in=seen), distinct=True))
        .prefetch_related(Prefetch("technologies", queryset=Technology.objects.order_by("name_da")))
    )


def latest_realised_per_year(measurements: list[Measurement]) -> Decimal | None:
    """The realised hours per year of the latest measurement (by period end); None
    without measurements."""
    if not measurements:
        return None
    latest = max(measurements, key=lambda m: (m.period_end, m.pk))
    return latest.realised_hours_per_year
