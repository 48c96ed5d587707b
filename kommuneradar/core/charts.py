"""One way to render a chart: declare it with Altair, render it to SVG on the server.

Every chart carries a title and a source line (what it counts, the year, the source and
the number of cases behind it), drawn on the chart itself, and is shown with a data table
beside it (the template's job). Dates and numbers on the axes follow the language shown
(Danish month names and separators in Danish). The SVG gets a role and an accessible name
so screen readers announce it as a figure.
"""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any, Literal

import altair as alt
import vl_convert as vlc
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .published import content_cached

FONT = "system-ui, sans-serif"
PALETTE = ["#004b87", "#c75000", "#0b6e4f", "#6b3fa0", "#8a5a00", "#4a4a4a"]
# Text is measured by vl-convert with its own fonts; the browser draws it with the
# visitor's system font, which may be wider. Room around the chart and a cap on axis label
# length keep the drawn labels inside the picture.
PADDING = {"left": 28, "right": 28, "top": 8, "bottom": 8}
LABEL_LIMIT = 220
Locale = Literal["da-DK", "en-GB"]
LOCALES: dict[str, Locale] = {"da": "da-DK", "en": "en-GB"}


def themed(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The house look: readable fonts, our palette, no chart border, labels that fit."""
    configured: alt.TopLevelMixin = (
        chart.configure(font=FONT, padding=PADDING)
        .configure_view(strokeWidth=0)
        .configure_axis(
            labelFontSize=12,
            titleFontSize=12,
            labelColor="#1a1a1a",
            titleColor="#1a1a1a",
            labelLimit=LABEL_LIMIT,
            labelPadding=4,
            titlePadding=8,
            labelOverlap=True,
        )
        .configure_legend(labelFontSize=12, titleFontSize=12, labelLimit=LABEL_LIMIT * 2)
        .configure_title(
            anchor="start",
            fontSize=14,
            subtitleFontSize=11,
            subtitleColor="#3d3d3d",
            color="#1a1a1a",
            subtitlePadding=4,
            offset=10,
        )
        .configure_range(category=PALETTE)
    )
    return configured


def _lines(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=False) or [text]


def titled(
    chart: alt.TopLevelMixin, title: str, source: str, characters: int | None = None
) -> alt.TopLevelMixin:
    """The chart with `title` above it and the source line under the title, each wrapped
    to the chart's width (or to `characters` a line) so nothing is cut off."""
    if characters is None:
        width = chart.to_dict().get("width")
        characters = max(36, int(width / 7)) if isinstance(width, int | float) else 60
    # "n = 12" stays on one line.
    source = re.sub(r"\bn = ", "n\u00a0=\u00a0", source)
    heading = alt.TitleParams(
        text=_lines(title, characters), subtitle=_lines(source, int(characters * 1.2))
    )
    result: alt.TopLevelMixin = chart.properties(title=heading)
    return result


def locale() -> Locale:
    """The d3 locale for the language shown: Danish months and separators in Danish."""
    return LOCALES.get((get_language() or "da")[:2], "da-DK")


# The phone layout: a narrower plot, fewer ticks, shorter and wrapped labels and titles, so
# the chart keeps its text size on a 375 px screen instead of shrinking (radar/static and
# charts.css show one variant or the other by a media query; both are in the page).
NARROW_WIDTH = 170
NARROW_LABEL_LIMIT = 110
NARROW_TICKS = 4
WRAP_AT = 16  # characters per line of a wrapped category label
NARROW_TITLE = 24  # characters per line of the title (the source line: a fifth more)


def _wrapped_label_expression(characters: int) -> str:
    """A Vega expression splitting a label into lines of about `characters` at spaces."""
    return f"split(trim(replace(datum.label, /(.{{1,{characters}}})(\\s+|$)/g, '$1\\n')), '\\n')"


def _narrow(spec: dict[str, Any]) -> dict[str, Any]:
    """The phone variant of a rendered spec: fewer ticks on quantitative and time axes,
    category labels wrapped onto several lines, long axis titles wrapped."""
    config = spec.setdefault("config", {})
    for kind in ("axisQuantitative", "axisTemporal"):
        config.setdefault(kind, {})["tickCount"] = NARROW_TICKS
    config.setdefault("axis", {})["labelLimit"] = NARROW_LABEL_LIMIT
    config.setdefault("legend", {})["labelLimit"] = NARROW_WIDTH

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            encoding = node.get("encoding")
            if isinstance(encoding, dict):
                for channel in ("x", "y"):
                    _narrow_channel(encoding.get(channel))
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(spec)
    return spec


def _narrow_channel(channel: Any) -> None:
    if not isinstance(channel, dict):
        return
    axis = channel.get("axis")
    if axis is None and "axis" in channel:
        return  # no axis drawn
    axis = dict(axis or {})
    kind = channel.get("type")
    if kind in ("nominal", "ordinal") and "labelExpr" not in axis:
        axis["labelExpr"] = _wrapped_label_expression(WRAP_AT)
    if kind in ("quantitative", "temporal") and isinstance(axis.get("tickCount"), int | float):
        axis["tickCount"] = min(int(axis["tickCount"]), NARROW_TICKS)
    title = channel.get("title")
    if isinstance(title, str) and len(title) > 2 * WRAP_AT:
        channel["title"] = _lines(title, 2 * WRAP_AT)
    channel["axis"] = axis


def render_svg(chart: alt.TopLevelMixin, title: str, source: str) -> SafeString:
    """Render a chart to inline SVG with its title and source line drawn on it, labelled
    with `title` for assistive technology: twice, as laid out for a wide screen and for a
    phone (charts.css shows one of them).

    vl-convert takes a tenth of a second or more, so a chart is rendered once per content
    (spec with title and source, and locale) and then read from the cache."""
    wide = _render(themed(titled(chart, title, source)).to_dict(), title, source)
    narrow_chart = chart.properties(width=NARROW_WIDTH)
    narrow_spec = _narrow(themed(titled(narrow_chart, title, source, NARROW_TITLE)).to_dict())
    narrow = _render(narrow_spec, title, source)
    return mark_safe(  # noqa: S308 - produced by vl-convert from our own spec
        f'<div class="chart-wide">{wide}</div><div class="chart-narrow">{narrow}</div>'
    )


def _render(spec: dict[str, Any], title: str, source: str) -> str:
    language = locale()
    content = json.dumps([spec, language], sort_keys=True, default=str)
    svg = content_cached("chart-svg", content, lambda: _vega_svg(spec, language))
    label = escape(f"{title}. {source}")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def _vega_svg(spec: dict[str, Any], language: Locale) -> str:
    svg = vlc.vegalite_to_svg(spec, format_locale=language, time_format_locale=language)
    return re.sub(r"^<\?xml[^>]*>\s*", "", svg)
