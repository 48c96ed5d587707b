"""Demo cases for the knowledge centre: a dozen written out in full (`written_cases.py`)
and thirty more composed from technology profiles, each with documented effects. A composed
case is told by a municipality that has taken the technology up in that domain (its course
in `survey_data.demo_paths`), at the stage it had reached when the case was published.
Every case is published in the year of one of the published survey rounds (2021-2024), at
least a season after it started (after it ended, for a stopped one) and never after the
day the demo is loaded. All text is written for Kommuneradar."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import TextIO

from django.utils import timezone

from kommuneradar.cases.indexing import reindex
from kommuneradar.cases.models import Case, ContactPerson, Effect
from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.places.models import Municipality
from kommuneradar.places.naming import HOME_COUNTRY
from kommuneradar.surveys import vocabulary as v

from .adoption import Key, Path, calendar_day, decimal_year, stage_at
from .survey_data import demo_paths
from .written_cases import WRITTEN, DemoCase, EffectRow


@dataclass(frozen=True)
class Profile:
    """How to write a composed case about one technology."""

    technology: str
    domain: str
    title: str
    summary: str
    body: str
    effect: str
    dimension: str
    unit: str
    low: int
    high: int
    method: str


PROFILES: list[Profile] = [
    Profile(
        "skaermbesoeg",
        "sundhed-og-aeldre",
        "Skærmbesøg om aftenen i {name}",
        "{name} tilbyder aftenbesøg over skærm til borgere, der mest har brug for en "
        "påmindelse og en snak.",
        "Hjemmeplejen valgte sammen med borgerne, hvilke besøg der egnede sig til skærm.",
        "Kørte besøg erstattet af skærmbesøg",
        "efficiency",
        "besøg om ugen",
        40,
        260,
        "Optælling i planlægningssystemet",
    ),
    Profile(
        "rpa",
        "oekonomi-og-administration",
        "Softwarerobot behandler fakturaer i {name}",
        "En softwarerobot i {name} konterer og godkender standardfakturaer, så bogholderiet "
        "bruger tiden på de svære sager.",
        "Robotten kører hver morgen og sender tvivlstilfælde videre til en medarbejder.",
        "Frigjorte timer i bogholderiet",
        "efficiency",
        "timer om året",
        300,
        2_000,
        "Tidsregistrering før og efter",
    ),
    Profile(
        "traeningsvideoer",
        "sundhed-og-aeldre",
        "Digital genoptræning i {name}",
        "Borgere i genoptræning i {name} træner hjemme med videoer mellem de fysiske "
        "træningsgange.",
        "Terapeuterne sammensætter programmet og følger op over video.",
        "Borgere der når deres træningsmål",
        "quality",
        "procentpoint",
        5,
        20,
        "Udtræk fra omsorgssystemet før og efter",
    ),
    Profile(
        "sensormaatter",
        "sundhed-og-aeldre",
        "Sensormåtter giver ro om natten i {name}",
        "Plejecentre i {name} bruger sensormåtter, så nattevagten kun går ind, når en beboer "
        "er stået op.",
        "Måtten sender besked til nattevagtens telefon.",
        "Færre natlige tilsyn",
        "wellbeing",
        "tilsyn pr. nat",
        5,
        30,
        "Registrering i vagtplanen",
    ),
    Profile(
        "chatbots",
        "borgerservice",
        "Chatbot i borgerservice i {name}",
        "{name}s chatbot svarer på spørgsmål om pas, kørekort og flytning på hjemmesiden.",
        "Chatbotten lærer af de spørgsmål, den ikke kunne svare på.",
        "Henvendelser klaret af chatbotten",
        "efficiency",
        "henvendelser om måneden",
        200,
        1_500,
        "Chatbottens egen statistik",
    ),
    Profile(
        "medicindispensere",
        "sundhed-og-aeldre",
        "Medicindispensere i hjemmeplejen i {name}",
        "Borgere i {name} får medicinen fra en dispenser, der siger til, når det er tid.",
        "Dispenseren giver besked til hjemmeplejen, hvis medicinen ikke bliver taget.",
        "Sparede medicinbesøg",
        "efficiency",
        "besøg om ugen",
        30,
        180,
        "Optælling i planlægningssystemet",
    ),
    Profile(
        "videoloesninger",
        "beskaeftigelse-og-integration",
        "Videosamtaler i jobcentret i {name}",
        "Ledige i {name} kan vælge at holde opfølgningssamtalen over video.",
        "Rådgiverne har fået faste rum og udstyr til videosamtaler.",
        "Samtaler holdt over video",
        "quality",
        "% af samtalerne",
        15,
        60,
        "Udtræk fra fagsystemet",
    ),
    Profile(
        "robotplaeneklippere",
        "klima-teknik-og-miljoe",
        "Robotplæneklippere på boldbanerne i {name}",
        "Robotplæneklippere slår græsset på {name}s boldbaner om natten.",
        "Park og vej bruger den sparede tid på beplantning og renhold.",
        "Frigjorte timer til græsslåning",
        "efficiency",
        "timer om året",
        200,
        1_200,
        "Tidsregistrering i park og vej",
    ),
    Profile(
        "tale-til-tekst",
        "social",
        "Diktering af notater i {name}",
        "Medarbejdere i {name}s socialforvaltning dikterer deres notater.",
        "Løsningen er bygget ind i journalsystemet.",
        "Tid sparet på dokumentation",
        "efficiency",
        "minutter om dagen pr. medarbejder",
        10,
        40,
        "Stikprøve med tidtagning",
    ),
    Profile(
        "intelligente-bygninger",
        "klima-teknik-og-miljoe",
        "Styring af varme og ventilation i skoler i {name}",
        "Sensorer i {name}s skoler styrer varme og ventilation efter, hvor mange der er i "
        "lokalerne.",
        "Data vises også for eleverne i naturfag.",
        "Lavere energiforbrug",
        "efficiency",
        "% af varmeforbruget",
        5,
        20,
        "Forbrugsaflæsning før og efter, graddagekorrigeret",
    ),
]

COMPOSED_CASES = 30
ROUND_YEARS = (2021, 2022, 2023, 2024)  # a case is published in the year of one of them
CASE_STAGES = {
    v.CONSIDERING: "idea",
    v.PILOTING: "pilot",
    v.IN_OPERATION: "in_operation",
    v.SCALED: "scaled",
    v.DISCONTINUED: "stopped",
}


def publication_day(
    started: dt.date, ended: dt.date | None, today: dt.date, rng: random.Random
) -> dt.date:
    """A day in one of ROUND_YEARS, at least 90 days after the start (30 after the end of a
    stopped case), and not after `today`; the last round year's end when nothing fits."""
    earliest = max(started + dt.timedelta(days=90), (ended or started) + dt.timedelta(days=30))
    years = [year for year in ROUND_YEARS if year >= earliest.year] or [ROUND_YEARS[-1]]
    year = rng.choice(years)
    first = max(earliest, dt.date(year, 1, 1))
    last = min(dt.date(year, 12, 31), today)
    if first > last:
        return min(dt.date(ROUND_YEARS[-1], 12, 31), today)
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _composed(
    rng: random.Random, municipalities: list[Municipality], paths: dict[Key, Path], today: dt.date
) -> list[DemoCase]:
    """COMPOSED_CASES cases, each by a different municipality (none of the written cases'
    municipalities) that had considered or taken up the profile's technology in its domain
    before 2024."""
    cases = []
    taken = {case.code for case in WRITTEN}
    for number in range(COMPOSED_CASES):
        profile = PROFILES[number % len(PROFILES)]
        candidates = [
            m
            for m in municipalities
            if m.code not in taken
            and paths[(m.code, profile.technology, profile.domain)].considers_from < ROUND_YEARS[-1]
        ]
        municipality = rng.choice(candidates)
        taken.add(municipality.code)
        path = paths[(municipality.code, profile.technology, profile.domain)]
        began = path.pilots_from if path.pilots_from < ROUND_YEARS[-1] else path.considers_from
        started = calendar_day(began).replace(day=1)
        published = publication_day(started, None, today, rng)
        # Told at the stage the municipality had reached when the case was published.
        stage = CASE_STAGES.get(stage_at(path, decimal_year(published)), "idea")
        value = rng.randint(profile.low, profile.high)
        effects: list[EffectRow] = []
        if stage != "idea":
            effects.append(
                (profile.effect, profile.dimension, value, profile.unit, None, None, profile.method)
            )
        cases.append(
            DemoCase(
                municipality.code,
                profile.title.format(name=municipality.name),
                profile.summary.format(name=municipality.name),
                profile.body,
                [profile.technology],
                [profile.domain],
                stage,
                started,
                effects,
                budget=rng.choice([None, 150_000, 400_000, 900_000]),
                months=rng.choice([None, 6, 9, 12, 18]),
                ended=calendar_day(path.discontinued_from) if stage == "stopped" else None,
                published=published,
            )
        )
    return cases


