"""No page's query count grows with the data: the pages of published data, the lists of
municipalities and the searches run as many queries beside 20 synthetic local governments
as beside 200 (`load_scale_demo`'s data set, one survey round, each answering every
technology in every domain), each computed afresh (a new published-data version)."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kommuneradar.accounts.models import User
from kommuneradar.core import published
from kommuneradar.surveys.models import Answer
from tests.conftest import MakeRound
from tests.core.test_page_queries import _data

PAGES = [
    "/radar/2024/",
    "/radar/2024/sundhed-og-aeldre/",
    "/teknologi/skaermbesoeg/",
    "/kommuner/101/",
    "/kommuner/xs/S00001/",
    "/kommuner/",
    "/kommuner/?q=syntetisk",
    "/kommuner/?side=2",
    "/gevinster/",
    "/gevinster/projekter/?kommune=Vejle",
    "/cases/?q=sk%C3%A6rmbes%C3%B8g",
    "/cases/?kommune=101",
    "/api/v1/editions/2024/alle",
    "/api/v1/municipalities?limit=50",
    "/api/v1/municipalities/xs:S00001",
]


def _counts(client: Client) -> dict[str, int]:
    published.bump()
    counts = {}
    for path in PAGES:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, path
        counts[path] = len(captured.captured_queries)
    return counts


def _scale(organisations: int, *extra: str) -> None:
    call_command(
        "load_scale_demo",
        "--organisations",
        str(organisations),
        "--rounds",
        "1",
        *extra,
        stdout=StringIO(),
    )


def test_no_page_runs_more_queries_beside_ten_times_as_many_organisations(
    client: Client, make_round: MakeRound
) -> None:
    _data(make_round, 12, (2024,))
    _scale(20)
    few = _counts(client)
    _scale(200, "--replace")
    assert Answer.objects.filter(response__municipality__country="XS").count() == 200 * 8 * 30
    many = _counts(client)
    assert few == many


MONITORING = [
    "/runder/2024/",
    "/runder/2024/?side=2",
    "/runder/2024/?q=syntetisk&status=not_submitted",
    "/runder/2024/?land=XS&status=submitted",
]


def _monitoring_counts(client: Client) -> dict[str, int]:
    counts = {}
    for path in MONITORING:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, path
        counts[path] = len(captured.captured_queries)
    return counts


def test_the_monitoring_page_runs_as_many_queries_beside_ten_times_as_many_organisations(
    client: Client, make_round: MakeRound, analyst: User
) -> None:
    _data(make_round, 12, (2024,))
    client.force_login(analyst)
    _scale(20)
    few = _monitoring_counts(client)
    _scale(200, "--replace")
    many = _monitoring_counts(client)
    assert few == many
    page = client.get("/runder/2024/?land=XS").content.decode()
    pairs = page.split('id="pairs-caption"')[1].split("</tbody>")[0]
    assert pairs.count('<th scope="row">Syntetisk') == 100
