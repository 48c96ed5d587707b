"""The pipeline's chart, declared with Altair and rendered by core.charts.render_svg; the
process page shows the same numbers in a table beside it."""

from __future__ import annotations

import altair as alt
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kommuneradar.core.charts import render_svg

from .services import MeasurementRow


def realised_chart(
    process_title: str, rows: list[MeasurementRow], expected_hours: float
) -> SafeString | str:
    """Realised hours per year at each measurement (by period end) against the expected
    hours per year."""
    if not rows:
        return ""
    expected_label = _("Expected (potential)")
    realised_label = _("Realised (measurement)")
    values = []
    for row in rows:
        day = row.measurement.period_end.isoformat()
        values.append({"date": day, "hours": round(expected_hours, 1), "series": expected_label})
        values.append(
            {"date": day, "hours": round(float(row.realised_per_year), 1), "series": realised_label}
        )
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_line(point=alt.OverlayMarkDef(size=60, filled=True))
        .encode(
            x=alt.X(
                "date:T",
                title=_("End of the measured period"),
                axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount="month"),
            ),
            y=alt.Y("hours:Q", title=_("Hours freed per year")),
            color=alt.Color(
                "series:N", title=None, legend=alt.Legend(orient="bottom", direction="vertical")
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                legend=None,
                scale=alt.Scale(domain=[expected_label, realised_label], range=[[6, 4], [1, 0]]),
            ),
            shape=alt.Shape("series:N", legend=None),
        )
        .properties(width=420, height=220)
    )
    title = _("Expected and realised hours freed per year for %(title)s") % {"title": process_title}
    source = _(
        "Source: the process's measurements in Kommuneradar's automation pipeline, "
        "%(first)s–%(last)s; n = %(count)s measurements."
    ) % {
        "first": rows[0].measurement.period_end.year,
        "last": rows[-1].measurement.period_end.year,
        "count": len(rows),
    }
    return render_svg(chart, title, source)
