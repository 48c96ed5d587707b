"""Demo survey rounds 2021-2024: every municipality and domain, answers following each
municipality's course with each technology (`adoption.py`: a Bass curve per technology,
larger municipalities adopting earlier, stages moving forward with the years)."""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import TextIO

from kommuneradar.catalog.models import MaturityRating, Technology
from kommuneradar.places.models import Municipality
from kommuneradar.places.naming import HOME_COUNTRY
from kommuneradar.radar.editions import compute_round
from kommuneradar.radar.models import Edition
from kommuneradar.surveys import vocabulary as v
from kommuneradar.surveys.models import Answer, Response, Round

from .adoption import (
    NEVER,
    Anchor,
    Curve,
    Key,
    Path,
    adoption_paths,
    decimal_year,
    reported_stage,
    stage_at,
)
from .written_cases import WRITTEN

YEARS = (2021, 2022, 2023, 2024)
# Surveys are answered in March: a round's answers describe the stage at this point of its year.
SURVEY_TIME = 0.2
# The share of answers that report the stage before the real one.
UNDERSTATEMENT = 0.01

# slug: (curve, maturity rating in 2021, value leaning (efficiency, quality, wellbeing) as
# the chance that a user reports some or large value). The curves are set so that 2024
# looks like Denmark: mature welfare and administrative technologies in nearly every
# municipality, generative AI, machine learning and low-code piloted by a handful of the
# larger ones, chatbots common in citizen services and new elsewhere.
TECHNOLOGY_PROFILES: dict[str, tuple[Curve, int, tuple[float, float, float]]] = {
    "machine-learning": (
        Curve(2017, 0.006, 0.35, 0.80, 2.0, 0.4, 0.15, 3.0, "oekonomi-og-administration"),
        4,
        (0.65, 0.45, 0.30),
    ),
    "generativ-ai": (
        Curve(2022.9, 0.04, 0.90, 0.95, 1.5, 0.5, 0.10, 1.5, "oekonomi-og-administration"),
        2,
        (0.70, 0.35, 0.40),
    ),
    "chatbots": (
        Curve(2016, 0.010, 0.50, 0.85, 1.0, 0.5, 0.12, 4.0, "borgerservice"),
        6,
        (0.60, 0.50, 0.35),
    ),
    "tale-til-tekst": (
        Curve(2015, 0.012, 0.40, 0.60, 1.0, 0.5, 0.08, 2.5, "social"),
        6,
        (0.70, 0.40, 0.60),
    ),
    "billedgenkendelse": (
        Curve(2017, 0.008, 0.35, 0.50, 1.5, 0.4, 0.15, 3.0),
        4,
        (0.60, 0.55, 0.30),
    ),
    "praediktiv-analyse": (
        Curve(2016, 0.008, 0.30, 0.50, 1.5, 0.4, 0.15, 3.0),
        4,
        (0.55, 0.60, 0.25),
    ),
    "dataplatforme": (Curve(2013, 0.020, 0.40, 0.80, 1.0, 0.6, 0.05, 2.0), 7, (0.70, 0.50, 0.35)),
    "rpa": (
        Curve(2014, 0.030, 0.60, 0.98, 0.8, 0.6, 0.04, 1.5, "oekonomi-og-administration"),
        8,
        (0.90, 0.40, 0.55),
    ),
    "intelligent-automatisering": (
        Curve(2018, 0.012, 0.45, 0.70, 1.2, 0.4, 0.10, 2.5, "oekonomi-og-administration"),
        5,
        (0.80, 0.40, 0.45),
    ),
    "cloud": (Curve(2010, 0.030, 0.45, 0.98, 0.8, 0.6, 0.03, 1.0), 8, (0.65, 0.30, 0.30)),
    "systemintegration": (
        Curve(2010, 0.025, 0.40, 0.98, 0.8, 0.6, 0.03, 1.2),
        8,
        (0.80, 0.50, 0.45),
    ),
    "low-code": (
        Curve(2019, 0.008, 0.45, 0.70, 1.5, 0.4, 0.10, 2.5, "oekonomi-og-administration"),
        5,
        (0.65, 0.30, 0.40),
    ),
    "digital-signatur-og-post": (
        Curve(2010, 0.050, 0.50, 0.99, 0.5, 0.7, 0.02, 1.0),
        9,
        (0.85, 0.55, 0.40),
    ),
    "skaermbesoeg": (
        Curve(2013, 0.030, 0.55, 0.95, 0.8, 0.6, 0.04, 1.5, "sundhed-og-aeldre"),
        8,
        (0.80, 0.70, 0.50),
    ),
    "traeningsvideoer": (
        Curve(2014, 0.025, 0.45, 0.80, 0.8, 0.5, 0.05, 2.0, "sundhed-og-aeldre"),
        7,
        (0.55, 0.80, 0.45),
    ),
    "telemedicin": (Curve(2012, 0.020, 0.40, 0.85, 1.0, 0.5, 0.05, 2.0), 7, (0.55, 0.80, 0.40)),
    "videoloesninger": (Curve(2010, 0.050, 0.60, 0.99, 0.5, 0.7, 0.02, 1.0), 9, (0.85, 0.65, 0.55)),
    "apps": (Curve(2010, 0.040, 0.50, 0.99, 0.5, 0.6, 0.03, 1.0), 9, (0.70, 0.65, 0.45)),
    "selvbetjening": (
        Curve(2010, 0.050, 0.50, 0.99, 0.5, 0.7, 0.02, 1.0, "borgerservice"),
        9,
        (0.85, 0.60, 0.40),
    ),
    "virtual-reality": (Curve(2018, 0.006, 0.25, 0.40, 1.5, 0.3, 0.20, 3.0), 3, (0.25, 0.55, 0.45)),
    "sensorer": (
        Curve(2012, 0.025, 0.45, 0.92, 0.8, 0.55, 0.05, 1.5, "sundhed-og-aeldre"),
        7,
        (0.60, 0.75, 0.55),
    ),
    "sensormaatter": (
        Curve(2013, 0.020, 0.40, 0.80, 0.8, 0.5, 0.05, 1.5, "sundhed-og-aeldre"),
        7,
        (0.55, 0.80, 0.60),
    ),
    "gps-ure": (
        Curve(2012, 0.020, 0.35, 0.85, 0.8, 0.5, 0.05, 1.5, "sundhed-og-aeldre"),
        8,
        (0.40, 0.85, 0.50),
    ),
    "medicindispensere": (
        Curve(2014, 0.020, 0.40, 0.60, 1.0, 0.5, 0.06, 1.5),
        7,
        (0.70, 0.70, 0.45),
    ),
    "hygiejnerobotter": (
        Curve(2013, 0.015, 0.35, 0.60, 1.0, 0.4, 0.08, 2.0),
        7,
        (0.50, 0.75, 0.60),
    ),
    "loftlifte": (Curve(2008, 0.040, 0.45, 0.99, 0.5, 0.7, 0.02, 1.0), 9, (0.70, 0.60, 0.85)),
    "spiserobotter": (Curve(2014, 0.004, 0.20, 0.20, 1.5, 0.2, 0.25, 3.0), 3, (0.20, 0.80, 0.40)),
    "droner": (
        Curve(2016, 0.010, 0.30, 0.50, 1.2, 0.4, 0.12, 3.0, "klima-teknik-og-miljoe"),
        4,
        (0.60, 0.40, 0.30),
    ),
    "robotplaeneklippere": (
        Curve(2014, 0.020, 0.35, 0.75, 0.8, 0.5, 0.05, 2.0, "klima-teknik-og-miljoe"),
        8,
        (0.75, 0.30, 0.50),
    ),
    "intelligente-bygninger": (
        Curve(2015, 0.012, 0.30, 0.50, 1.5, 0.4, 0.08, 2.0, "klima-teknik-og-miljoe"),
        5,
        (0.70, 0.40, 0.35),
    ),
}
DEFAULT_PROFILE = (Curve(2015, 0.015, 0.40, 0.70), 6, (0.60, 0.55, 0.40))


