"""Demo survey rounds 2021-2024: every municipality and domain, answers following a
Bass curve per technology, larger municipalities adopting earlier."""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import TextIO

from kommuneradar.catalog.models import MaturityRating, Technology
from kommuneradar.places.models import Municipality
from kommuneradar.radar.editions import compute_round
from kommuneradar.surveys import vocabulary as v
from kommuneradar.surveys.models import Answer, Response, Round

from .bass import bass_cumulative

YEARS = (2021, 2022, 2023, 2024)

# slug: (launch year, innovation p, imitation q, maturity rating in 2021, value leaning
# (efficiency, quality, wellbeing) as the chance that a user reports some or large value)
TECHNOLOGY_PROFILES: dict[str, tuple[int, float, float, int, tuple[float, float, float]]] = {
    "machine-learning": (2016, 0.010, 0.35, 4, (0.65, 0.45, 0.30)),
    "generativ-ai": (2022, 0.030, 0.90, 2, (0.70, 0.35, 0.40)),
    "chatbots": (2016, 0.015, 0.45, 6, (0.60, 0.50, 0.35)),
    "tale-til-tekst": (2015, 0.012, 0.40, 6, (0.70, 0.40, 0.60)),
    "billedgenkendelse": (2017, 0.008, 0.35, 4, (0.60, 0.55, 0.30)),
    "praediktiv-analyse": (2016, 0.008, 0.30, 4, (0.55, 0.60, 0.25)),
    "dataplatforme": (2013, 0.020, 0.40, 7, (0.70, 0.50, 0.35)),
    "rpa": (2014, 0.030, 0.60, 8, (0.90, 0.40, 0.55)),
    "intelligent-automatisering": (2018, 0.012, 0.45, 5, (0.80, 0.40, 0.45)),
    "cloud": (2010, 0.030, 0.45, 8, (0.65, 0.30, 0.30)),
    "systemintegration": (2010, 0.025, 0.40, 8, (0.80, 0.50, 0.45)),
    "low-code": (2018, 0.015, 0.40, 5, (0.65, 0.30, 0.40)),
    "digital-signatur-og-post": (2010, 0.050, 0.50, 9, (0.85, 0.55, 0.40)),
    "skaermbesoeg": (2013, 0.030, 0.55, 8, (0.80, 0.70, 0.50)),
    "traeningsvideoer": (2014, 0.025, 0.45, 7, (0.55, 0.80, 0.45)),
    "telemedicin": (2012, 0.020, 0.40, 7, (0.55, 0.80, 0.40)),
    "videoloesninger": (2010, 0.050, 0.60, 9, (0.85, 0.65, 0.55)),
    "apps": (2010, 0.040, 0.50, 9, (0.70, 0.65, 0.45)),
    "selvbetjening": (2010, 0.050, 0.50, 9, (0.85, 0.60, 0.40)),
    "virtual-reality": (2018, 0.006, 0.25, 3, (0.25, 0.55, 0.45)),
    "sensorer": (2012, 0.025, 0.45, 7, (0.60, 0.75, 0.55)),
    "sensormaatter": (2013, 0.020, 0.40, 7, (0.55, 0.80, 0.60)),
    "gps-ure": (2012, 0.020, 0.35, 8, (0.40, 0.85, 0.50)),
    "medicindispensere": (2014, 0.020, 0.40, 7, (0.70, 0.70, 0.45)),
    "hygiejnerobotter": (2013, 0.015, 0.35, 7, (0.50, 0.75, 0.60)),
    "loftlifte": (2008, 0.040, 0.45, 9, (0.70, 0.60, 0.85)),
    "spiserobotter": (2014, 0.004, 0.20, 3, (0.20, 0.80, 0.40)),
    "droner": (2016, 0.010, 0.30, 4, (0.60, 0.40, 0.30)),
    "robotplaeneklippere": (2014, 0.020, 0.35, 8, (0.75, 0.30, 0.50)),
    "intelligente-bygninger": (2015, 0.012, 0.30, 5, (0.70, 0.40, 0.35)),
}
DEFAULT_PROFILE = (2015, 0.015, 0.40, 6, (0.60, 0.55, 0.40))


def _propensities(municipalities: list[Municipality], rng: random.Random) -> dict[str, float]:
    """0 adopts first, 1 last: mostly by population rank, partly by chance."""
    by_size = sorted(municipalities, key=lambda m: -m.population)
    count = len(by_size)
    return {
        m.code: 0.6 * (rank / max(count - 1, 1)) + 0.4 * rng.random()
        for rank, m in enumerate(by_size)
    }


def _stage(
    threshold: float, year: int, curve: tuple[int, float, float, float], rng: random.Random
) -> str:
    """The stage a municipality with this adoption threshold has reached by `year`."""
    launch, p, q, ceiling = curve

    def adopted(at: float) -> float:
        return ceiling * bass_cumulative(at - launch, p, q)

    if rng.random() < 0.04:
        return v.NOT_RELEVANT
    now = adopted(year)
    if now > threshold:
        return v.SCALED if now - threshold > 0.30 else v.IN_OPERATION
    if adopted(year + 1.5) > threshold:
        return v.DISCONTINUED if rng.random() < 0.08 else v.PILOTING
    if adopted(year + 4) > threshold:
        return v.CONSIDERING
    return v.NOT_CONSIDERING


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


def load(seed: int, stdout: TextIO) -> None:
    rng = random.Random(seed)
    municipalities = list(Municipality.objects.order_by("code"))
    technologies = list(Technology.objects.prefetch_related("domains").order_by("slug"))
    propensity = _propensities(municipalities, rng)
    largest = max(m.population for m in municipalities)
    domain_offsets = {
        (m.code, t.slug, d.slug): rng.uniform(-0.08, 0.08)
        for m in municipalities
        for t in technologies
        for d in t.domains.all()
    }
    thresholds = {
        (m.code, t.slug): min(0.98, max(0.01, 0.75 * propensity[m.code] + 0.25 * rng.random()))
        for m in municipalities
        for t in technologies
    }

    ratings = []
    for technology in technologies:
        _launch, _p, _q, rating_2021, _lean = TECHNOLOGY_PROFILES.get(
            technology.slug, DEFAULT_PROFILE
        )
        for year in YEARS:
            rating = min(9, rating_2021 + (1 if year - 2021 >= 2 and rating_2021 < 8 else 0))
            ratings.append(MaturityRating(technology=technology, year=year, rating=rating))
    MaturityRating.objects.bulk_create(ratings)

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
                if domain_slug not in {d.slug for d in technology.domains.all()}:
                    continue
                launch, p, q, rating_2021, lean = TECHNOLOGY_PROFILES.get(
                    technology.slug, DEFAULT_PROFILE
                )
                # Even mature technologies stop short of every municipality.
                curve = (launch + 1, p, q, 0.30 + 0.07 * (rating_2021 - 1))
                threshold = (
                    thresholds[(code, technology.slug)]
                    + domain_offsets[(code, technology.slug, domain_slug)]
                )
                stage = _stage(threshold, year, curve, rng)
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
        stdout.write(f"  {year}: {len(responses)} responses, {len(answers)} answers\n")
