"""`load_scale_demo`: a synthetic country of many local governments with survey rounds,
written with PostgreSQL's COPY (SQLite: plain inserts, for small sets), and the rounds'
radar editions computed and published (`radar.services`)."""

from __future__ import annotations

import datetime as dt
import io
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction

from kommuneradar.catalog.models import Domain, MaturityRating, Technology
from kommuneradar.core import published
from kommuneradar.places.models import Municipality, Region
from kommuneradar.places.naming import municipality_slug
from kommuneradar.radar.editions import compute_round
from kommuneradar.radar.models import Edition
from kommuneradar.radar.services import publish_round
from kommuneradar.surveys.models import Answer, Response, Round

from . import scale_model as sm

LAST_YEAR = 2024
ANSWER_COLUMNS = (
    "response_id, technology_id, stage, value_efficiency, value_quality, value_wellbeing, comment"
)
CHANGE_NOTE = "Syntetiske skaleringsdata (load_scale_demo) tilføjet runden."
Progress = Callable[[str], None]


class ScaleRefused(Exception):
    """The database may not receive the scale data set (the message says why)."""


@dataclass
class ScaleOutcome:
    organisations: int
    responses: int
    answers: int
    years: list[int]
    seconds_writing: float
    seconds_editions: float


def holds_scale_data() -> bool:
    return Municipality.objects.filter(country=sm.COUNTRY).exists()


def remove_scale_data(progress: Progress) -> None:
    """Delete the synthetic country: its answers, responses, organisations and regions."""
    places = "SELECT id FROM places_municipality WHERE country = %s"
    responses = (
        "SELECT id FROM surveys_response WHERE municipality_id IN "
        "(SELECT id FROM places_municipality WHERE country = %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM surveys_answer WHERE response_id IN ({responses})",  # noqa: S608
            [sm.COUNTRY],
        )
        progress(f"removed {cursor.rowcount:,} answers of the former scale data")
        cursor.execute(
            f"DELETE FROM surveys_response WHERE municipality_id IN ({places})",  # noqa: S608
            [sm.COUNTRY],
        )
    Municipality.objects.filter(country=sm.COUNTRY).delete()
    Region.objects.filter(country=sm.COUNTRY).delete()