def written_case_anchors() -> list[Anchor]:
    """The courses the written demo cases fix: each case's municipality started with its
    technologies in its domains when the case says."""
    return [
        Anchor(
            case.code,
            technology,
            domain,
            decimal_year(case.started),
            case.stage,
            decimal_year(case.ended) if case.ended else NEVER,
        )
        for case in WRITTEN
        for technology in case.technologies
        for domain in case.domains
    ]


def demo_paths(seed: int) -> dict[Key, Path]:
    """Every municipality's course with every technology in each of its domains, from the
    database's municipalities and catalogue; the same for the same seed."""
    populations = dict(
        Municipality.objects.filter(country=HOME_COUNTRY).values_list("code", "population")
    )
    technologies = [
        (
            technology.slug,
            [domain.slug for domain in technology.domains.all()],
            TECHNOLOGY_PROFILES.get(technology.slug, DEFAULT_PROFILE)[0],
        )
        for technology in Technology.objects.prefetch_related("domains")
    ]
    return adoption_paths(seed, populations, technologies, written_case_anchors())


def _value(chance: float, stage: str, rng: random.Random) -> str:
    if stage == v.NOT_RELEVANT:
        return ""
    if rng.random() < 0.07:
        return v.VALUE_DONT_KNOW
    if stage in v.EXPECTATION_STAGES:
        chance *= 0.8
    if rng.random() < chance:
        return v.VALUE_LARGE if rng.random() < chance * 0.6 else v.VALUE_SOME
    return v.VALUE_NONE


