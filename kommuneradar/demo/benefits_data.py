"""Demo implementation projects with business cases and follow-ups.

Projects follow the municipalities' courses with the technologies (`survey_data.demo_paths`),
so they agree with the survey: most are where a municipality used a technology in a domain
in 2024, started no earlier than its first pilot there; a few are the pilots starting
around the day the demo is loaded (planned or being implemented). Expected gains scale with
the municipality's size; realised gains at the follow-ups climb towards a share of the
expectation drawn around 0.85 with a fat lower tail (some projects disappoint badly, a few
do better than planned). A few projects have missed a follow-up."""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal
from typing import TextIO

from django.utils import timezone

from kommuneradar.benefits.models import BusinessCase, FollowUp, Indicator, Project
from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.places.models import Municipality
from kommuneradar.places.naming import HOME_COUNTRY
from kommuneradar.surveys import vocabulary as v

from .adoption import Key, Path, calendar_day, decimal_year, stage_at
from .survey_data import SURVEY_TIME, demo_paths

PROJECT_COUNT = 180
NEW_PILOTS = 15  # of them, pilots starting around the load day
USED_IN = 2024 + SURVEY_TIME  # established projects: technologies in use at the 2024 survey
# Follow-ups are generated up to shortly before the day the demo is loaded, so that
# "overdue" means what it says on the day someone looks (same seed, same data that day).
FOLLOW_UPS_UNTIL = dt.timedelta(days=20)

# Relative size of the hours a technology frees per 1,000 inhabitants reached (scaled by 4
# in load: screen visits then free about 0.2 FTE per 1,000 inhabitants they reach).
HOURS_PER_1000: dict[str, float] = {
    "skaermbesoeg": 95.0,
    "traeningsvideoer": 40.0,
    "telemedicin": 35.0,
    "rpa": 60.0,
    "intelligent-automatisering": 45.0,
    "videoloesninger": 30.0,
    "selvbetjening": 55.0,
    "digital-signatur-og-post": 50.0,
    "sensorer": 30.0,
    "sensormaatter": 28.0,
    "medicindispensere": 45.0,
    "hygiejnerobotter": 20.0,
    "loftlifte": 18.0,
    "tale-til-tekst": 25.0,
    "chatbots": 22.0,
    "generativ-ai": 35.0,
    "robotplaeneklippere": 12.0,
}
DEFAULT_HOURS_PER_1000 = 20.0

OWNERS = (
    "Leder af hjemmeplejen",
    "Digitaliseringschef",
    "Økonomichef",
    "Leder af borgerservice",
    "Centerchef for sundhed og omsorg",
    "Jobcenterchef",
    "Skolechef",
    "Leder af genoptræningen",
    "Driftschef i teknik og miljø",
    "Afdelingsleder i socialområdet",
)
PURPOSES = (
    "frigøre tid til kerneopgaven",
    "give borgerne mere selvstændighed",
    "korte ventetiden for borgerne",
    "mindske transporttiden mellem borgere",
    "lette tunge og gentagne arbejdsgange",
    "gøre sagsbehandlingen hurtigere og mere ensartet",
)
NOTES_SHORT = (
    "Færre borgere end ventet tog løsningen i brug.",
    "Implementeringen tog længere tid end planlagt.",
    "Medarbejderne havde brug for mere oplæring.",
    "Tekniske problemer med integrationen har bremset brugen.",
)
NOTES_ON_TRACK = (
    "Gevinsten følger business casen.",
    "Løsningen er en fast del af hverdagen.",
    "Udbredt til flere teams end først planlagt.",
)


Candidate = tuple[str, str, str, float]  # code, technology, domain, earliest start (year)


