"""The published figures and charts of a technology's page, computed once per published-data
version and language (`technology`), and computed ahead for every technology after a
publication (`radar.tasks.warm_pages`), so that the first reader does not wait for them."""

from __future__ import annotations

from typing import Any

import altair as alt
from django.utils.translation import gettext as _

from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.core import published
from kommuneradar.core.charts import render_svg

from . import presentation
from .models import ALL_DOMAINS, Blip


def technology(slug: str) -> dict[str, Any] | None:
    """The technology page's published figures and charts (None: no such technology)."""
    return published.cached("technology", (slug,), lambda: _technology(slug), daily=False)


def _technology(slug: str) -> dict[str, Any] | None:
    """What `technology` keeps in the cache."""
    technology = (
        Technology.objects.select_related("quadrant").prefetch_related("domains").filter(slug=slug)
    ).first()
    if technology is None:
        return None
    latest_by_scope = presentation.latest_blips(technology)
    years = sorted({year for year, _scope in latest_by_scope})
    latest_year = years[-1] if years else None
    overall = [
        latest_by_scope[(year, ALL_DOMAINS)]
        for year in years
        if (year, ALL_DOMAINS) in latest_by_scope
    ]
    domain_rows = [
        blip
        for (year, scope), blip in sorted(latest_by_scope.items(), key=lambda i: i[0][1])
        if year == latest_year and scope != ALL_DOMAINS
    ]
    domain_order = {d.slug: d.order for d in technology.domains.all()}
    domain_rows.sort(key=lambda b: domain_order.get(b.edition.scope, 99))
    current = latest_by_scope.get((latest_year, ALL_DOMAINS)) if latest_year else None
    domains = list(Domain.objects.all())
    flow = presentation.technology_pipeline(technology.pk, domains)
    reasons = list(
        technology.ring_reasons.select_related("round").order_by(
            "-round__year", "scope", "-created_at", "-pk"
        )
    )
    return {
        "reasons": reasons,
        "current_reason": next(
            (
                r
                for r in reasons
                if latest_year is not None
                and r.round.year == latest_year
                and r.scope == ALL_DOMAINS
            ),
            None,
        ),
        "domain_names": {d.slug: d.name for d in domains},
        "technology": technology,
        "latest_year": latest_year,
        "current": current,
        "domain_rows": domain_rows,
        "history": [b for b in overall if not b.suppressed],
        "history_chart": _history_chart(technology, [b for b in overall if not b.suppressed]),
        "value_cells": presentation.value_cells(current.value_profile) if current else [],
        "pipeline": flow,
        "pipeline_chart": _pipeline_chart(technology, flow),
    }


def _history_chart(technology: Technology, history: list[Blip]) -> str:
    if len(history) < 2:
        return ""
    values = [
        {
            "year": str(b.edition.round.year),
            "share": round(b.diffusion * 100, 1),
            "low": round(b.diffusion_low * 100, 1),
            "high": round(b.diffusion_high * 100, 1),
        }
        for b in history
    ]
    year_axis = alt.X("year:O", title=_("Survey year"), axis=alt.Axis(labelAngle=0))
    share_axis = alt.Y(
        "share:Q",
        title=_("Diffusion (percent of responding municipalities)"),
        scale=alt.Scale(domain=[0, 100]),
    )
    base = alt.Chart(alt.Data(values=values))
    band = base.mark_area(opacity=0.25).encode(x=year_axis, y="low:Q", y2="high:Q")
    line = base.mark_line(point=alt.OverlayMarkDef(size=60, filled=True)).encode(
        x=year_axis, y=share_axis
    )
    chart = (band + line).properties(width=420, height=220)
    title = _("Diffusion of %(name)s over the survey years, with 95%% intervals") % {
        "name": technology.name
    }
    source = _(
        "Source: Kommuneradar's survey of the municipalities, %(first)s–%(last)s; "
        "n = %(respondents)s responding municipalities in %(last)s."
    ) % {
        "first": history[0].edition.round.year,
        "last": history[-1].edition.round.year,
        "respondents": history[-1].respondents,
    }
    return render_svg(chart, title, source)


def _pipeline_chart(technology: Technology, flow: presentation.TechnologyPipeline) -> str:
    """Municipalities at each stage per survey year (all domains), as stacked bars."""
    overall = [row for row in flow.history if row.domain is None]
    if not overall:
        return ""
    labels = dict(presentation.stage_columns())
    order = [labels[code] for code, _label in presentation.stage_columns()]
    values = [
        {"year": str(row.year), "stage": labels[code], "order": index, "count": count}
        for row in overall
        for index, (code, count) in enumerate(row.counts.cells)
        if count
    ]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            y=alt.Y("year:O", title=_("Survey year"), sort="descending"),
            x=alt.X("count:Q", title=_("Municipalities that answered"), stack="zero"),
            color=alt.Color(
                "stage:N",
                title=None,
                sort=order,
                scale=alt.Scale(domain=order, range=STAGE_COLOURS),
                legend=alt.Legend(orient="bottom", direction="vertical"),
            ),
            order=alt.Order("order:Q"),
        )
        .properties(width=380, height=max(60, 36 * len(overall)))
    )
    title = _("Municipalities at each stage of %(name)s per survey year, all domains") % {
        "name": technology.name
    }
    source = _(
        "Source: Kommuneradar's survey of the municipalities, %(first)s–%(last)s; "
        "n = %(respondents)s municipalities answered in %(last)s."
    ) % {
        "first": overall[-1].year,
        "last": overall[0].year,
        "respondents": overall[0].counts.respondents,
    }
    return render_svg(chart, title, source)


# One colour per stage in pipeline order: using in blues and green, trying in orange,
# no interest in greys, stopped in purple. The table beside the chart has the numbers.
STAGE_COLOURS = ["#004b87", "#0b6e4f", "#c75000", "#8a5a00", "#6f6f6f", "#a9a9a9", "#6b3fa0"]