def load(
    organisations: int, rounds: int, seed: int, progress: Progress, *, replace: bool = False
) -> ScaleOutcome:
    """Write the data set in one transaction: nothing is left behind when it fails."""
    if organisations < 1 or rounds < 1:
        raise ScaleRefused("--organisations and --rounds must be at least 1.")
    if rounds > 20:
        raise ScaleRefused("--rounds is at most 20.")
    if organisations > 99_999_999:
        raise ScaleRefused("--organisations is at most 99,999,999 (codes have 10 characters).")
    years = list(range(LAST_YEAR - rounds + 1, LAST_YEAR + 1))
    started = time.monotonic()
    with transaction.atomic():
        if holds_scale_data():
            if not replace:
                raise ScaleRefused(
                    "the database already holds scale data (the synthetic country "
                    f"{sm.COUNTRY}); add --replace to delete it and load it again."
                )
            remove_scale_data(progress)
        for year in years:
            existing = Round.objects.filter(year=year).first()
            if existing is not None and existing.status in (Round.Status.DRAFT, Round.Status.OPEN):
                raise ScaleRefused(
                    f"the {year} round is {existing.status}; the scale data goes into closed "
                    "or published rounds only."
                )
        domains = list(Domain.objects.order_by("order", "pk"))
        technologies = list(Technology.objects.prefetch_related("domains").order_by("pk"))
        if not domains or not technologies:
            raise ScaleRefused("the catalogue has no domains or technologies (run migrate).")
        technology_courses = sm.courses(len(technologies), seed)
        _ratings(technologies, technology_courses, years)
        places = _organisations(organisations, seed, progress)
        round_ids = _rounds(years)
        response_ids = _responses(places, domains, round_ids, progress)
        domain_index = {domain.pk: d for d, domain in enumerate(domains)}
        home = [{domain_index[d.pk] for d in t.domains.all()} for t in technologies]
        written = _answers(
            places,
            domains,
            technologies,
            technology_courses,
            sm.relevance(len(technologies), len(domains), home, seed),
            sm.offsets(len(technologies), len(domains), seed),
            years,
            response_ids,
            seed,
            progress,
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE surveys_response")
                cursor.execute("ANALYZE surveys_answer")
        writing = time.monotonic() - started
        _publish(years, progress)
        if connection.vendor == "postgresql":
            # Every table the load and the publication wrote to: without statistics the
            # planner takes the published editions for one row and reads a technology's
            # answers one index probe at a time (8 s instead of 3 s on a technology page).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        published.bump()
    return ScaleOutcome(
        organisations=len(places),
        responses=len(response_ids),
        answers=written,
        years=years,
        seconds_writing=writing,
        seconds_editions=time.monotonic() - started - writing,
    )


def _ratings(technologies: list[Technology], courses: list[sm.Course], years: list[int]) -> None:
    """Expert ratings for the years that have none (the demo's own ratings are kept)."""
    rated = set(MaturityRating.objects.filter(year__in=years).values_list("technology_id", "year"))
    MaturityRating.objects.bulk_create(
        MaturityRating(
            technology=technology,
            year=year,
            rating=sm.maturity_rating(course, year),
            rationale="Syntetisk vurdering (load_scale_demo).",
        )
        for technology, course in zip(technologies, courses, strict=True)
        for year in years
        if (technology.pk, year) not in rated
    )


def _organisations(count: int, seed: int, progress: Progress) -> list[tuple[int, sm.Organisation]]:
    regions = {
        number: Region.objects.create(
            country=sm.COUNTRY, code=f"R{number:02d}", name=f"Syntetisk region {number}"
        )
        for number in range(1, sm.REGIONS + 1)
    }
    generated = sm.organisations(count, seed)
    source = "Syntetisk (load_scale_demo)"
    created = Municipality.objects.bulk_create(
        (
            Municipality(
                country=sm.COUNTRY,
                code=o.code,
                name=o.name,
                slug=municipality_slug(sm.COUNTRY, o.name),
                region=regions[o.region],
                population=o.population,
                population_source=source,
            )
            for o in generated
        ),
        batch_size=2000,
    )
    if any(m.pk is None for m in created):  # SQLite before returning ids
        ids = dict(Municipality.objects.filter(country=sm.COUNTRY).values_list("code", "pk"))
        pks = [ids[o.code] for o in generated]
    else:
        pks = [m.pk for m in created]
    progress(
        f"{count:,} organisations in {sm.REGIONS} regions of the synthetic country {sm.COUNTRY}"
    )
    return list(zip(pks, generated, strict=True))


def _rounds(years: list[int]) -> dict[int, int]:
    ids = {}
    for year in years:
        round_, _created = Round.objects.get_or_create(
            year=year,
            defaults={
                "opens_on": dt.date(year, 2, 1),
                "closes_on": dt.date(year, 3, 31),
                "status": Round.Status.CLOSED,
            },
        )
        ids[year] = round_.pk
    return ids


def _copy(table: str, columns: str, lines: io.StringIO) -> None:
    """COPY tab-separated lines into a table (PostgreSQL)."""
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            copy.write(lines.getvalue())


def _insert(table: str, columns: str, lines: io.StringIO) -> None:
    """The same lines as plain inserts (SQLite and other databases; slow)."""
    names = columns.split(", ")
    marks = ", ".join(["%s"] * len(names))
    rows = [line.split("\t") for line in lines.getvalue().splitlines()]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608


def _write(table: str, columns: str, lines: io.StringIO, progress: Progress) -> None:
    if connection.vendor == "postgresql":
        with _foreign_keys_checked_once(table, progress):
            _copy(table, columns, lines)
    else:
        _insert(table, columns, lines)


def _responses(
    places: list[tuple[int, sm.Organisation]],
    domains: list[Domain],
    round_ids: dict[int, int],
    progress: Progress,
) -> dict[tuple[int, int, int], int]:
    """One submitted response per organisation, domain and round; (round id, municipality
    id, domain id) -> response id."""
    submitted = {
        year: dt.datetime(year, 3, 15, 12, tzinfo=dt.UTC).isoformat() for year in round_ids
    }
    lines = io.StringIO()
    for year, round_id in round_ids.items():
        for pk, _organisation in places:
            for domain in domains:
                lines.write(f"{round_id}\t{pk}\t{domain.pk}\t{submitted[year]}\n")
    _write(
        Response._meta.db_table,
        "round_id, municipality_id, domain_id, submitted_at",
        lines,
        progress,
    )
    found = {
        (round_id, mid, did): rid
        for rid, round_id, mid, did in Response.objects.filter(
            round_id__in=round_ids.values(), municipality__country=sm.COUNTRY
        ).values_list("pk", "round_id", "municipality_id", "domain_id")
    }
    progress(f"{len(found):,} responses")
    return found


def _answers(
    places: list[tuple[int, sm.Organisation]],
    domains: list[Domain],
    technologies: list[Technology],
    courses: list[sm.Course],
    relevant: list[list[bool]],
    offsets: list[list[float]],
    years: list[int],
    response_ids: dict[tuple[int, int, int], int],
    seed: int,
    progress: Progress,
) -> int:
    """Every answer; prints progress at every whole per cent. PostgreSQL receives them in
    one COPY stream while they are generated, so the server stores while Python generates;
    other databases get batches of about a million plain inserts."""
    tails = sm.value_suffixes(seed)
    round_ids = [Round.objects.get(year=year).pk for year in years]
    technology_ids = [t.pk for t in technologies]
    total = len(places) * len(domains) * len(technologies) * len(years)
    per_organisation = len(domains) * len(technologies) * len(years)
    started = time.monotonic()

    def chunks() -> Iterator[str]:
        shown = -1
        written = 0
        for pk, organisation in places:
            rng = random.Random(f"{seed}-{organisation.code}")
            responses = [
                [response_ids[(round_id, pk, domain.pk)] for round_id in round_ids]
                for domain in domains
            ]
            yield "".join(
                f"{responses[d][y]}\t{technology_ids[t]}\t{tails[stage][rng.getrandbits(6)]}\n"
                for d, t, y, stage in sm.answers(
                    organisation, len(domains), courses, relevant, offsets, years, rng
                )
            )
            written += per_organisation
            shown = _show(progress, written, total, started, shown)

    if connection.vendor == "postgresql":
        table = Answer._meta.db_table
        with connection.cursor() as cursor, _foreign_keys_checked_once(table, progress):
            raw = cursor.cursor  # psycopg's own cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({ANSWER_COLUMNS}) FROM STDIN") as copy:
                for chunk in chunks():
                    copy.write(chunk)
    else:
        batch: list[str] = []
        lines = 0
        for chunk in chunks():
            batch.append(chunk)
            lines += per_organisation
            if lines >= 1_000_000:
                _insert(Answer._meta.db_table, ANSWER_COLUMNS, io.StringIO("".join(batch)))
                batch, lines = [], 0
        if batch:
            _insert(Answer._meta.db_table, ANSWER_COLUMNS, io.StringIO("".join(batch)))
    return total


@contextmanager
def _foreign_keys_checked_once(table: str, progress: Progress) -> Iterator[None]:
    """PostgreSQL checks a foreign key row by row, and Django's keys are deferred to the
    commit, where millions of queued checks take longer than the COPY itself. So the
    table's foreign keys are dropped for the COPY and added again after it, which checks
    every row in one join (inside the same transaction: a failure restores them)."""
    with connection.cursor() as cursor:
        # Run the checks queued so far: a table with queued checks cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        keys = cursor.fetchall()
        for name, _definition in keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    yield
    started = time.monotonic()
    with connection.cursor() as cursor:
        for name, definition in keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    progress(f"foreign keys of {table} checked in {time.monotonic() - started:.1f} s")


def _show(progress: Progress, written: int, total: int, started: float, shown: int) -> int:
    percent = int(100 * written / total) if total else 100
    if percent == shown:
        return shown
    elapsed = time.monotonic() - started
    rate = written / elapsed if elapsed > 0 else 0.0
    filled = percent // 5
    bar = "#" * filled + "-" * (20 - filled)
    progress(f"answers [{bar}] {percent:3d}% {written:,}/{total:,} ({rate:,.0f}/s)")
    return percent


def _publish(years: list[int], progress: Progress) -> None:
    """Compute and publish every round's editions: a closed round is published
    (`publish_round`); a round that was already published gets a new published revision
    of every edition whose placements changed, with a note saying why."""
    for year in years:
        round_ = Round.objects.get(year=year)
        started = time.monotonic()
        if round_.status == Round.Status.PUBLISHED:
            results = compute_round(round_, publish=True)
            for result in results:
                if result.outcome == "created":
                    Edition.objects.filter(
                        round=round_, scope=result.scope, revision=result.revision
                    ).update(change_note=CHANGE_NOTE)
        else:
            if round_.status != Round.Status.CLOSED:
                round_.status = Round.Status.CLOSED
                round_.save(update_fields=["status"])
            results = publish_round(round_, None)
        progress(
            f"{year}: {len(results)} editions computed and published "
            f"in {time.monotonic() - started:.1f} s"
        )
