"""Demo survey round 2025, open: a named contact per municipality and domain, invitations,
reminders for the slow ones, and answers from the same courses as the published rounds
(`survey_data.demo_paths`), so some municipalities are a step further than in 2024.

The round runs around the day the demo is loaded (opened six weeks before, closing four
weeks after), so its deadline is always ahead of whoever looks at the demo. Prints one
working questionnaire link (Vejle, health)."""

from __future__ import annotations

import datetime as dt
import random
from typing import TextIO

from django.utils import timezone

from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.core import tokens
from kommuneradar.places.models import Municipality
from kommuneradar.places.naming import HOME_COUNTRY
from kommuneradar.surveys import services
from kommuneradar.surveys import vocabulary as v
from kommuneradar.surveys.models import Answer, Contact, Invitation, Response, Round

from .adoption import reported_stage, stage_at
from .survey_data import SURVEY_TIME, UNDERSTATEMENT, demo_paths

YEAR = 2025
FIRST_NAMES = [
    "Anne", "Bo", "Camilla", "Dorthe", "Erik", "Frederik", "Gitte", "Hanne", "Ida", "Jesper",
    "Karen", "Lars", "Mette", "Niels", "Ole", "Pia", "Rasmus", "Sofie", "Thomas", "Ulla",
]  # fmt: skip
LAST_NAMES = [
    "Andersen", "Bech", "Christensen", "Dam", "Eriksen", "Frandsen", "Holm", "Jensen", "Kjær",
    "Lund", "Mikkelsen", "Nielsen", "Olsen", "Poulsen", "Rasmussen", "Schmidt", "Thomsen",
]  # fmt: skip
ROLES = ["Digitaliseringskonsulent", "Teknologikonsulent", "Udviklingschef", "Projektleder"]
OPEN_FOR = dt.timedelta(weeks=6)  # how long before the load day the round opened
CLOSES_AFTER = dt.timedelta(weeks=4)  # how long after the load day it closes
DEMO_LINK = ("630", "sundhed-og-aeldre")


def _contacts(rng: random.Random) -> None:
    contacts = []
    for municipality in Municipality.objects.filter(country=HOME_COUNTRY).order_by("code"):
        for domain in Domain.objects.order_by("order"):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            contacts.append(
                Contact(
                    municipality=municipality,
                    domain=domain,
                    name=f"{first} {last}",
                    email=f"{first}.{last}@{municipality.slug}.kommune.example".lower(),
                    role=f"{rng.choice(ROLES)}, {domain.name_da}",
                )
            )
    Contact.objects.bulk_create(contacts)


def _carried(value: str, stage: str) -> str:
    """Last year's value answer, for a stage that may have changed since."""
    if stage == v.NOT_RELEVANT:
        return ""
    return value or v.VALUE_DONT_KNOW


def load(seed: int, stdout: TextIO, today: dt.date | None = None) -> None:
    """The open round, dated around `today` (the load day; the current date if not given)."""
    today = today or timezone.localdate()
    rng = random.Random(seed + 2025)
    _contacts(rng)
    opens_on = today - OPEN_FOR
    round_ = Round.objects.create(year=YEAR, opens_on=opens_on, closes_on=today + CLOSES_AFTER)
    services.move_round(round_, Round.Status.OPEN, None)
    sent = dt.datetime.combine(opens_on + dt.timedelta(days=2), dt.time(9), tzinfo=dt.UTC)
    answering_days = (today - sent.date()).days - 1
    Invitation.objects.filter(round=round_).update(sent_at=sent, last_sent_at=sent)

    previous = Response.objects.filter(round__year=YEAR - 1).select_related(
        "municipality", "domain"
    )
    carried = {(r.municipality_id, r.domain_id): r for r in previous}
    old_answers: dict[int, list[Answer]] = {}
    for answer in Answer.objects.filter(response__round__year=YEAR - 1):
        old_answers.setdefault(answer.response_id, []).append(answer)
    demo_pair = (
        Municipality.objects.get(country=HOME_COUNTRY, code=DEMO_LINK[0]).pk,
        Domain.objects.get(slug=DEMO_LINK[1]).pk,
    )

    responses, states = [], []
    for key, old in sorted(carried.items()):
        draw = rng.random()
        if key == demo_pair or draw > 0.70:
            continue  # not started yet
        is_submitted = draw < 0.58
        submitted_at = (
            sent + dt.timedelta(days=rng.randint(1, answering_days), hours=rng.randint(0, 8))
            if is_submitted
            else None
        )
        responses.append(
            Response(
                round=round_, municipality_id=key[0], domain_id=key[1], submitted_at=submitted_at
            )
        )
        states.append(old)
    Response.objects.bulk_create(responses)
    new_ids = {
        (r.municipality_id, r.domain_id): r.pk for r in Response.objects.filter(round=round_)
    }
    paths = demo_paths(seed)
    codes = dict(Municipality.objects.filter(country=HOME_COUNTRY).values_list("pk", "code"))
    technology_slugs = dict(Technology.objects.values_list("pk", "slug"))
    domain_slugs = dict(Domain.objects.values_list("pk", "slug"))
    answers = []
    for old in states:
        for answer in old_answers.get(old.pk, []):
            course = (
                codes[old.municipality_id],
                technology_slugs[answer.technology_id],
                domain_slugs[old.domain_id],
            )
            stage = reported_stage(
                stage_at(paths[course], YEAR + SURVEY_TIME), rng.random(), UNDERSTATEMENT
            )
            experienced = stage in v.EXPERIENCE_STAGES
            answers.append(
                Answer(
                    response_id=new_ids[(old.municipality_id, old.domain_id)],
                    technology_id=answer.technology_id,
                    stage=stage,
                    value_efficiency=_carried(answer.value_efficiency, stage),
                    value_quality=_carried(answer.value_quality, stage),
                    value_wellbeing=_carried(answer.value_wellbeing, stage),
                    comment="Taget i brug efter en vellykket afprøvning."
                    if experienced and rng.random() < 0.01
                    else "",
                )
            )
    Answer.objects.bulk_create(answers, batch_size=2000)

    submitted = set(
        Response.objects.filter(round=round_, submitted_at__isnull=False).values_list(
            "municipality_id", "domain_id"
        )
    )
    reminded = [
        i.pk
        for i in Invitation.objects.filter(round=round_)
        if (i.municipality_id, i.domain_id) not in submitted and rng.random() < 0.6
    ]
    Invitation.objects.filter(pk__in=reminded).update(
        reminders_sent=1,
        last_sent_at=dt.datetime.combine(today - dt.timedelta(days=7), dt.time(9), tzinfo=dt.UTC),
    )
    demo = Invitation.objects.get(
        round=round_, municipality_id=demo_pair[0], domain_id=demo_pair[1]
    )
    token = tokens.new_token()
    demo.token_hash = tokens.hash_token(token)
    demo.save(update_fields=["token_hash"])
    stdout.write(
        f"  {YEAR}: open, {len(responses)} responses ({len(submitted)} submitted), "
        f"{len(answers)} answers; demo questionnaire for Vejle, Sundhed og ældre: "
        f"/spoergeskema/{token}/\n"
    )