def _candidates(paths: dict[Key, Path], reference: float, rng: random.Random) -> list[Candidate]:
    """Where projects are: mostly technologies in use at the 2024 survey (starting no
    earlier than the first pilot there, and no earlier than 2020, when following up gains
    became common), and NEW_PILOTS pilots starting in the year up to `reference` (a year)."""
    using = [
        (*key, max(path.pilots_from, rng.uniform(2020.0, USED_IN + 0.3)))
        for key, path in sorted(paths.items())
        if stage_at(path, USED_IN) in v.USING_STAGES
    ]
    starting = [
        (*key, path.pilots_from)
        for key, path in sorted(paths.items())
        if reference - 1.0 < path.pilots_from <= reference + 0.25
    ]
    new = rng.sample(starting, min(NEW_PILOTS, len(starting)))
    return rng.sample(using, PROJECT_COUNT - len(new)) + new


def _money(value: float) -> Decimal:
    return Decimal(round(value / 1000) * 1000)


def _realised_share(rng: random.Random) -> float:
    """Where a project's realised gain levels out, as a share of its business case: most
    around 0.85 (lognormal), one in eight disappointing badly (0.3-0.6)."""
    if rng.random() < 0.125:
        return rng.uniform(0.3, 0.6)
    return min(1.5, rng.lognormvariate(math.log(0.85), 0.2))


