"""Turn a stored edition into what the radar page draws and lists."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Case, F, IntegerField, Max, QuerySet, Value, When

from kommuneradar.catalog.models import Domain, Quadrant, Technology
from kommuneradar.core import published
from kommuneradar.places.naming import url_code
from kommuneradar.surveys import vocabulary as v
from kommuneradar.surveys.models import Answer, Stage

from . import pipeline
from . import placement as p
from .editions import published_edition
from .geometry import DEFAULT_THRESHOLDS, BlipSpec, RadarLayout, layout
from .models import Blip, Edition, Ring

SORT_KEYS = ("number", "name", "quadrant", "ring", "diffusion", "maturity", "score", "movement")


# The blip as drawn (picture units; at the radar's usual width one unit is about one screen
# pixel). radar.css draws the same sizes: disc and halo strokes 1.5, numbers 12.5 px.
BLIP_RADIUS = 12.0
DISC_STROKE = 1.5
HALO_OFFSET = 3.0  # the "new" halo's radius beyond the disc
MARK_TIP = 5.0  # how far the movement mark's tip reaches beyond the disc
MARK_BASE = -3.0  # its base lies inside the disc, so mark and disc read as one shape
MARK_HALF_WIDTH = 5.5
# Three-digit numbers are fitted to this width (SVG textLength) inside their disc.
NUMBER_WIDTH = 2 * BLIP_RADIUS - 5
RING_LABEL_FONT = 11.0  # radar.css .ring-label
RADIUS = 400.0  # the full radar's radius before crowding widens it
QUADRANT_RADIUS = 320.0  # one quadrant's picture (the phone view)
MARGIN = 30.0
QUADRANT_PAD = 10.0


@dataclass
class DrawnBlip:
    number: int
    blip: Blip
    x: float
    y: float
    marker_points: str  # SVG polygon for the movement marker, "" when none

    @property
    def ring_index(self) -> int:
        return p.RINGS.index(self.blip.ring)

    @property
    def value_cells(self) -> list[ValueCell]:
        return value_cells(self.blip.value_profile)

    @property
    def halo_radius(self) -> float:
        return BLIP_RADIUS + HALO_OFFSET

    @property
    def text_length(self) -> str:
        """A width for numbers of three digits or more, so they fit their disc ("" else)."""
        return f"{NUMBER_WIDTH:.0f}" if self.number >= 100 else ""


@dataclass(frozen=True)
class ValueCell:
    """One dimension of a stored value profile, ready to show."""

    dimension: str
    share: p.ValueShare


def value_cells(profile: dict[str, dict[str, int]]) -> list[ValueCell]:
    """The stored profile (JSON) as cells in the order of the dimensions."""
    return [
        ValueCell(dimension, p.ValueShare(**profile[dimension]))
        for dimension in v.DIMENSIONS
        if dimension in profile
    ]


def _marker(x: float, y: float, outward: tuple[float, float], blip_radius: float, kind: str) -> str:
    """A small triangle on the blip's edge pointing towards (moved in) or away from the
    centre (moved out); its base lies inside the disc."""
    if kind not in (p.MOVED_IN, p.MOVED_OUT):
        return ""
    ux, uy = outward
    sign = -1.0 if kind == p.MOVED_IN else 1.0
    tip_distance = blip_radius + MARK_TIP
    base_distance = blip_radius + MARK_BASE
    tx, ty = x + sign * ux * tip_distance, y + sign * uy * tip_distance
    bx, by = x + sign * ux * base_distance, y + sign * uy * base_distance
    px, py = -uy * MARK_HALF_WIDTH, ux * MARK_HALF_WIDTH
    return f"{tx:.1f},{ty:.1f} {bx + px:.1f},{by + py:.1f} {bx - px:.1f},{by - py:.1f}"


def extent(movement: str) -> float:
    """How far a blip's drawing reaches beyond its disc: the disc's stroke, the "new" halo
    (with its stroke) or the movement mark's tip."""
    if movement == p.NEW:
        return HALO_OFFSET + DISC_STROKE / 2
    if movement in (p.MOVED_IN, p.MOVED_OUT):
        # The mark's tip lies on the centre line; its base corners are nearer the disc.
        corner = math.hypot(BLIP_RADIUS + MARK_BASE, MARK_HALF_WIDTH) - BLIP_RADIUS
        return max(MARK_TIP, corner, DISC_STROKE / 2)
    return DISC_STROKE / 2


