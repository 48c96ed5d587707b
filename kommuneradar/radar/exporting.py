"""Stored editions as plain data for the pure writers in `exports`, and the one function
a view or the API calls: `export_edition(edition, fmt) -> (bytes, content_type, filename)`.

Exports are written in Danish whatever the visitor's language, so a tool configured
with the ring and quadrant names keeps matching them."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kommuneradar.catalog.models import Quadrant
from kommuneradar.core.downloads import CONTENT_TYPES
from kommuneradar.core.tabular import Field
from kommuneradar.surveys import vocabulary as v

from . import exports as x
from . import placement as p
from .models import ALL_DOMAINS, Blip, Edition, EditorialEdition, EditorialEntry, Ring

RING_COLOURS = {
    p.KLAR: "#0b6e4f",
    p.AFPROEV: "#1f5fa6",
    p.HOLD_OEJE: "#8a5a00",
    p.AFVENT: "#6b6b6b",
}
QUADRANT_COLOURS = ("#0b6e4f", "#1f5fa6", "#8a5a00", "#6b3fa0")

TABLE_FIELDS: tuple[Field, ...] = (
    Field("year", "år"),
    Field("scope", "fagområde"),
    Field("technology", "teknologi kode"),
    Field("name", "teknologi"),
    Field("quadrant", "familie"),
    Field("ring", "ring"),
    Field("computed_ring", "beregnet ring"),
    Field("override_reason", "begrundelse for ændret ring"),
    Field("uncertain", "usikker placering"),
    Field("movement", "bevægelse"),
    Field("users", "kommuner der bruger den"),
    Field("respondents", "svarende kommuner"),
    Field("diffusion", "udbredelse andel"),
    Field("diffusion_low", "udbredelse nedre 95 %"),
    Field("diffusion_high", "udbredelse øvre 95 %"),
    Field("rating", "modenhed vurdering 1-9"),
    Field("rating_year", "modenhed vurderet år"),
    Field("maturity", "modenhed 0-1"),
    Field("score", "placeringsscore 0-1"),
    *(
        Field(f"{dimension}_{part}", f"{dimension} {heading}")
        for dimension in v.DIMENSIONS
        for part, heading in (
            ("experienced", "oplevet"),
            ("experienced_of", "oplevet af svarende"),
            ("expected", "forventet"),
            ("expected_of", "forventet af svarende"),
        )
    ),
)

Edition_ = Edition | EditorialEdition


def edition_date(edition: Edition) -> datetime.date:
    """A survey edition's date in the other tools: the day its round closed."""
    return edition.round.closes_on


def _rings() -> tuple[x.RingSpec, ...]:
    with translation.override("da"):
        return tuple(
            x.RingSpec(code, str(Ring(code).label), RING_COLOURS[code]) for code in p.RINGS
        )


def _quadrants() -> tuple[x.QuadrantSpec, ...]:
    return tuple(
        x.QuadrantSpec(q.position, q.slug, q.name_da, color=QUADRANT_COLOURS[q.position % 4])
        for q in Quadrant.objects.all()
    )


def _note(blip: Blip) -> str:
    with translation.override("da"):
        note = _(
            "Diffusion %(share)s %% (%(users)s of %(respondents)s responding municipalities), "
            "maturity %(rating)s/9, score %(score)s."
        ) % {
            "share": round(blip.diffusion * 100),
            "users": blip.users,
            "respondents": blip.respondents,
            "rating": blip.rating,
            "score": f"{blip.score or 0:.2f}".replace(".", ","),
        }
        if blip.override_ring:
            note += " " + _("Ring set by an analyst (computed: %(ring)s): %(reason)s") % {
                "ring": blip.computed_ring_label,
                "reason": blip.override_reason,
            }
    return note


def _numbers(edition: Edition, blip: Blip) -> dict[str, Any]:
    record: dict[str, Any] = {
        "year": edition.round.year,
        "scope": edition.scope,
        "technology": blip.technology.slug,
        "name": blip.technology.name_da,
        "quadrant": blip.quadrant_position,
        "ring": blip.ring,
        "computed_ring": blip.computed_ring,
        "override_reason": blip.override_reason,
        "uncertain": blip.uncertain,
        "movement": blip.movement,
        "users": blip.users,
        "respondents": blip.respondents,
        "diffusion": blip.diffusion,
        "diffusion_low": blip.diffusion_low,
        "diffusion_high": blip.diffusion_high,
        "rating": blip.rating,
        "rating_year": blip.rating_year,
        "maturity": blip.maturity,
        "score": blip.score,
    }
    for dimension in v.DIMENSIONS:
        share = blip.value_profile.get(dimension, {})
        for part in ("experienced", "experienced_of", "expected", "expected_of"):
            record[f"{dimension}_{part}"] = share.get(part)
    return record