def load(seed: int, stdout: TextIO, today: dt.date | None = None) -> None:
    """The published cases (`today`, the load day, bounds their dates; the current date if
    not given)."""
    today = today or timezone.localdate()
    rng = random.Random(seed + 404)
    municipalities = {m.code: m for m in Municipality.objects.filter(country=HOME_COUNTRY)}
    technologies = {t.slug: t for t in Technology.objects.all()}
    domains = {d.slug: d for d in Domain.objects.all()}
    demo_cases = WRITTEN + _composed(
        rng, sorted(municipalities.values(), key=lambda m: m.code), demo_paths(seed), today
    )
    created = []
    for demo in demo_cases:
        published_on = demo.published or publication_day(demo.started, demo.ended, today, rng)
        published = dt.datetime.combine(published_on, dt.time(12), tzinfo=dt.UTC)
        case = Case.objects.create(
            title=demo.title,
            summary=demo.summary,
            body=demo.body,
            lessons=demo.lessons,
            lead_municipality=municipalities[demo.code],
            stage=demo.stage,
            started_on=demo.started,
            ended_on=demo.ended,
            budget_dkk=demo.budget,
            staff_fte=None if demo.staff is None else Decimal(str(demo.staff)),
            duration_months=demo.months,
            source=demo.source,
            state=Case.State.PUBLISHED,
            published_at=published,
        )
        case.technologies.set([technologies[slug] for slug in demo.technologies])
        case.domains.set([domains[slug] for slug in demo.domains])
        case.partner_municipalities.set([municipalities[code] for code in demo.partners])
        # Effects are measured after the start and before the case is published.
        measured = min(demo.started + dt.timedelta(days=365), published_on - dt.timedelta(days=30))
        measured = max(measured, demo.started)
        Effect.objects.bulk_create(
            Effect(
                case=case,
                description=row[0],
                dimension=row[1],
                value=Decimal(str(row[2])),
                unit=row[3],
                baseline=None if row[4] is None else Decimal(str(row[4])),
                result=None if row[5] is None else Decimal(str(row[5])),
                measured_on=measured,
                method=row[6],
                is_headline=index == 0,
                order=index,
            )
            for index, row in enumerate(demo.effects)
        )
        if demo.contact:
            ContactPerson.objects.create(
                case=case,
                name=demo.contact[0],
                job_title=demo.contact[1],
                consent_to_publish=True,
                consent_recorded_on=published_on - dt.timedelta(days=14),
            )
        # Written a few weeks before publication and not changed since.
        Case.objects.filter(pk=case.pk).update(
            created_at=published - dt.timedelta(days=rng.randint(20, 60)), updated_at=published
        )
        created.append(case.pk)
    reindex(created)
    stdout.write(f"  {len(created)} published demo cases\n")