def ring_label_width(label: str) -> float:
    """A generous estimate of a ring name's width as drawn (bold capitals at
    RING_LABEL_FONT, letter-spaced), with room either side."""
    em = sum(0.36 if ch == " " else 0.8 if ch in "MWÆ" else 0.72 for ch in label)
    return (em + 0.05 * len(label)) * RING_LABEL_FONT + 10


def thresholds(edition: Edition) -> tuple[float, float, float]:
    """The ring thresholds the edition was computed with."""
    rules = p.Rules()
    given = edition.rules or {}
    return (
        float(given.get("klar_from", rules.klar_from)),
        float(given.get("afproev_from", rules.afproev_from)),
        float(given.get("hold_oeje_from", rules.hold_oeje_from)),
    )


def _layout(
    specs: list[BlipSpec], radius: float, margin: float, limits: tuple[float, float, float]
) -> RadarLayout:
    """The layout of these blips, computed once per content (whatever the published-data
    version), since it depends on nothing else."""
    widths = tuple(ring_label_width(str(label)) for _code, label in Ring.choices)
    content = json.dumps(
        [[asdict(spec) for spec in specs], radius, margin, limits, widths, BLIP_RADIUS]
    )
    return published.content_cached(
        "radar-layout",
        content,
        lambda: layout(
            specs,
            radius=radius,
            blip_radius=BLIP_RADIUS,
            margin=margin,
            thresholds=limits,
            min_ring_widths=widths,
        ),
    )


def _numbered(blips: list[Blip]) -> list[Blip]:
    return sorted(
        blips, key=lambda b: (b.quadrant_position, p.RINGS.index(b.ring), b.technology.name)
    )


def _spec(blip: Blip) -> BlipSpec:
    score = blip.score if blip.score is not None else 0.0
    return BlipSpec(
        blip.technology.slug,
        blip.quadrant_position,
        p.RINGS.index(blip.ring),
        score,
        extent(blip.movement),
    )


def _drawn(
    ordered: list[tuple[int, Blip]], result: RadarLayout, centre: tuple[float, float]
) -> list[DrawnBlip]:
    drawn = []
    for number, blip in ordered:
        point = result.points[blip.technology.slug]
        x, y = centre[0] + point.x, centre[1] + point.y
        drawn.append(
            DrawnBlip(
                number, blip, x, y, _marker(x, y, point.outward, result.blip_radius, blip.movement)
            )
        )
    return drawn


def draw(
    blips: list[Blip], limits: tuple[float, float, float] | None = None
) -> tuple[RadarLayout, list[DrawnBlip]]:
    """Number the blips (by quadrant, ring, name) and give each its position."""
    ordered = _numbered(blips)
    specs = [_spec(blip) for blip in ordered]
    result = _layout(specs, RADIUS, MARGIN, limits or DEFAULT_THRESHOLDS)
    centre = result.centre
    return result, _drawn(list(enumerate(ordered, start=1)), result, (centre, centre))


@dataclass(frozen=True)
class QuadrantView:
    """One quadrant as a picture of its own (the phone view): its blips, laid out for the
    quadrant alone, and the part of the plane that shows them."""

    quadrant: Quadrant
    layout: RadarLayout
    drawn: list[DrawnBlip]
    view_box: str
    rings: list[dict[str, Any]]
    label_side: str  # "left" or "right": which of the ring names lie in this quadrant

    @property
    def title_id(self) -> str:
        return f"radar-quadrant-{self.quadrant.position}-title"


def quadrant_views(
    drawn: list[DrawnBlip], quadrants: list[Quadrant], limits: tuple[float, float, float]
) -> list[QuadrantView]:
    """For each quadrant, a picture of that quadrant alone at full width, numbered as on
    the full radar."""
    views = []
    for quadrant in quadrants:
        mine = [(d.number, d.blip) for d in drawn if d.blip.quadrant_position == quadrant.position]
        result = _layout([_spec(blip) for _n, blip in mine], QUADRANT_RADIUS, 0.0, limits)
        radius, pad = result.radius, QUADRANT_PAD
        right = quadrant.position in (0, 1)
        top = quadrant.position in (0, 3)
        # The centre sits in the picture's corner that touches the other quadrants.
        cx = pad if right else radius + pad
        cy = radius + pad if top else pad
        size = radius + 2 * pad
        views.append(
            QuadrantView(
                quadrant=quadrant,
                layout=result,
                drawn=_drawn(mine, result, (cx, cy)),
                view_box=f"0 0 {size:.1f} {size:.1f}",
                rings=_bands(result, (cx, cy)),
                label_side="right" if right else "left",
            )
        )
    return views


