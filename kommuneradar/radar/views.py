from __future__ import annotations

from typing import Any

import altair as alt
from django.contrib import messages
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kommuneradar.accounts.access import CHANGE, AuthenticatedHttpRequest, get_or_refuse, login_only
from kommuneradar.catalog.models import Domain, Quadrant, Technology
from kommuneradar.core.charts import render_svg
from kommuneradar.surveys.models import Dimension, Round
from kommuneradar.surveys.services import RoundError

from . import presentation, services
from .editions import published_edition
from .forms import CorrectionForm, OverrideForm
from .models import ALL_DOMAINS, Blip, Edition, Ring, RingOverride


def _published_years(scope: str) -> list[int]:
    return list(
        Edition.objects.filter(scope=scope, status=Edition.Status.PUBLISHED)
        .values_list("round__year", flat=True)
        .distinct()
        .order_by("-round__year")
    )


def home(request: HttpRequest) -> HttpResponse:
    latest = (
        Edition.objects.filter(scope=ALL_DOMAINS, status=Edition.Status.PUBLISHED)
        .aggregate(year=Max("round__year"))
        .get("year")
    )
    if latest is None:
        return render(request, "radar/empty.html", status=200)
    return radar_page(request, latest, ALL_DOMAINS)


def radar_page(request: HttpRequest, year: int, scope: str = ALL_DOMAINS) -> HttpResponse:
    edition = published_edition(year, scope)
    if edition is None:
        raise Http404(_("No radar has been published for this year and domain."))
    blips = presentation.edition_blips(edition)
    result, drawn = presentation.draw(blips)
    quadrants = list(Quadrant.objects.all())
    sort = request.GET.get("sort", "number")
    if sort not in presentation.SORT_KEYS:
        sort = "number"
    descending = request.GET.get("dir") == "desc"
    suppressed = edition.blips.filter(suppressed=True).count()
    context: dict[str, Any] = {
        "edition": edition,
        "layout": result,
        "drawn": drawn,
        "rows": presentation.sort_rows(drawn, sort, descending),
        "sort": sort,
        "descending": descending,
        "sort_columns": _sort_columns(sort, descending),
        "rings": presentation.ring_bands(result),
        "ring_choices": Ring.choices,
        "quadrant_labels": presentation.quadrant_labels(result, quadrants),
        "quadrants": quadrants,
        "domains": list(Domain.objects.all()),
        "years": _published_years(scope),
        "scope": scope,
        "suppressed": suppressed,
        "overrides": [d for d in drawn if d.blip.override_ring],
        "dimensions": list(Dimension.choices),
        "stage_columns": presentation.stage_columns(),
        "pipeline_rows": presentation.pipeline_rows(drawn, edition),
    }
    return render(request, "radar/radar.html", context)


def _sort_columns(current: str, descending: bool) -> list[dict[str, Any]]:
    columns = [
        ("number", _("No."), True),
        ("name", _("Technology"), False),
        ("quadrant", _("Family"), False),
        ("ring", _("Ring"), False),
        ("diffusion", _("Diffusion"), True),
        ("maturity", _("Maturity"), True),
        ("score", _("Score"), True),
        ("movement", _("Movement"), False),
    ]
    result = []
    for key, label, numeric in columns:
        active = key == current
        result.append(
            {
                "key": key,
                "label": label,
                "numeric": numeric,
                "active": active,
                "aria_sort": ("descending" if descending else "ascending") if active else "",
                "next_dir": "asc" if active and descending else ("desc" if active else "asc"),
            }
        )
    return result


def technology_page(request: HttpRequest, slug: str) -> HttpResponse:
    technology = get_object_or_404(
        Technology.objects.select_related("quadrant").prefetch_related("domains"), slug=slug
    )
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
    flow = presentation.technology_pipeline(technology.pk, list(Domain.objects.all()))
    context: dict[str, Any] = {
        "technology": technology,
        "latest_year": latest_year,
        "current": current,
        "domain_rows": domain_rows,
        "history": [b for b in overall if not b.suppressed],
        "history_chart": _history_chart(technology, [b for b in overall if not b.suppressed]),
        "dimensions": list(Dimension.choices),
        "value_cells": presentation.value_cells(current.value_profile) if current else [],
        "pipeline": flow,
        "pipeline_chart": _pipeline_chart(technology, flow),
        "stage_columns": presentation.stage_columns(),
    }
    return render(request, "radar/technology.html", context)


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


# Review and publication


@login_only
def publication(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    round_ = get_or_refuse(Round.objects, request.user, CHANGE, year=year)
    override_form = OverrideForm(initial={"scope": ALL_DOMAINS})
    correction_form = CorrectionForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "compute":
                services.compute_drafts(round_, request.user)
                messages.success(request, _("Draft placements computed for review."))
                return redirect("radar:publication", year=year)
            if action == "override":
                override_form = OverrideForm(request.POST)
                if override_form.is_valid():
                    data = override_form.cleaned_data
                    services.set_override(
                        round_,
                        data["scope"],
                        data["technology"],
                        data["ring"],
                        data["reason"],
                        request.user,
                    )
                    messages.success(request, _("Override saved; compute again to see it."))
                    return redirect("radar:publication", year=year)
                status = 400
            elif action == "publish":
                correction_form = CorrectionForm(request.POST)
                note = request.POST.get("change_note", "")
                if round_.status == Round.Status.PUBLISHED and not correction_form.is_valid():
                    status = 400
                else:
                    services.publish_round(round_, request.user, note)
                    messages.success(request, _("The round's editions are published."))
                    return redirect("radar:publication", year=year)
        except RoundError as exc:
            messages.error(request, str(exc))
            return redirect("radar:publication", year=year)
    draft = (
        Edition.objects.filter(round=round_, scope=ALL_DOMAINS)
        .order_by("-revision")
        .select_related("round")
        .first()
    )
    blips = (
        draft.blips.select_related("technology").order_by(
            "quadrant_position", "technology__name_da"
        )
        if draft
        else []
    )
    editions = (
        Edition.objects.filter(round=round_).select_related("domain").order_by("scope", "-revision")
    )
    overrides = RingOverride.objects.filter(round=round_).select_related("technology")
    context = {
        "round": round_,
        "draft": draft,
        "blips": blips,
        "editions": editions,
        "overrides": overrides,
        "override_form": override_form,
        "correction_form": correction_form,
    }
    return render(request, "radar/publication.html", context, status=status)
