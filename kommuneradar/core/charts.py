"""One way to render a chart: declare it with Altair, render it to SVG on the server.

Every chart is shown with a data table beside it (the template's job); the SVG gets
a role and an accessible name so screen readers announce it as a figure.
"""

from __future__ import annotations

import re
from typing import Any

import altair as alt
import vl_convert as vlc
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = "system-ui, sans-serif"
PALETTE = ["#004b87", "#c75000", "#0b6e4f", "#6b3fa0", "#8a5a00", "#4a4a4a"]


def themed(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The house look: readable fonts, our palette, no chart border."""
    configured: alt.TopLevelMixin = (
        chart.configure(font=FONT)
        .configure_view(strokeWidth=0)
        .configure_axis(labelFontSize=12, titleFontSize=12, labelColor="#1a1a1a")
        .configure_legend(labelFontSize=12, titleFontSize=12)
        .configure_range(category=PALETTE)
    )
    return configured


def render_svg(chart: alt.TopLevelMixin, title: str) -> SafeString:
    """Render a chart to inline SVG, labelled with `title` for assistive technology."""
    spec: dict[str, Any] = themed(chart).to_dict()
    svg = vlc.vegalite_to_svg(spec)
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    label = escape(title)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    return mark_safe(svg)  # noqa: S308 - produced by vl-convert from our own spec