def _bands(result: RadarLayout, centre: tuple[float, float]) -> list[dict[str, Any]]:
    """Ring circles (outermost first, so inner ones paint on top) and label positions."""
    cx, cy = centre
    bands = []
    inner = 0.0
    for index, outer in enumerate(result.ring_radii):
        bands.append(
            {
                "code": p.RINGS[index],
                "radius": outer,
                "cx": cx,
                "cy": cy,
                "label_left": cx - (inner + outer) / 2,
                "label_right": cx + (inner + outer) / 2,
            }
        )
        inner = outer
    return list(reversed(bands))


def ring_bands(result: RadarLayout) -> list[dict[str, Any]]:
    """Ring circles (outermost first, so inner ones paint on top) and label positions."""
    return _bands(result, (result.centre, result.centre))


def quadrant_labels(result: RadarLayout, quadrants: list[Quadrant]) -> list[dict[str, Any]]:
    """Quadrant names in the corners of the picture, clockwise from top right."""
    size = result.size
    corners = {
        0: (size - 8, 22.0, "end"),
        1: (size - 8, size - 10, "end"),
        2: (8.0, size - 10, "start"),
        3: (8.0, 22.0, "start"),
    }
    return [
        {
            "quadrant": q,
            "x": corners[q.position][0],
            "y": corners[q.position][1],
            "anchor": corners[q.position][2],
        }
        for q in quadrants
    ]


def sort_rows(drawn: list[DrawnBlip], key: str, descending: bool) -> list[DrawnBlip]:
    """The table's order; blips without a value sort last."""
    getters: dict[str, Any] = {
        "number": lambda d: d.number,
        "name": lambda d: d.blip.technology.name.casefold(),
        "quadrant": lambda d: d.blip.quadrant_position,
        "ring": lambda d: d.ring_index,
        "diffusion": lambda d: d.blip.diffusion,
        "maturity": lambda d: d.blip.maturity,
        "score": lambda d: d.blip.score if d.blip.score is not None else -math.inf,
        "movement": lambda d: (
            (p.NEW, p.MOVED_IN, p.UNCHANGED, p.MOVED_OUT).index(d.blip.movement)
            if d.blip.movement
            else 9
        ),
    }
    getter = getters.get(key, getters["number"])
    return sorted(drawn, key=lambda d: (getter(d), d.number), reverse=descending)


def edition_blips(edition: Edition) -> list[Blip]:
    return list(edition.blips.filter(suppressed=False).select_related("technology").order_by("pk"))


def stage_columns() -> list[tuple[str, str]]:
    """(code, label) of every stage in the order the pipeline tables show them."""
    return [(stage, str(Stage(stage).label)) for stage in pipeline.PIPELINE_ORDER]


def published_answers(edition: Edition) -> QuerySet[Answer]:
    """The answers behind a published edition: its round, and its domain unless it
    covers all domains."""
    answers = Answer.objects.filter(response__round_id=edition.round_id)
    if edition.domain_id is not None:
        answers = answers.filter(response__domain_id=edition.domain_id)
    return answers


def edition_stage_counts(edition: Edition) -> dict[int, pipeline.StageCounts]:
    """Technology id -> municipalities at each stage in the edition's round and scope,
    each municipality once at its most advanced stage (one query)."""
    return {
        technology_id: counts
        for (technology_id,), counts in stage_tally(
            published_answers(edition), "technology_id"
        ).items()
    }


def pipeline_rows(
    drawn: list[DrawnBlip], edition: Edition
) -> list[tuple[DrawnBlip, pipeline.StageCounts]]:
    """Each blip of the radar (in number order) with its stage distribution."""
    counts = edition_stage_counts(edition)
    empty = pipeline.StageCounts((0,) * len(pipeline.PIPELINE_ORDER))
    return [(item, counts.get(item.blip.technology_id, empty)) for item in drawn]


