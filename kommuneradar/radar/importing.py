"""Import a BYOR CSV/JSON or a Backstage JSON file as an editorial radar: all or nothing,
in one transaction, with every problem named by row, field and reason."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from kommuneradar.accounts import audit
from kommuneradar.accounts.models import User
from kommuneradar.core import problems as import_problems
from kommuneradar.core.tabular import Problem

from . import exports as x
from . import placement as p
from . import radarfiles as rf
from .exporting import RING_COLOURS
from .models import EditorialEdition, EditorialEntry, EditorialRadar, Ring

MESSAGES: dict[str, str] = {
    rf.NOT_JSON: gettext_noop("The file is not valid JSON (%(value)s)."),
    rf.NOT_A_LIST: gettext_noop("A list is expected here."),
    rf.NOT_AN_OBJECT: gettext_noop("An object ({…}) is expected here."),
    rf.NOT_A_STRING: gettext_noop("The value must be text (in quotes)."),
    rf.NOT_TRUE_FALSE: gettext_noop("Write true or false, not “%(value)s”."),
    rf.UNKNOWN_STATUS: gettext_noop(
        "Unknown status “%(value)s”: write New, Moved In, Moved Out or No Change."
    ),
    rf.UNKNOWN_RING: gettext_noop("Unknown ring “%(value)s”: it is not one of the radar's rings."),
    rf.UNKNOWN_QUADRANT: gettext_noop(
        "Unknown quadrant “%(value)s”: it is not one of the radar's quadrants."
    ),
    rf.TOO_MANY_RINGS: gettext_noop("A radar has at most four rings (“%(value)s” is one more)."),
    rf.TOO_MANY_QUADRANTS: gettext_noop(
        "A radar has at most four quadrants (“%(value)s” is one more)."
    ),
    rf.BAD_MOVED: gettext_noop("moved must be -1, 0 or 1, not “%(value)s”."),
    rf.NO_STATUS_COLUMN: gettext_noop("The file needs a status or an isNew column."),
    rf.TOO_LONG: gettext_noop("Longer than %(value)s characters."),
    rf.SAME_NAMES: gettext_noop(
        "Every name must differ (BYOR ignores case and reads “and” as “&”): %(value)s."
    ),
}


@dataclass(frozen=True)
class ImportResult:
    radar: EditorialRadar | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def explained(self) -> list[tuple[Problem, str]]:
        return import_problems.explain(self.problems, MESSAGES)

    def lines(self) -> list[str]:
        return [import_problems.describe(problem, MESSAGES) for problem in self.problems]


def known_ring_orders() -> list[rf.RingOrder]:
    """Ring names a BYOR file may use without saying their order: ours in Danish and in
    English, and BYOR's defaults."""
    orders = []
    for language in ("da", "en"):
        with translation.override(language):
            orders.append(
                rf.RingOrder(
                    tuple(
                        x.RingSpec(code, str(Ring(code).label), RING_COLOURS[code])
                        for code in p.RINGS
                    )
                )
            )
    byor = ("Adopt", "Trial", "Assess", "Hold")
    orders.append(
        rf.RingOrder(
            tuple(
                x.RingSpec(name.lower(), name, colour)
                for name, colour in zip(byor, RING_COLOURS.values(), strict=True)
            )
        )
    )
    return orders


def _save(
    parsed: rf.ParsedRadar, name: str, source: str, filename: str, user: User | None
) -> EditorialRadar:
    summary = f"{name} ({source}, {len(parsed.editions)} editions)"
    with audit.operation(user, "editorial_radar_imported", summary=summary):
        radar = EditorialRadar.objects.create(
            name=name,
            source=source,
            filename=filename[:255],
            rings=[
                {"code": r.code, "name": r.name, "color": r.color, "description": r.description}
                for r in parsed.rings
            ],
            quadrants=[
                {"position": q.position, "slug": q.slug, "name": q.name} for q in parsed.quadrants
            ],
            imported_by=user,
        )
        for date, entries in sorted(parsed.editions.items()):
            edition = EditorialEdition.objects.create(radar=radar, date=date)
            EditorialEntry.objects.bulk_create(
                EditorialEntry(
                    edition=edition,
                    key=entry.key,
                    name=entry.name,
                    quadrant_position=entry.quadrant,
                    ring=entry.ring,
                    movement=entry.movement,
                    description=entry.description,
                    note=entry.note,
                    links=[{"url": link.url, "title": link.title} for link in entry.links],
                )
                for entry in entries
            )
    return radar


def import_radar(
    content: bytes,
    filename: str,
    source: str,
    name: str,
    user: User | None,
    *,
    date: datetime.date | None = None,
    rings: Sequence[str] = (),
    quadrants: Sequence[str] = (),
) -> ImportResult:
    """Read `content` (a BYOR CSV/JSON when `source` is "byor", a Backstage JSON when it
    is "backstage") and store it as one editorial radar; nothing is stored when any
    problem is found. A BYOR file is one edition dated `date` (today by default)."""
    if source == EditorialRadar.Source.BACKSTAGE:
        parsed, problems = rf.parse_backstage(content)
    else:
        parsed, problems = rf.parse_byor(
            content,
            filename,
            date or timezone.localdate(),
            rings=rings,
            quadrants=quadrants,
            known_orders=known_ring_orders(),
        )
    if parsed is None or problems:
        return ImportResult(None, problems)
    return ImportResult(_save(parsed, name, source, filename, user))
