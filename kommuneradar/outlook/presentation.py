"""Turn the outlook's results into rows with labels in the visitor's language, and draw
the fan chart."""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.core.charts import render_svg
from kommuneradar.radar.models import Ring
from kommuneradar.surveys.models import Stage

from . import projection as pj
from . import services


def stage_label(stage: str) -> str:
    return str(Stage(stage).label)


def ring_label(ring: str) -> str:
    return str(Ring(ring).label) if ring else ""


@dataclass(frozen=True)
class RingYear:
    ring: str
    label: str
    year: int


@dataclass(frozen=True)
class TechnologyRow:
    """A technology's outlook with its catalogue entry, under the baseline and (when one is
    asked for) a scenario."""

    technology: Technology
    baseline: services.TechnologyOutlook
    scenario: services.TechnologyOutlook | None

    @property
    def ring_label(self) -> str:
        return ring_label(self.baseline.facts.ring)

    @property
    def ring_years(self) -> list[RingYear]:
        return [
            RingYear(ring, ring_label(ring), year)
            for ring, year in sorted(self.baseline.ring_years.items(), key=lambda item: item[1])
        ]


@dataclass(frozen=True)
class DomainRow:
    domain: Domain
    technology: Technology
    outlook: services.DomainOutlook


@dataclass(frozen=True)
class DomainTotal:
    domain: Domain
    total: services.Total


def technology_rows(
    baseline: services.Result,
    scenario: services.Result | None,
    technologies: dict[int, Technology],
) -> list[TechnologyRow]:
    alternative = (
        {row.technology_id: row for row in scenario.technologies} if scenario is not None else {}
    )
    return [
        TechnologyRow(technologies[row.technology_id], row, alternative.get(row.technology_id))
        for row in baseline.technologies
        if row.technology_id in technologies
    ]


def domain_rows(
    result: services.Result, technologies: dict[int, Technology], domains: dict[int, Domain]
) -> list[DomainRow]:
    rows = [
        DomainRow(domains[row.domain_id], technologies[row.technology_id], row)
        for row in result.domains
        if row.domain_id in domains and row.technology_id in technologies
    ]
    rows.sort(
        key=lambda row: (
            row.domain.order,
            -row.outlook.projection.horizon.diffusion.point,
            row.technology.name,
        )
    )
    return rows


def domain_totals(result: services.Result, domains: dict[int, Domain]) -> list[DomainTotal]:
    rows = [
        DomainTotal(domains[domain_id], total)
        for domain_id, total in result.domain_totals.items()
        if domain_id in domains
    ]
    rows.sort(key=lambda row: row.domain.order)
    return rows


def fan_chart(
    key: str,
    technology: Technology,
    history: list[tuple[int, float]],
    projection: pj.Projection,
    scenario: pj.Projection | None = None,
) -> SafeString:
    """Diffusion over the survey years and projected to the horizon, with the 80% band
    (cached per data state, technology, scenario and language)."""
    name = f"outlook:fan:{key}:{technology.pk}:{get_language()}"
    found = cache.get(name)
    if isinstance(found, str):
        return mark_safe(found)  # noqa: S308 - our own SVG, cached
    observed_label = _("Observed")
    projected_label = _("Projected")
    scenario_label = _("Scenario")
    values = [
        {"year": year, "share": round(share * 100, 1), "series": observed_label}
        for year, share in history
    ]
    band_values = []
    for series, projected in ((projected_label, projection), (scenario_label, scenario)):
        if projected is None:
            continue
        for year in projected.years:
            values.append(
                {"year": year.year, "share": round(year.diffusion.point * 100, 1), "series": series}
            )
            if series == projected_label:
                band_values.append(
                    {
                        "year": year.year,
                        "low": round(year.diffusion.low * 100, 1),
                        "high": round(year.diffusion.high * 100, 1),
                    }
                )
    year_axis = alt.X(
        "year:O", title=_("Year"), axis=alt.Axis(labelAngle=0), scale=alt.Scale(paddingInner=0)
    )
    share_axis = alt.Y(
        "share:Q",
        title=_("Diffusion (percent of municipalities)"),
        scale=alt.Scale(domain=[0, 100]),
    )
    order = [observed_label, projected_label] + ([scenario_label] if scenario else [])
    band = (
        alt.Chart(alt.Data(values=band_values))
        .mark_area(opacity=0.25, color="#004b87")
        .encode(x=year_axis, y=alt.Y("low:Q", scale=alt.Scale(domain=[0, 100])), y2="high:Q")
    )
    lines = (
        alt.Chart(alt.Data(values=values))
        .mark_line(point=alt.OverlayMarkDef(size=40, filled=True))
        .encode(
            x=year_axis,
            y=share_axis,
            color=alt.Color(
                "series:N",
                title=None,
                sort=order,
                scale=alt.Scale(
                    domain=order, range=["#1a1a1a", "#004b87", "#c75000"][: len(order)]
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                sort=order,
                scale=alt.Scale(domain=order, range=[[1, 0], [6, 3], [2, 2]][: len(order)]),
                legend=None,
            ),
        )
    )
    chart = (band + lines).properties(width=360, height=220)
    title = _("%(name)s: diffusion to %(year)s (80%% band)") % {
        "name": technology.name,
        "year": projection.horizon.year,
    }
    source = _(
        "Source: Kommuneradar's survey of the municipalities; projection from the moves between "
        "survey rounds; n = %(respondents)s responding municipalities in %(year)s."
    ) % {"respondents": projection.respondents, "year": projection.today.year}
    svg = render_svg(chart, title, source)
    cache.set(name, str(svg), services.CACHE_SECONDS)
    return svg
