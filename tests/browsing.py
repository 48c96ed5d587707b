"""What every browser test checks: axe (WCAG 2.1 AA) and no sideways scrolling."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def axe_violations(page: Any) -> list[str]:
    """The page's WCAG 2.1 A/AA violations, one readable line each."""
    result = Axe().run(page, options=WCAG_AA)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
        for v in result.response["violations"]
    ]


def sideways_overflow(page: Any) -> int:
    """How many pixels the page scrolls sideways (0 when it fits the viewport)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))
