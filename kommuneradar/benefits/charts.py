"""The benefits charts, declared with Altair and rendered by core.charts.render_svg.
Every chart is shown beside a table with the same numbers."""

from __future__ import annotations

import altair as alt
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kommuneradar.core.charts import render_svg
from kommuneradar.core.templatetags.kr import num

from . import finance
from .gap import GroupTotal
from .services import TimelinePoint


def timeline_chart(project_title: str, points: list[TimelinePoint]) -> SafeString | str:
    """Realised FTE freed per year at each follow-up against the business case's expectation."""
    if not points:
        return ""
    fte_axis_title = _("FTE freed per year (%(hours)s hours each)") % {
        "hours": num(finance.HOURS_PER_FTE)
    }
    expected_label = _("Expected (business case)")
    realised_label = _("Realised (follow-up)")
    values = []
    for point in points:
        day = point.measured_on.isoformat()
        values.append({"date": day, "fte": round(point.expected_fte, 2), "series": expected_label})
        values.append({"date": day, "fte": round(point.realised_fte, 2), "series": realised_label})
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_line(point=alt.OverlayMarkDef(size=60, filled=True))
        .encode(
            x=alt.X(
                "date:T",
                title=_("Follow-up date"),
                axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount="month"),
            ),
            y=alt.Y("fte:Q", title=fte_axis_title),
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
    title = _("Expected and realised FTE freed per year for %(title)s") % {"title": project_title}
    source = _(
        "Source: the project's business case and follow-ups in Kommuneradar, %(first)s–%(last)s; "
        "n = %(count)s follow-ups."
    ) % {
        "first": points[0].measured_on.year,
        "last": points[-1].measured_on.year,
        "count": len(points),
    }
    return render_svg(chart, title, source)


def groups_chart(rows: list[GroupTotal], group_title: str, year: int) -> SafeString | str:
    """Expected and realised FTE freed per year for each group, as paired bars."""
    if not rows:
        return ""
    expected_label = _("Expected")
    realised_label = _("Realised")
    values = []
    for row in rows:
        values.append(
            {"group": row.label, "fte": round(row.expected_fte, 1), "kind": expected_label}
        )
        values.append(
            {"group": row.label, "fte": round(row.realised_fte, 1), "kind": realised_label}
        )
    base = alt.Chart(alt.Data(values=values)).encode(
        y=alt.Y("group:N", title=group_title, sort=None),
        yOffset=alt.YOffset("kind:N", sort=[expected_label, realised_label]),
        x=alt.X("fte:Q", title=_("FTE freed per year")),
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "kind:N",
            title=None,
            sort=[expected_label, realised_label],
            legend=alt.Legend(orient="bottom", direction="vertical"),
        )
    )
    # The series name beside each bar, so colour is not the only way to tell them apart.
    labels = base.mark_text(align="left", dx=3, fontSize=10).encode(text="kind:N")
    chart = (bars + labels).properties(width=380)
    title = _("Expected and realised FTE freed per year by %(group)s") % {
        "group": group_title.lower()
    }
    source = _(
        "Source: published implementation projects in Kommuneradar, %(year)s; "
        "n = %(projects)s projects, %(measured)s of them measured."
    ) % {
        "year": year,
        "projects": sum(row.projects for row in rows),
        "measured": sum(row.measured_projects for row in rows),
    }
    return render_svg(chart, title, source)
