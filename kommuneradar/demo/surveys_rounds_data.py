"""Demo survey round 2025, open: a named contact per municipality and domain, invitations
sent in February, reminders for the slow ones, and answers carried forward from 2024 with
some municipalities a step further. Prints one working questionnaire link (Vejle, health)."""

from __future__ import annotations

import datetime as dt
import random
from typing import TextIO

from kommuneradar.catalog.models import Domain
from kommuneradar.places.models import Municipality
from kommuneradar.surveys import rules, services
from kommuneradar.surveys import vocabulary as v
from kommuneradar.surveys.models import Answer, Contact, Invitation, Response, Round

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
# One step further along for a municipality that moved on since 2024.
NEXT_STAGE = {
    v.NOT_CONSIDERING: v.CONSIDERING,
    v.CONSIDERING: v.PILOTING,
    v.PILOTING: v.IN_OPERATION,
    v.IN_OPERATION: v.SCALED,
}
DEMO_LINK = ("630", "sundhed-og-aeldre")


def _contacts(rng: random.Random) -> None:
    contacts = []
    for municipality in Municipality.objects.order_by("code"):
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


def load(seed: int, stdout: TextIO) -> None:
    rng = random.Random(seed + 2025)
    _contacts(rng)
    round_ = Round.objects.create(
        year=YEAR, opens_on=dt.date(YEAR, 2, 1), closes_on=dt.date(YEAR, 3, 31)
    )
    services.move_round(round_, Round.Status.OPEN, None)
    sent = dt.datetime(YEAR, 2, 3, 9, tzinfo=dt.UTC)
    Invitation.objects.filter(round=round_).update(sent_at=sent, last_sent_at=sent)

    previous = Response.objects.filter(round__year=YEAR - 1).select_related(
        "municipality", "domain"
    )
    carried = {(r.municipality_id, r.domain_id): r for r in previous}
    old_answers: dict[int, list[Answer]] = {}
    for answer in Answer.objects.filter(response__round__year=YEAR - 1):
        old_answers.setdefault(answer.response_id, []).append(answer)
    demo_pair = (
        Municipality.objects.get(code=DEMO_LINK[0]).pk,
        Domain.objects.get(slug=DEMO_LINK[1]).pk,
    )

    responses, states = [], []
    for key, old in sorted(carried.items()):
        draw = rng.random()
        if key == demo_pair or draw > 0.70:
            continue  # not started yet
        is_submitted = draw < 0.58
        submitted_at = sent + dt.timedelta(days=rng.randint(1, 40)) if is_submitted else None
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
    answers = []
    for old in states:
        for answer in old_answers.get(old.pk, []):
            stage = answer.stage
            if stage in NEXT_STAGE and rng.random() < 0.15:
                stage = NEXT_STAGE[stage]
            experienced = stage in v.EXPERIENCE_STAGES
            answers.append(
                Answer(
                    response_id=new_ids[(old.municipality_id, old.domain_id)],
                    technology_id=answer.technology_id,
                    stage=stage,
                    value_efficiency=answer.value_efficiency if stage != v.NOT_RELEVANT else "",
                    value_quality=answer.value_quality if stage != v.NOT_RELEVANT else "",
                    value_wellbeing=answer.value_wellbeing if stage != v.NOT_RELEVANT else "",
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
        reminders_sent=1, last_sent_at=dt.datetime(YEAR, 3, 10, 9, tzinfo=dt.UTC)
    )
    demo = Invitation.objects.get(
        round=round_, municipality_id=demo_pair[0], domain_id=demo_pair[1]
    )
    token = rules.new_token()
    demo.token_hash = rules.hash_token(token)
    demo.save(update_fields=["token_hash"])
    stdout.write(
        f"  {YEAR}: open, {len(responses)} responses ({len(submitted)} submitted), "
        f"{len(answers)} answers; demo questionnaire for Vejle, Sundhed og ældre: "
        f"/spoergeskema/{token}/\n"
    )