@dataclass(frozen=True)
class PublishedRadar:
    """Everything a radar page shows that does not depend on the request: the edition,
    its drawn blips and their stage distributions, the switchers' domains and years."""

    edition: Edition
    layout: RadarLayout
    drawn: list[DrawnBlip]
    quadrants: list[Quadrant]
    domains: list[Domain]
    years: list[int]
    scope: str
    suppressed: int
    pipeline_rows: list[tuple[DrawnBlip, pipeline.StageCounts]]
    quadrant_views: list[QuadrantView] = field(default_factory=list)

    def context(self) -> dict[str, Any]:
        return {
            "edition": self.edition,
            "layout": self.layout,
            "drawn": self.drawn,
            "rings": ring_bands(self.layout),
            "quadrant_labels": quadrant_labels(self.layout, self.quadrants),
            "quadrants": self.quadrants,
            "domains": self.domains,
            "years": self.years,
            "scope": self.scope,
            "suppressed": self.suppressed,
            "overrides": [d for d in self.drawn if d.blip.override_ring],
            "pipeline_rows": self.pipeline_rows,
            "quadrant_views": self.quadrant_views,
        }


def published_years(scope: str) -> list[int]:
    """The survey years with a published radar of `scope`, latest first."""
    return list(
        Edition.objects.filter(scope=scope, status=Edition.Status.PUBLISHED)
        .values_list("round__year", flat=True)
        .distinct()
        .order_by("-round__year")
    )


def published_radar(year: int, scope: str) -> PublishedRadar | None:
    """The radar page's content for one published edition (None when there is none),
    computed once per published-data version and language (blips are numbered in the
    order of their names, which depends on the language)."""
    return published.cached(
        "radar", (year, scope), lambda: _published_radar(year, scope), daily=False
    )


def _published_radar(year: int, scope: str) -> PublishedRadar | None:
    edition = published_edition(year, scope)
    if edition is None:
        return None
    limits = thresholds(edition)
    result, drawn = draw(edition_blips(edition), limits)
    quadrants = list(Quadrant.objects.all())
    return PublishedRadar(
        edition=edition,
        layout=result,
        drawn=drawn,
        quadrants=quadrants,
        domains=list(Domain.objects.all()),
        years=published_years(scope),
        scope=scope,
        suppressed=edition.blips.filter(suppressed=True).count(),
        pipeline_rows=pipeline_rows(drawn, edition),
        quadrant_views=quadrant_views(drawn, quadrants, limits),
    )


@dataclass(frozen=True)
class PipelineRow:
    """One line of a pipeline table: a survey year and a domain (None: all domains)."""

    year: int
    domain: Domain | None
    counts: pipeline.StageCounts


@dataclass(frozen=True)
class Contact:
    """A municipality at one stage of a technology, with the domains where it said so."""

    url_code: str
    name: str
    domains: list[str]


@dataclass
class TechnologyPipeline:
    """Where every municipality stands with one technology, in the published rounds."""

    latest_year: int | None = None
    latest: list[PipelineRow] = field(default_factory=list)
    history: list[PipelineRow] = field(default_factory=list)
    piloting: list[Contact] = field(default_factory=list)
    considering: list[Contact] = field(default_factory=list)
    # How many there are in all; the lists stop at CONTACTS_SHOWN (a country may have
    # thousands of local governments).
    piloting_count: int = 0
    considering_count: int = 0

    @property
    def piloting_more(self) -> int:
        return self.piloting_count - len(self.piloting)

    @property
    def considering_more(self) -> int:
        return self.considering_count - len(self.considering)


CONTACTS_SHOWN = 60