def _entry(edition: Edition, blip: Blip, base_url: str) -> x.Entry:
    technology = blip.technology
    url = base_url.rstrip("/") + reverse("radar:technology", kwargs={"slug": technology.slug})
    return x.Entry(
        key=technology.slug,
        name=technology.name_da,
        quadrant=blip.quadrant_position,
        ring=blip.ring,
        movement=blip.movement,
        description=x.sanitize(f"<p>{x.escape_text(technology.description_da)}</p>"),
        note=_note(blip),
        links=(x.Link(url, technology.name_da),),
        tags=tuple(d.slug for d in technology.domains.all()),
        numbers=_numbers(edition, blip),
    )


def _placed(edition: Edition) -> list[Blip]:
    return list(
        edition.blips.filter(suppressed=False)
        .select_related("technology")
        .prefetch_related("technology__domains")
    )


def survey_radar(edition: Edition, base_url: str = "") -> x.RadarData:
    """A survey edition (its placed technologies) with the latest published revision of
    every earlier year of the same scope as history."""
    earlier: dict[int, Edition] = {}
    for older in (
        Edition.objects.filter(
            scope=edition.scope,
            status=Edition.Status.PUBLISHED,
            round__year__lt=edition.round.year,
        )
        .select_related("round")
        .order_by("round__year", "-revision")
    ):
        earlier.setdefault(older.round.year, older)
    history = tuple(
        x.Snapshot(edition_date(older), tuple(_entry(older, b, base_url) for b in _placed(older)))
        for _year, older in sorted(earlier.items())
    )
    scope_name = edition.domain.name_da if edition.domain else "alle fagområder"
    return x.RadarData(
        title=f"Kommuneradar {edition.round.year}, {scope_name}",
        date=edition_date(edition),
        rings=_rings(),
        quadrants=_quadrants(),
        entries=tuple(_entry(edition, b, base_url) for b in _placed(edition)),
        history=history,
        table_fields=TABLE_FIELDS,
    )


def survey_settings(edition: Edition) -> dict[str, str]:
    """BYOR's RINGS and QUADRANTS for a survey edition's files (no entries needed)."""
    return x.byor_settings(x.RadarData("", edition_date(edition), _rings(), _quadrants(), ()))


def _editorial_entry(entry: EditorialEntry) -> x.Entry:
    return x.Entry(
        key=entry.key,
        name=entry.name,
        quadrant=entry.quadrant_position,
        ring=entry.ring,
        movement=entry.movement,
        description=entry.description,
        note=entry.note,
        links=tuple(x.Link(link["url"], link["title"]) for link in entry.links),
    )


def editorial_radar(edition: EditorialEdition) -> x.RadarData:
    """An editorial edition with the radar's earlier editions as history."""
    radar = edition.radar
    editions = list(radar.editions.filter(date__lte=edition.date).prefetch_related("entries"))
    snapshots = {
        e.date: tuple(_editorial_entry(entry) for entry in e.entries.all()) for e in editions
    }
    return x.RadarData(
        title=radar.name,
        date=edition.date,
        rings=tuple(
            x.RingSpec(r["code"], r["name"], r.get("color", ""), r.get("description", ""))
            for r in radar.rings
        ),
        quadrants=tuple(
            x.QuadrantSpec(q["position"], q["slug"], q["name"], color=QUADRANT_COLOURS[i % 4])
            for i, q in enumerate(radar.quadrants)
        ),
        entries=snapshots[edition.date],
        history=tuple(
            x.Snapshot(date, entries)
            for date, entries in sorted(snapshots.items())
            if date < edition.date
        ),
        editorial=True,
    )


def radar_data(edition: Edition_, base_url: str = "") -> x.RadarData:
    if isinstance(edition, EditorialEdition):
        return editorial_radar(edition)
    return survey_radar(edition, base_url)


def filename(edition: Edition_, fmt: x.Format) -> str:
    if isinstance(edition, EditorialEdition):
        stem = f"redaktionel-radar-{edition.radar.pk}-{edition.date.isoformat()}"
    else:
        stem = f"kommuneradar-{edition.round.year}-{edition.scope or ALL_DOMAINS}"
    suffix = "" if fmt.code == fmt.extension else f"-{fmt.code}"
    return f"{stem}{suffix}.{fmt.extension}"


def export_edition(edition: Edition_, fmt: str, base_url: str = "") -> tuple[bytes, str, str]:
    """An edition as a file: (content, content type, file name). Raises ExportError
    (with the reason) for an unknown format or an entry that cannot be mapped. Links to
    technology pages are relative unless `base_url` (e.g. https://host) is given."""
    chosen = x.format_of(fmt)
    if chosen.survey_only and isinstance(edition, EditorialEdition):
        raise x.ExportError("an editorial radar has no numbers: its rings were set by hand")
    data = radar_data(edition, base_url)
    content = x.render(data, chosen.code, sheet_title="radar")
    return content, CONTENT_TYPES[chosen.extension], filename(edition, chosen)


FORMATS = x.FORMATS