def load(seed: int, stdout: TextIO, today: dt.date | None = None) -> None:
    """The projects, their business cases and follow-ups up to shortly before `today`
    (the load day; the current date if not given)."""
    today = today or timezone.localdate()
    reference_day = today - FOLLOW_UPS_UNTIL
    rng = random.Random(seed + 5005)
    municipalities = {m.code: m for m in Municipality.objects.filter(country=HOME_COUNTRY)}
    technologies = {t.slug: t for t in Technology.objects.all()}
    domains = {d.slug: d for d in Domain.objects.all()}
    chosen = _candidates(demo_paths(seed), decimal_year(reference_day), rng)

    projects: list[Project] = []
    plans: list[dict[str, float | int | bool]] = []
    registered: list[dt.datetime] = []
    for code, technology_slug, domain_slug, earliest in chosen:
        municipality = municipalities[code]
        technology = technologies[technology_slug]
        domain = domains[domain_slug]
        start = calendar_day(earliest)
        months_running = (reference_day.year - start.year) * 12 + reference_day.month - start.month
        if months_running < 3:
            status = Project.Status.PLANNED
        elif months_running < 9:
            status = Project.Status.IMPLEMENTING
        else:
            status = Project.Status.STOPPED if rng.random() < 0.05 else Project.Status.IN_OPERATION
        coverage = rng.uniform(0.15, 0.6)  # the part of the municipality the project reaches
        per_1000 = HOURS_PER_1000.get(technology.slug, DEFAULT_HOURS_PER_1000)
        hours = max(
            40.0, 4 * per_1000 * municipality.population / 1000 * coverage * rng.uniform(0.7, 1.3)
        )
        purpose = rng.choice(PURPOSES)
        projects.append(
            Project(
                municipality=municipality,
                technology=technology,
                domain=domain,
                title=f"{technology.name_da} i {domain.name_da.lower()}",
                description=(
                    f"{municipality.name} Kommune tager {technology.name_da.lower()} i brug i "
                    f"{domain.name_da.lower()} for at {purpose}."
                ),
                citizens_affected=int(municipality.population * coverage * rng.uniform(0.01, 0.05)),
                staff_affected=int(rng.uniform(10, 200) * coverage * 2),
                start_date=start,
                status=status,
                benefit_owner=rng.choice(OWNERS),
                follow_up_months=rng.choice((6, 6, 6, 12)),
                published=rng.random() < 0.85,
            )
        )
        # Registered with its business case a few weeks before it starts, never after today.
        registered_on = min(start - dt.timedelta(days=rng.randint(14, 90)), today)
        registered.append(dt.datetime.combine(registered_on, dt.time(10), tzinfo=dt.UTC))
        plans.append(
            {
                "hours": round(hours, 1),
                "reaches": _realised_share(rng),
                "misses_last": rng.random() < 0.12,
                "months_running": months_running,
            }
        )
    Project.objects.bulk_create(projects)
    for project, when in zip(projects, registered, strict=True):
        project.created_at = project.updated_at = when
    Project.objects.bulk_update(projects, ["created_at", "updated_at"])

    cases: list[BusinessCase] = []
    follow_ups: list[FollowUp] = []
    for project, plan in zip(projects, plans, strict=True):
        hours = float(plan["hours"])
        one_off = max(50_000.0, hours * rng.uniform(120, 400))
        running = one_off * rng.uniform(0.08, 0.25)
        gain = hours * 350 * rng.uniform(0.3, 0.8)  # cash-releasing share at ~350 kr. an hour
        before = rng.uniform(8, 60) if rng.random() < 0.5 else None
        cases.append(
            BusinessCase(
                project=project,
                one_off_cost=_money(one_off),
                one_off_cost_pessimistic=_money(one_off * rng.uniform(1.1, 1.4)),
                one_off_cost_optimistic=_money(one_off * rng.uniform(0.85, 0.95)),
                running_cost=_money(running),
                gain_dkk=_money(gain),
                gain_dkk_pessimistic=_money(gain * rng.uniform(0.5, 0.8)),
                gain_dkk_optimistic=_money(gain * rng.uniform(1.1, 1.3)),
                hours_freed=Decimal(str(hours)),
                hours_freed_pessimistic=Decimal(str(round(hours * rng.uniform(0.55, 0.8), 1))),
                hours_freed_optimistic=Decimal(str(round(hours * rng.uniform(1.1, 1.4), 1))),
                citizens_per_fte_before=None if before is None else Decimal(str(round(before, 1))),
                citizens_per_fte_after=None
                if before is None
                else Decimal(str(round(before * rng.uniform(1.05, 1.4), 1))),
                horizon_years=rng.choice((5, 5, 5, 3, 7)),
                discount_rate=Decimal("0.0350"),
            )
        )
        if project.status in (Project.Status.PLANNED, Project.Status.IMPLEMENTING):
            continue
        count = max(1, int(plan["months_running"]) // project.follow_up_months)
        if plan["misses_last"] and count > 1:
            count -= 1
        count = min(count, 40)
        reaches = float(plan["reaches"])
        for number in range(1, count + 1):
            day = project.start_date + dt.timedelta(
                days=int(30.4 * project.follow_up_months * number)
            )
            if day > reference_day:
                break
            ramp = min(1.0, 0.45 + 0.3 * number)  # gains build up over the first year or so
            realised = hours * reaches * ramp * rng.uniform(0.9, 1.1)
            short = realised < hours * 0.9
            follow_ups.append(
                FollowUp(
                    project=project,
                    measured_on=day,
                    hours_freed=Decimal(str(round(realised, 1))),
                    gain_dkk=_money(gain * reaches * ramp),
                    running_cost=_money(running * rng.uniform(0.95, 1.2)),
                    note=rng.choice(NOTES_SHORT if short else NOTES_ON_TRACK),
                )
            )
    BusinessCase.objects.bulk_create(cases)
    FollowUp.objects.bulk_create(follow_ups)

    indicators = []
    for case in cases[::3]:
        baseline = round(rng.uniform(55, 75))
        target = baseline + rng.choice((5, 10, 15))
        measured = case.project.status == Project.Status.IN_OPERATION
        indicators.append(
            Indicator(
                business_case=case,
                dimension=Indicator.Dimension.QUALITY,
                name="Borgere, der er tilfredse med indsatsen",
                unit="procent",
                baseline=Decimal(baseline),
                target=Decimal(target),
                realised=Decimal(baseline + round((target - baseline) * rng.uniform(0.2, 1.1)))
                if measured
                else None,
                realised_on=reference_day - dt.timedelta(days=rng.randrange(30, 200))
                if measured
                else None,
            )
        )
    for case in cases[1::4]:
        indicators.append(
            Indicator(
                business_case=case,
                dimension=Indicator.Dimension.WELLBEING,
                name="Medarbejdere, der oplever arbejdet som mindre belastende",
                unit="procent",
                baseline=Decimal(round(rng.uniform(30, 50))),
                target=Decimal(round(rng.uniform(55, 70))),
            )
        )
    Indicator.objects.bulk_create(indicators)
    stdout.write(
        f"  {len(projects)} implementation projects, {len(follow_ups)} follow-ups, "
        f"{len(indicators)} indicators\n"
    )
