"""The response table of a round as plain records for the one writer: one row per
municipality and domain, with its state and invitation."""

from __future__ import annotations

from typing import Any

from kommuneradar.core.tabular import Field

from .services import PairRow

MONITORING_FIELDS = [
    Field("municipality_code", "kommunekode"),
    Field("municipality", "kommune"),
    Field("region", "region"),
    Field("domain", "fagområde"),
    Field("state", "status"),
    Field("submitted_at", "indsendt"),
    Field("recipient", "modtager"),
    Field("email", "e-mail"),
    Field("sent_at", "sendt"),
    Field("reminders", "påmindelser"),
]


def monitoring_records(pairs: list[PairRow]) -> list[dict[str, Any]]:
    """Recipients' names and addresses are typed by people, so the writer defuses them."""
    records = []
    for pair in pairs:
        invitation = pair.invitation
        records.append(
            {
                "municipality_code": pair.municipality.code,
                "municipality": pair.municipality.name,
                "region": pair.municipality.region_name,
                "domain": pair.domain.name_da,
                "state": pair.state,
                "submitted_at": pair.submitted_at.isoformat() if pair.submitted_at else None,
                "recipient": invitation.recipient_name if invitation else None,
                "email": invitation.recipient_email if invitation else None,
                "sent_at": invitation.sent_at.isoformat()
                if invitation and invitation.sent_at
                else None,
                "reminders": invitation.reminders_sent if invitation else None,
            }
        )
    return records
