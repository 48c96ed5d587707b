"""Case text is Markdown written by editors: render it, then keep only safe HTML."""

from __future__ import annotations

import re

import markdown  # type: ignore[import-untyped]
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "h3", "h4", "ul", "ol", "li", "strong", "em", "a",
    "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}


_HEADING = re.compile(r"<(/?)h([1-6])\b")
# The page owns h1 and h2; headings in the text start at h3.
_SHIFTED = {"1": "3", "2": "3", "3": "4", "4": "4", "5": "4", "6": "4"}


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML without scripts, event handlers, styles or javascript: links."""
    html = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    html = _HEADING.sub(lambda m: f"<{m.group(1)}h{_SHIFTED[m.group(2)]}", html)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has removed everything unsafe
