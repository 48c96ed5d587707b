"""Editions are snapshots: computed per domain and overall, idempotent, frozen once published."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from kommuneradar.accounts.models import User
from kommuneradar.catalog.models import Technology
from kommuneradar.radar.editions import compute_round, published_edition
from kommuneradar.radar.models import Blip, Edition, RingOverride
from kommuneradar.surveys.models import Answer

from .conftest import MakeRound

USERS = ["in_operation"] * 6 + ["considering"] * 4


def snapshot() -> list[tuple[object, ...]]:
    return list(
        Blip.objects.order_by("edition__scope", "technology__slug").values_list(
            "edition__scope",
            "edition__revision",
            "technology__slug",
            "users",
            "respondents",
            "score",
            "computed_ring",
            "movement",
        )
    )


def test_an_edition_per_domain_and_one_for_all_domains(make_round: MakeRound) -> None:
    round_ = make_round(2024, {"skaermbesoeg": USERS})
    results = compute_round(round_)
    scopes = {result.scope for result in results}
    assert "alle" in scopes and "sundhed-og-aeldre" in scopes and len(scopes) == 9
    blip = Blip.objects.get(edition__scope="sundhed-og-aeldre", technology__slug="skaermbesoeg")
    assert (blip.users, blip.respondents, blip.diffusion) == (6, 10, 0.6)


def test_compute_radar_twice_gives_identical_editions(make_round: MakeRound) -> None:
    make_round(2024, {"skaermbesoeg": USERS, "sensorer": ["piloting"] * 7})
    call_command("compute_radar", "--round", "2024", stdout=StringIO())
    first = snapshot()
    editions = list(Edition.objects.values_list("pk", "computed_at", "fingerprint"))
    out = StringIO()
    call_command("compute_radar", "--round", "2024", stdout=out)
    assert snapshot() == first
    assert list(Edition.objects.values_list("pk", "computed_at", "fingerprint")) == editions
    assert "unchanged" in out.getvalue()


def test_a_published_edition_does_not_change_when_answers_change(make_round: MakeRound) -> None:
    round_ = make_round(2024, {"skaermbesoeg": USERS})
    compute_round(round_, publish=True)
    published = published_edition(2024, "sundhed-og-aeldre")
    assert published is not None
    Answer.objects.filter(stage="considering").update(stage="scaled")
    compute_round(round_)
    published.refresh_from_db()
    frozen = published.blips.get(technology__slug="skaermbesoeg")
    assert frozen.users == 6
    draft = Edition.objects.get(round=round_, scope="sundhed-og-aeldre", revision=2)
    assert draft.status == Edition.Status.DRAFT
    assert draft.blips.get(technology__slug="skaermbesoeg").users == 10
    assert published_edition(2024, "sundhed-og-aeldre") == published


def test_fewer_than_five_respondents_are_stored_but_not_placed(make_round: MakeRound) -> None:
    round_ = make_round(2024, {"skaermbesoeg": ["scaled"] * 4})
    compute_round(round_)
    blip = Blip.objects.get(edition__scope="sundhed-og-aeldre", technology__slug="skaermbesoeg")
    assert blip.suppressed and blip.computed_ring == "" and blip.score is None


def test_movement_against_the_previous_published_edition(make_round: MakeRound) -> None:
    compute_round(make_round(2023, {"skaermbesoeg": ["considering"] * 10}, rating=5), publish=True)
    compute_round(make_round(2024, {"skaermbesoeg": ["scaled"] * 10}, rating=5), publish=True)
    blip = Blip.objects.get(
        edition__round__year=2024,
        edition__scope="sundhed-og-aeldre",
        technology__slug="skaermbesoeg",
    )
    assert blip.movement == "moved_in"


def test_an_override_keeps_the_computed_ring_and_its_reason(
    make_round: MakeRound, analyst: User
) -> None:
    round_ = make_round(2024, {"skaermbesoeg": USERS})
    RingOverride.objects.create(
        round=round_,
        scope="sundhed-og-aeldre",
        technology=Technology.objects.get(slug="skaermbesoeg"),
        ring="klar",
        reason="Proven at scale in the 2023 partnership",
        author=analyst,
    )
    compute_round(round_)
    blip = Blip.objects.get(edition__scope="sundhed-og-aeldre", technology__slug="skaermbesoeg")
    assert blip.ring == "klar" and blip.computed_ring == "afproev"
    assert blip.override_reason == "Proven at scale in the 2023 partnership"


def test_compute_radar_names_a_missing_round(db: object) -> None:
    with pytest.raises(CommandError, match="no survey round 1999"):
        call_command("compute_radar", "--round", "1999")


def test_an_override_without_a_reason_is_refused(make_round: MakeRound) -> None:
    round_ = make_round(2024, {"skaermbesoeg": USERS})
    with pytest.raises(IntegrityError):
        RingOverride.objects.create(
            round=round_,
            scope="alle",
            technology=Technology.objects.get(slug="skaermbesoeg"),
            ring="klar",
            reason="",
        )
