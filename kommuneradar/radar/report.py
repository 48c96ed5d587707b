"""The edition report: a published round's radar as a tagged PDF, rendered on the server by
WeasyPrint from one HTML template (`radar/report.html`) and one stylesheet
(`static/radar/report.css`).

Contents: a cover (with the analysts' introduction and the named contact), the
highlights, the radar of every domain (the same SVG as the radar page), the table of all
domains, a page per technology (ring per domain, diffusion, value, reason, cases) and the
method. The PDF is tagged for screen readers (PDF/UA-1 where WeasyPrint supports it),
says it is Danish (or English) and carries its title.

Nothing is fetched over the network while rendering: the only URLs WeasyPrint may open
are the site's own static files, read from disk (`StaticOnly`); fonts are the system's
(DejaVu Sans from Debian's fonts-dejavu-core)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kommuneradar.catalog.models import Domain
from kommuneradar.core import published

from . import narrative, presentation
from .models import ALL_DOMAINS, Blip, Edition, Ring
from .presentation import PublishedRadar

STYLESHEET = "radar/report.css"
# The variant WeasyPrint writes: PDF/UA-1 (tagged, with title and language) where it can.
PDF_VARIANT = "pdf/ua-1"


class ReportUnavailable(Exception):
    """The report cannot be rendered here (WeasyPrint or its Pango library is missing)."""


def load_weasyprint() -> Any:
    """WeasyPrint, which needs Debian's Pango (libpango-1.0-0, libpangoft2-1.0-0) when it
    is imported: imported here, not at the top, so that the site runs without Pango and only
    the report says it is unavailable."""
    try:
        import weasyprint
    except OSError as exc:  # Pango's shared libraries are missing
        raise ReportUnavailable(
            _("The PDF report cannot be made on this server: the Pango library is missing.")
        ) from exc
    return weasyprint


def static_only(weasyprint: Any) -> Any:
    """A URL fetcher that opens the site's own static files from disk and nothing else."""

    class StaticOnly(weasyprint.urls.URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            marker = "/static/"
            if marker not in url:
                raise ValueError(f"the report fetches no {url}")
            name = url.split(marker, 1)[1].split("?", 1)[0].split("#", 1)[0]
            found = finders.find(name)
            if not found or ".." in name:
                raise ValueError(f"no static file {name}")
            path = Path(str(found))
            return weasyprint.urls.URLFetcherResponse(url, path.read_bytes())

    return StaticOnly()


def _domain_rows(year: int) -> dict[int, list[tuple[Domain, Blip]]]:
    """Every technology's blip in the latest published revision of each domain's radar of
    `year`, by technology id, in the domains' order (two queries)."""
    latest: dict[str, int] = {}
    for scope, pk in (
        Edition.objects.filter(round__year=year, status=Edition.Status.PUBLISHED)
        .exclude(scope=ALL_DOMAINS)
        .order_by("scope", "-revision")
        .values_list("scope", "pk")
    ):
        latest.setdefault(scope, pk)
    rows: dict[int, list[tuple[Domain, Blip]]] = {}
    blips = (
        Blip.objects.filter(edition_id__in=latest.values())
        .select_related("edition__domain", "edition__round")
        .order_by("edition__domain__order", "edition__scope")
    )
    for blip in blips:
        domain = blip.edition.domain
        if domain is not None:
            rows.setdefault(blip.technology_id, []).append((domain, blip))
    return rows


def _radar_context(radar: PublishedRadar) -> dict[str, Any]:
    return {**radar.context(), "ring_choices": Ring.choices}


def report_context(year: int) -> dict[str, Any]:
    """Everything the report shows, from the published editions of `year`."""
    overall = presentation.published_radar(year, ALL_DOMAINS)
    if overall is None:
        raise ValueError(f"no published radar for {year}")
    edition = overall.edition
    domain_radars = [
        radar
        for domain in Domain.objects.all()
        if (radar := presentation.published_radar(year, domain.slug)) is not None
    ]
    reasons = narrative.latest_reasons(edition.round_id, ALL_DOMAINS)
    domain_reasons: dict[tuple[str, int], Any] = {}
    for radar in domain_radars:
        for technology_id, reason in narrative.latest_reasons(
            edition.round_id, radar.scope
        ).items():
            domain_reasons[(radar.scope, technology_id)] = reason
    by_domain = _domain_rows(year)
    technologies = [
        {
            "item": item,
            "reason": reasons.get(item.blip.technology_id),
            "domains": [
                (domain, blip, domain_reasons.get((domain.slug, blip.technology_id)))
                for domain, blip in by_domain.get(item.blip.technology_id, [])
            ],
        }
        for item in sorted(overall.drawn, key=lambda d: d.number)
    ]
    blips = list(edition.blips.select_related("technology").order_by("technology__name_da"))
    return {
        "edition": edition,
        "year": year,
        "overall": _radar_context(overall),
        "domain_radars": [(r.edition.domain, _radar_context(r)) for r in domain_radars],
        "rows": overall.drawn,
        "quadrants": overall.quadrants,
        "technologies": technologies,
        "story": narrative.latest_story(edition.round_id, ALL_DOMAINS),
        "highlights": narrative.edition_highlights(edition, [d.blip for d in overall.drawn]),
        "method": narrative.method(edition, blips),
        "language": get_language() or "da",
    }


SVG_STYLESHEET = "radar/report-svg.css"
_SVG_OPENING = re.compile(r'(<svg class="radar"[^>]*>)')


def render_html(year: int) -> str:
    """The report's HTML. WeasyPrint styles an SVG only from a stylesheet inside it, so
    each radar (the radar page's own SVG) gets the drawing's styles, and its title a
    unique id."""
    html = str(render_to_string("radar/report.html", report_context(year)))
    styles = Path(str(finders.find(SVG_STYLESHEET))).read_text(encoding="utf-8")
    html = _SVG_OPENING.sub(lambda m: f"{m.group(1)}<style>{styles}</style>", html)
    count = iter(range(10_000))
    return re.sub(r"radar-svg-title", lambda _m: f"radar-svg-title-{next(count) // 2}", html)


def render_pdf(year: int) -> bytes:
    """The report of the published round `year` as PDF bytes."""
    weasyprint = load_weasyprint()
    html = render_html(year)
    fetcher = static_only(weasyprint)
    stylesheet = Path(str(finders.find(STYLESHEET))).read_text(encoding="utf-8")
    document = weasyprint.HTML(string=html, base_url="file:///static/", url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(
        stylesheets=[weasyprint.CSS(string=stylesheet, url_fetcher=fetcher)],
        pdf_variant=PDF_VARIANT,
        pdf_tags=True,
    )
    return pdf


def cached_pdf(year: int) -> bytes:
    """The report of `year` in the current language, rendered once per published-data
    version (a publication or a correction gives a new one)."""
    return published.cached("report", (year,), lambda: render_pdf(year), daily=False)
