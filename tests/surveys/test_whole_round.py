"""A whole round, as the people involved do it: open, invite, answer, monitor, close, publish."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from kommuneradar.catalog.models import Domain, MaturityRating, Technology
from kommuneradar.places.models import Municipality
from kommuneradar.radar.editions import published_edition
from kommuneradar.radar.models import Edition
from kommuneradar.surveys.models import Answer, Contact, Response, Round

from .conftest import full_answers

pytestmark = pytest.mark.django_db


def test_a_whole_round_from_opening_to_the_published_radar(
    client: Client, analyst: Any, health: Domain
) -> None:
    respondents = list(Municipality.objects.order_by("code")[:6])
    for municipality in respondents:
        Contact.objects.create(
            municipality=municipality,
            domain=health,
            name=f"Kontakt {municipality.name}",
            email=f"digital@{municipality.slug}.example",
        )
    staff = Client()
    staff.force_login(analyst)

    # The analyst creates and opens the round; invitations go out.
    staff.post("/runder/", {"year": "2025", "opens_on": "2025-02-01", "closes_on": "2025-03-31"})
    staff.post("/runder/2025/status/", {"status": "open"})
    staff.post("/runder/2025/send/")
    assert len(mail.outbox) == len(respondents)

    # Each respondent follows the link from the e-mail: a draft first, then submits.
    for message in mail.outbox:
        link = re.search(r"http://testserver(/spoergeskema/[\w-]+/)", str(message.body))
        assert link is not None
        respondent = Client()
        assert respondent.get(link.group(1)).status_code == 200
        half = {key: value for key, value in full_answers(health).items() if key.endswith("stage")}
        assert respondent.post(link.group(1), {**half, "save": "1"}).status_code == 302
        assert (
            respondent.post(link.group(1), {**full_answers(health), "submit": "1"}).status_code
            == 302
        )
    assert Response.objects.filter(submitted_at__isnull=False).count() == len(respondents)

    # The analyst monitors, rates maturity, closes, reviews and publishes.
    monitor = staff.get("/runder/2025/").content.decode()
    assert f"{len(respondents)} af 784 forventede besvarelser er indsendt" in monitor
    ratings = {f"r{t.pk}-rating": "7" for t in Technology.objects.filter(domains=health)}
    assert staff.post("/runder/2025/modenhed/", ratings).status_code == 302
    staff.post("/runder/2025/status/", {"status": "closed"})
    staff.post("/runder/2025/udgivelse/", {"action": "compute"})
    review = staff.get("/runder/2025/udgivelse/").content.decode()
    assert "Placeringer for alle fagområder, runde 2025" in review
    staff.post("/runder/2025/udgivelse/", {"action": "publish"})
    assert Round.objects.get(year=2025).status == Round.Status.PUBLISHED

    edition = published_edition(2025, "alle")
    assert edition is not None
    assert edition.respondents == len(respondents)
    assert edition.blips.filter(suppressed=False).exists()
    radar = Client().get("/radar/2025/")
    if radar.status_code == 200:
        assert "2025" in radar.content.decode()


def test_a_correction_is_a_new_revision_that_says_why(analyst: Any, health: Domain) -> None:
    round_ = Round.objects.create(
        year=2025, opens_on=dt.date(2025, 2, 1), closes_on=dt.date(2025, 3, 1), status="closed"
    )
    technology = Technology.objects.filter(domains=health).first()
    assert technology is not None
    MaturityRating.objects.create(technology=technology, year=2025, rating=6)
    for municipality in Municipality.objects.order_by("code")[:5]:
        response = Response.objects.create(
            round=round_,
            municipality=municipality,
            domain=health,
            submitted_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC),
        )
        Answer.objects.create(response=response, technology=technology, stage="considering")
    staff = Client()
    staff.force_login(analyst)
    staff.post("/runder/2025/udgivelse/", {"action": "publish"})
    first = published_edition(2025, health.slug)
    assert first is not None and first.revision == 1

    Answer.objects.filter(technology=technology).update(stage="in_operation")
    refused = staff.post("/runder/2025/udgivelse/", {"action": "publish", "change_note": ""})
    assert refused.status_code == 400
    assert published_edition(2025, health.slug) == first
    staff.post(
        "/runder/2025/udgivelse/",
        {"action": "publish", "change_note": "Aabenraa rettede fem svar efter udgivelsen."},
    )
    latest = published_edition(2025, health.slug)
    assert latest is not None and latest.revision == 2
    assert latest.change_note == "Aabenraa rettede fem svar efter udgivelsen."
    first.refresh_from_db()
    assert first.status == Edition.Status.PUBLISHED and first.change_note == ""