def technology_pipeline(technology_id: int, domains: list[Domain]) -> TechnologyPipeline:
    """The stage distribution of one technology per domain and over all domains in every
    survey round with a published radar, and who is piloting or considering it in the
    latest such round (two queries, counted in the database)."""
    # Rounds with a published edition as a semi-join (a join would repeat every answer
    # once per edition of its round).
    answers = Answer.objects.filter(
        technology_id=technology_id,
        response__round_id__in=Edition.objects.filter(status=Edition.Status.PUBLISHED).values(
            "round_id"
        ),
    )
    # Per round and domain, and per round over all domains (domain None).
    counted: dict[tuple[int, int | None], pipeline.StageCounts] = {
        (year, domain_id): tally
        for (year, domain_id), tally in stage_tally(
            answers, "response__round__year", "response__domain_id", rolled_up=True
        ).items()
    }
    result = TechnologyPipeline(latest_year=max((year for year, _d in counted), default=None))
    latest_year = result.latest_year
    if latest_year is None:
        return result
    order: list[int | None] = [None, *(domain.pk for domain in domains)]
    by_id = {domain.pk: domain for domain in domains}
    for year in sorted({year for year, _domain in counted}, reverse=True):
        for scope_id in order:
            if (year, scope_id) not in counted:
                continue
            row = PipelineRow(
                year, None if scope_id is None else by_id[scope_id], counted[(year, scope_id)]
            )
            result.history.append(row)
            if year == latest_year:
                result.latest.append(row)
    rows = (
        answers.filter(response__round__year=latest_year, stage__in=[v.PILOTING, v.CONSIDERING])
        .values_list(
            "stage",
            "response__municipality__country",
            "response__municipality__code",
            "response__municipality__name",
            "response__domain_id",
        )
        .distinct()
        .order_by("response__municipality__name", "response__municipality__code")
    )
    by_stage: dict[str, dict[str, list[str]]] = {v.PILOTING: {}, v.CONSIDERING: {}}
    names: dict[str, str] = {}
    for stage, country, code, name, domain_id in rows:
        key = url_code(country, code)
        names[key] = name
        domain = by_id.get(domain_id) if domain_id is not None else None
        by_stage[stage].setdefault(key, []).append(domain.name if domain else "")
    for stage, target in ((v.PILOTING, result.piloting), (v.CONSIDERING, result.considering)):
        for key, domain_names in by_stage[stage].items():
            target.append(Contact(key, names[key], sorted(n for n in domain_names if n)))
        target.sort(key=lambda contact: contact.name)
    result.piloting_count, result.considering_count = len(result.piloting), len(result.considering)
    del result.piloting[CONTACTS_SHOWN:]
    del result.considering[CONTACTS_SHOWN:]
    return result


STAGE_AT = {rank: stage for stage, rank in v.ADVANCEMENT.items()}


def stage_tally(
    answers: QuerySet[Answer], *keys: str, rolled_up: bool = False
) -> dict[tuple[Any, ...], pipeline.StageCounts]:
    """The municipalities at each stage per value of `keys` (fields of an answer), each
    municipality once at its most advanced answer (pipeline.stage_counts' rule), counted
    in the database (one query). `rolled_up` adds the counts over every value of the last
    key, under None in its place (e.g. per year over all domains), from the same reading
    of the answers."""
    aliases = [f"key_{number}" for number in range(len(keys))]
    advancement = Case(
        *(When(stage=stage, then=Value(rank)) for stage, rank in v.ADVANCEMENT.items()),
        output_field=IntegerField(),
    )
    inner = (
        answers.order_by()
        .annotate(**{alias: F(key) for alias, key in zip(aliases, keys, strict=True)})
        .annotate(who=F("response__municipality_id"))
        .values(*aliases, "who")
        .annotate(advancement=Max(advancement))
        .values(*aliases, "who", "advancement")
    )
    sql, params = inner.query.sql_with_params()
    quote = connection.ops.quote_name
    grouped = [quote(name) for name in [*aliases, "advancement"]]
    statement = (
        f"SELECT {', '.join(grouped)}, COUNT(*) FROM most_advanced GROUP BY {', '.join(grouped)}"  # noqa: S608
    )
    if rolled_up:
        kept = [quote(name) for name in aliases[:-1]]
        outer = ", ".join([*kept, "NULL", quote("advancement")])
        by = ", ".join([*kept, quote("advancement")])
        within = ", ".join([*kept, quote("who")])
        statement += (
            f" UNION ALL SELECT {outer}, COUNT(*) FROM (SELECT {within},"  # noqa: S608
            f" MAX({quote('advancement')}) AS {quote('advancement')} FROM most_advanced"
            f" GROUP BY {within}) AS over_all GROUP BY {by}"
        )
    found: dict[tuple[Any, ...], dict[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(f"WITH most_advanced AS ({sql}) {statement}", params)
        for *values, rank, count in cursor.fetchall():
            found.setdefault(tuple(values), {})[STAGE_AT[rank]] = count
    return {
        key: pipeline.StageCounts(tuple(tally.get(stage, 0) for stage in pipeline.PIPELINE_ORDER))
        for key, tally in found.items()
    }


def latest_blips(technology: Technology) -> dict[tuple[int, str], Blip]:
    """The technology's blip in the latest published revision of every edition, by
    (survey year, scope), in year order (one query). Suppressed blips are included."""
    blips = (
        Blip.objects.filter(technology=technology, edition__status=Edition.Status.PUBLISHED)
        .select_related("edition__round", "edition__domain")
        .order_by("edition__round__year", "edition__scope", "-edition__revision")
    )
    latest: dict[tuple[int, str], Blip] = {}
    for blip in blips:
        latest.setdefault((blip.edition.round.year, blip.edition.scope), blip)
    return latest