def load(seed: int, stdout: TextIO, today: dt.date | None = None) -> None:
    """Four published rounds (`today` is not used: these rounds lie in the past)."""
    rng = random.Random(seed)
    municipalities = list(Municipality.objects.filter(country=HOME_COUNTRY).order_by("code"))
    technologies = list(Technology.objects.prefetch_related("domains").order_by("slug"))
    paths = demo_paths(seed)
    largest = max(m.population for m in municipalities)

    ratings = []
    for technology in technologies:
        rating_2021 = TECHNOLOGY_PROFILES.get(technology.slug, DEFAULT_PROFILE)[1]
        for year in YEARS:
            rating = min(9, rating_2021 + (1 if year - 2021 >= 2 and rating_2021 < 8 else 0))
            ratings.append(MaturityRating(technology=technology, year=year, rating=rating))
    MaturityRating.objects.bulk_create(ratings)

    technology_domains = {t.slug: {d.slug for d in t.domains.all()} for t in technologies}
    domains_by_slug = {d.slug: d for t in technologies for d in t.domains.all()}
    for year in YEARS:
        round_ = Round.objects.create(
            year=year,
            opens_on=dt.date(year, 2, 1),
            closes_on=dt.date(year, 3, 31),
            status=Round.Status.PUBLISHED,
        )
        responses = []
        for municipality in municipalities:
            answer_rate = 0.70 + 0.2 * math.log10(municipality.population) / math.log10(largest)
            for domain in domains_by_slug.values():
                if rng.random() < answer_rate:
                    responses.append(
                        Response(
                            round=round_,
                            municipality=municipality,
                            domain=domain,
                            submitted_at=dt.datetime(year, 3, 15, 12, tzinfo=dt.UTC),
                        )
                    )
        Response.objects.bulk_create(responses)
        saved = Response.objects.filter(round=round_).select_related("municipality", "domain")
        answers = []
        for response in saved:
            code, domain_slug = response.municipality.code, response.domain.slug
            for technology in technologies:
                if domain_slug not in technology_domains[technology.slug]:
                    continue
                lean = TECHNOLOGY_PROFILES.get(technology.slug, DEFAULT_PROFILE)[2]
                true_stage = stage_at(
                    paths[(code, technology.slug, domain_slug)], year + SURVEY_TIME
                )
                stage = reported_stage(true_stage, rng.random(), UNDERSTATEMENT)
                answers.append(
                    Answer(
                        response=response,
                        technology=technology,
                        stage=stage,
                        value_efficiency=_value(lean[0], stage, rng),
                        value_quality=_value(lean[1], stage, rng),
                        value_wellbeing=_value(lean[2], stage, rng),
                    )
                )
        Answer.objects.bulk_create(answers, batch_size=2000)
        compute_round(round_, publish=True)
        # The radar of a round is published in its own year, after the survey closes.
        published = dt.datetime(year, 5, 15, 10, tzinfo=dt.UTC)
        Edition.objects.filter(round=round_).update(
            computed_at=published - dt.timedelta(days=7), published_at=published
        )
        stdout.write(f"  {year}: {len(responses)} responses, {len(answers)} answers\n")
