"""Open data about survey rounds: which rounds exist and their status (no answers)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from .models import Round

router = Router(tags=["surveys"])


class RoundOut(Schema):
    year: int
    status: str
    opens_on: dt.date
    closes_on: dt.date


@router.get("/rounds", response=list[RoundOut], summary="Survey rounds and their status")
def rounds(request: HttpRequest) -> list[RoundOut]:
    return [
        RoundOut(year=r.year, status=r.status, opens_on=r.opens_on, closes_on=r.closes_on)
        for r in Round.objects.order_by("-year")
    ]
