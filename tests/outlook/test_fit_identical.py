"""The fit reads the rounds compactly (each municipality's course coded in one integer,
grouped by course, the most advanced stage over all domains computed by the database) and
gives exactly the state the straightforward reading gave: one tuple of stages per
technology, domain and municipality, and the moves of each municipality one by one. The
straightforward reading is kept here as the reference."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from django.db import connection
from django.db.models import Case, IntegerField, Max, Value, When
from django.db.models.functions import Coalesce

from kommuneradar.catalog.models import Domain, MaturityRating, Technology
from kommuneradar.outlook import projection as pj
from kommuneradar.outlook import services
from kommuneradar.places.models import Municipality
from kommuneradar.radar.editions import compute_round
from kommuneradar.surveys.models import Answer, Response, Round

Trajectories = dict[services.Key, dict[int, tuple[int, ...]]]
ABSENT = -1


def reference_stages(years: Sequence[int]) -> Trajectories:
    """The reading before the compact one: a tuple of stages per technology, domain and
    municipality, and the most advanced over all domains taken in Python."""
    index = Case(
        *(When(stage=stage, then=Value(position)) for stage, position in pj.INDEX.items()),
        output_field=IntegerField(),
    )
    columns = {
        f"year_{number}": Coalesce(
            Max(Case(When(response__round__year=year, then=index), output_field=IntegerField())),
            Value(ABSENT),
        )
        for number, year in enumerate(years)
    }
    rows = (
        Answer.objects.filter(response__round__year__in=years)
        .order_by()
        .values("technology_id", "response__domain_id", "response__municipality_id")
        .annotate(**columns)
        .values_list("technology_id", "response__domain_id", "response__municipality_id", *columns)
    )
    sql, params = rows.query.sql_with_params()
    found: Trajectories = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for technology_id, domain_id, municipality_id, *stages in cursor.fetchall():
            trajectory = tuple(stages)
            found[(technology_id, domain_id)][municipality_id] = trajectory
            overall = found[(technology_id, None)]
            held = overall.get(municipality_id)
            overall[municipality_id] = (
                trajectory if held is None else tuple(map(max, held, trajectory))
            )
    return found


def reference_units(
    positions: Sequence[int],
    stages: Trajectories,
    quadrants: Mapping[int, int],
    populations: Mapping[int, int],
) -> tuple[list[pj.Unit], dict[services.Key, list[services.Key]]]:
    keys = sorted(
        (
            key
            for key, found in stages.items()
            if any(trajectory[p] != ABSENT for trajectory in found.values() for p in positions)
        ),
        key=repr,
    )
    units: list[pj.Unit] = []
    groups: dict[services.Key, list[services.Key]] = defaultdict(list)
    for key in keys:
        technology_id, domain_id = key
        if technology_id not in quadrants:
            continue
        group: services.Key = (
            (-quadrants[technology_id], None) if domain_id is None else (technology_id, None)
        )
        unit = pj.Unit(key=key, group_key=group)
        for municipality_id, trajectory in stages[key].items():
            ranks = [trajectory[p] for p in positions]
            moves = [
                (before, after)
                for before, after in itertools.pairwise(ranks)
                if before != ABSENT and after != ABSENT
            ]
            if moves:
                unit.moves[municipality_id] = moves
            if ranks and ranks[-1] != ABSENT:
                unit.latest[municipality_id] = ranks[-1]
                unit.population[municipality_id] = populations.get(municipality_id, 0)
        units.append(unit)
        if domain_id is None:
            groups[group].append(key)
    return units, groups


def reference_state(monkeypatch: pytest.MonkeyPatch) -> services.State:
    """The state fitted with the reference reading (the rest of the fit is shared)."""
    with monkeypatch.context() as patched:
        patched.setattr(services, "_stages", reference_stages)
        patched.setattr(services, "_units", reference_units)
        patched.setattr(services, "_history", reference_history)
        patched.setattr(services, "_latest_stage", reference_latest_stage)
        return services.fit_state()


def reference_history(years: Sequence[int], stages: Trajectories) -> dict[int, list[Any]]:
    history: dict[int, list[Any]] = {}
    for (technology_id, domain_id), found in stages.items():
        if domain_id is not None:
            continue
        for position, year in enumerate(years):
            counts = [0.0] * pj.SIZE
            answered = False
            for trajectory in found.values():
                stage = trajectory[position]
                if stage != ABSENT:
                    counts[stage] += 1
                    answered = True
            if answered:
                history.setdefault(technology_id, []).append((year, pj.diffusion_of(counts)))
    return history


def reference_latest_stage(units: Sequence[pj.Unit]) -> dict[int, dict[int, int]]:
    return {unit.key[0]: dict(unit.latest) for unit in units if unit.key[1] is None}


def generate(seed: int, years: Sequence[int], technologies: int, domains: int) -> None:
    """Published rounds of random but persistent answers: each municipality moves on from
    its stage of the year before or stays; some skip a round, a domain or a technology."""
    rng = random.Random(seed)
    chosen_domains = list(Domain.objects.order_by("pk")[:domains])
    chosen = list(Technology.objects.order_by("pk")[:technologies])
    municipalities = list(Municipality.objects.order_by("code")[:40])
    held: dict[tuple[int, int, int], int] = {}
    for year in years:
        round_ = Round.objects.create(
            year=year,
            opens_on=dt.date(year, 2, 1),
            closes_on=dt.date(year, 3, 31),
            status=Round.Status.CLOSED,
        )
        for technology in chosen:
            technology.domains.add(*chosen_domains)
            MaturityRating.objects.update_or_create(
                technology=technology, year=year, defaults={"rating": rng.randint(3, 9)}
            )
        answers = []
        for municipality, domain in itertools.product(municipalities, chosen_domains):
            if rng.random() < 0.15:
                continue  # this municipality did not answer for this domain this year
            response = Response.objects.create(
                round=round_, municipality=municipality, domain=domain
            )
            for technology in chosen:
                if rng.random() < 0.1:
                    continue
                key = (municipality.pk, domain.pk, technology.pk)
                before = held.get(key, rng.randrange(pj.SIZE))
                after = min(pj.SIZE - 1, max(0, before + rng.choice((-1, 0, 0, 1, 1, 2))))
                held[key] = after
                answers.append(
                    Answer(response=response, technology=technology, stage=pj.STATES[after])
                )
        Answer.objects.bulk_create(answers)
        compute_round(round_, publish=True)


@pytest.mark.parametrize(
    ("seed", "years"),
    [
        (1, (2021, 2022, 2023, 2024)),
        # A longer gap first: the chain starts after it, the earliest round only in history.
        (2, (2018, 2020, 2021, 2022)),
        (3, (2023, 2024)),
    ],
)
def test_the_compact_fit_gives_exactly_the_state_the_reference_reading_gives(
    seed: int, years: tuple[int, ...], db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(seed, years, technologies=4, domains=3)
    fitted = services.fit_state()
    reference = reference_state(monkeypatch)
    assert fitted.fitted, "nothing was fitted"
    assert any(key[1] is not None for key in fitted.fitted)
    assert all(len(f.draws) == pj.RESAMPLES for f in fitted.fitted.values())
    if len(years) >= 4:
        assert fitted.backtest
    assert fitted.history and fitted.latest_stage
    for name in services.State.__dataclass_fields__:
        assert getattr(fitted, name) == getattr(reference, name), name
    assert fitted == reference
