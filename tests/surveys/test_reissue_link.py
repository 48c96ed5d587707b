"""`reissue_survey_link`: the runbook's answer to a leaked questionnaire link."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from kommuneradar.accounts.models import AuditEntry
from kommuneradar.catalog.models import Domain
from kommuneradar.places.models import Municipality
from kommuneradar.surveys import services
from kommuneradar.surveys.models import Invitation, Round

from .conftest import issue_token


def _reissue(*args: str) -> str:
    out = StringIO()
    call_command("reissue_survey_link", *args, stdout=out)
    return out.getvalue()


def _link_token(body: str) -> str:
    match = re.search(r"/spoergeskema/([^/\s]+)/", body)
    assert match, body
    return match[1]


def test_a_leaked_link_stops_working_and_the_recipient_is_mailed_a_new_one(
    client: Client, vejle_token: str, aarhus_token: str
) -> None:
    assert client.get(f"/spoergeskema/{vejle_token}/").status_code == 200
    out = _reissue("--round", "2025", "--municipality", "Vejle")

    assert "new link e-mailed to vera@vejle.example" in out
    assert client.get(f"/spoergeskema/{vejle_token}/").status_code == 404
    assert [message.to for message in mail.outbox] == [["vera@vejle.example"]]
    new_token = _link_token(str(mail.outbox[0].body))
    assert client.get(f"/spoergeskema/{new_token}/").status_code == 200
    # another municipality's link is not touched
    assert client.get(f"/spoergeskema/{aarhus_token}/").status_code == 200
    assert AuditEntry.objects.filter(action="invitation_reissued").count() == 1


def test_a_link_without_a_recipient_is_only_revoked(
    open_round: Round, vejle: Municipality, health: Domain
) -> None:
    other = Invitation.objects.filter(round=open_round, municipality=vejle).exclude(domain=health)
    invitation = other.filter(recipient_email="").first()
    assert invitation is not None
    token = issue_token(invitation)
    out = _reissue("--round", "2025", "--municipality", "630", "--domain", invitation.domain.slug)
    assert "old link revoked; no new link sent because there is no recipient" in out
    assert services.invitation_for_token(token) is None
    assert mail.outbox == []


def test_in_a_closed_round_the_link_is_revoked_and_no_mail_is_sent(
    vejle_token: str, open_round: Round
) -> None:
    services.move_round(open_round, Round.Status.CLOSED, None)
    out = _reissue("--round", "2025", "--municipality", "0630")
    assert "because the round is not open" in out
    invitation = Invitation.objects.get(
        round=open_round, municipality__code="630", domain__slug="sundhed-og-aeldre"
    )
    assert invitation.revoked_at is not None and invitation.token_hash == ""
    assert mail.outbox == []


def test_invitations_never_sent_are_left_alone(open_round: Round, vejle_token: str) -> None:
    out = _reissue("--round", "2025", "--municipality", "630")
    assert "no link has been sent, nothing to stop" in out
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--round", "1999", "--municipality", "630"], "there is no survey round 1999"),
        (["--round", "2025", "--municipality", "Atlantis"], "no municipality is called"),
        (["--round", "2025", "--municipality", "630", "--domain", "nope"], "no domain has"),
    ],
)
def test_it_refuses_what_does_not_exist(open_round: Round, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        _reissue(*args)
