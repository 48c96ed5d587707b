"""Validation: messages beside the field, what was typed kept, nothing saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from kommuneradar.accounts.models import AuditEntry, User
from kommuneradar.benefits.forms import BusinessCaseForm
from kommuneradar.benefits.models import FollowUp, Project
from kommuneradar.places.models import Municipality

from .factories import make_project

pytestmark = pytest.mark.django_db

VALID_CASE = {
    "one_off_cost": "200000",
    "running_cost": "30000",
    "gain_dkk": "150000",
    "hours_freed": "1924",
    "horizon_years": "5",
    "discount_rate_percent": "3,5",
}
NO_INDICATORS = {"indicators-TOTAL_FORMS": "0", "indicators-INITIAL_FORMS": "0"}


def test_negative_hours_and_costs_are_refused() -> None:
    form = BusinessCaseForm({**VALID_CASE, "hours_freed": "-5", "one_off_cost": "-1"})
    assert not form.is_valid()
    assert "hours_freed" in form.errors
    assert "one_off_cost" in form.errors


@pytest.mark.parametrize("rate", ["-1", "20,5", "35"])
def test_the_rate_must_lie_between_0_and_20_percent(rate: str) -> None:
    form = BusinessCaseForm({**VALID_CASE, "discount_rate_percent": rate})
    assert not form.is_valid()
    assert "discount_rate_percent" in form.errors


@pytest.mark.parametrize("rate", ["0", "3,5", "20"])
def test_rates_from_0_to_20_percent_are_accepted(rate: str) -> None:
    assert BusinessCaseForm({**VALID_CASE, "discount_rate_percent": rate}).is_valid()


def test_three_point_estimates_must_be_in_order() -> None:
    form = BusinessCaseForm(
        {
            **VALID_CASE,
            "hours_freed_pessimistic": "3000",  # more than likely: not pessimistic
            "one_off_cost_optimistic": "300000",  # costlier than likely: not optimistic
        }
    )
    assert not form.is_valid()
    assert "hours_freed_pessimistic" in form.errors
    assert "one_off_cost_optimistic" in form.errors


def test_a_follow_up_before_the_start_is_refused_and_the_input_kept(
    client: Client, vejle: Municipality, vejle_editor: User
) -> None:
    project = make_project(vejle, start_date=dt.date(2023, 1, 1))
    client.force_login(vejle_editor)
    response = client.post(
        f"/gevinster/projekter/{project.pk}/opfoelgning/",
        {"measured_on": "2022-12-31", "hours_freed": "123,5"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "på eller efter projektets start" in body
    assert 'value="123,5"' in body
    assert not FollowUp.objects.exists()


def test_a_follow_up_with_negative_hours_is_refused(
    client: Client, vejle: Municipality, vejle_editor: User
) -> None:
    project = make_project(vejle)
    client.force_login(vejle_editor)
    response = client.post(
        f"/gevinster/projekter/{project.pk}/opfoelgning/",
        {"measured_on": "2024-01-01", "hours_freed": "-10"},
    )
    assert response.status_code == 400
    assert "Skal være nul eller mere." in response.content.decode()


def test_a_valid_follow_up_is_saved_with_an_audit_entry(
    client: Client, vejle: Municipality, vejle_editor: User
) -> None:
    project = make_project(vejle)
    client.force_login(vejle_editor)
    response = client.post(
        f"/gevinster/projekter/{project.pk}/opfoelgning/",
        {"measured_on": "2024-01-01", "hours_freed": "1500", "note": "Målt i planlægningen"},
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    assert follow_up.hours_freed == 1500
    assert AuditEntry.objects.get().object_type == "benefits.FollowUp"
    assert "Opfølgningen er gemt." in client.get(response["Location"]).content.decode()


def test_the_start_date_cannot_move_after_the_first_follow_up(
    client: Client, vejle: Municipality, vejle_editor: User
) -> None:
    project = make_project(vejle, follow_ups=((dt.date(2023, 6, 1), 100),))
    client.force_login(vejle_editor)
    page = client.get(f"/gevinster/projekter/{project.pk}/rediger/")
    data = {
        **{f"project-{k}": v for k, v in page.context["project_form"].initial.items()},
        **{f"case-{k}": v for k, v in VALID_CASE.items()},
        **NO_INDICATORS,
    }
    data["project-start_date"] = "2023-07-01"
    data["project-cases"] = []
    data.pop("project-published", None)
    response = client.post(f"/gevinster/projekter/{project.pk}/rediger/", data)
    assert response.status_code == 400
    assert "første opfølgning" in response.content.decode()
    project.refresh_from_db()
    assert project.start_date == dt.date(2023, 1, 1)


def test_editing_keeps_the_municipality_and_records_an_update(
    client: Client, vejle: Municipality, vejle_editor: User
) -> None:
    project = make_project(vejle, title="Før")
    client.force_login(vejle_editor)
    page = client.get(f"/gevinster/projekter/{project.pk}/rediger/")
    data = {
        **{f"project-{k}": v for k, v in page.context["project_form"].initial.items()},
        **{f"case-{k}": v for k, v in VALID_CASE.items()},
        **NO_INDICATORS,
    }
    data["project-title"] = "Efter"
    data["project-cases"] = []
    data["project-start_date"] = "2023-01-01"
    response = client.post(f"/gevinster/projekter/{project.pk}/rediger/", data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "Efter"
    assert project.municipality == vejle
    assert project.business_case.hours_freed == 1924
    assert AuditEntry.objects.get().action == "update"


def test_garbage_input_never_gives_a_server_error(
    client: Client, vejle: Municipality, vejle_editor: User
) -> None:
    project = make_project(vejle)
    client.force_login(vejle_editor)
    for url in ("/gevinster/projekter/ny/", f"/gevinster/projekter/{project.pk}/rediger/"):
        response = client.post(
            url,
            {
                "project-start_date": "32-13-2020",
                "case-hours_freed": "abc",
                "project-technology": "x",
            },
        )
        assert response.status_code == 400
    response = client.post(
        f"/gevinster/projekter/{project.pk}/opfoelgning/",
        {"measured_on": "nej", "hours_freed": "1e999"},
    )
    assert response.status_code == 400
    assert Project.objects.count() == 1
    assert client.get("/gevinster/projekter/?side=abc&kommune=%00").status_code == 200


def _edit_data(client: Client, project: Project) -> dict[str, object]:
    page = client.get(f"/gevinster/projekter/{project.pk}/rediger/")
    data: dict[str, object] = {
        **{f"project-{k}": v for k, v in page.context["project_form"].initial.items()},
        **{f"case-{k}": v for k, v in VALID_CASE.items()},
        "project-cases": [],
        "project-start_date": "2023-01-01",
    }
    data.pop("project-published", None)
    return data


def test_indicators_are_saved_with_the_business_case(
    client: Client, vejle: Municipality, vejle_editor: User
) -> None:
    project = make_project(vejle)
    client.force_login(vejle_editor)
    data = _edit_data(client, project)
    data.update(
        {
            "indicators-TOTAL_FORMS": "1",
            "indicators-INITIAL_FORMS": "0",
            "indicators-0-dimension": "quality",
            "indicators-0-name": "Tilfredse borgere",
            "indicators-0-unit": "procent",
            "indicators-0-baseline": "62,5",
            "indicators-0-target": "75",
            "indicators-0-realised": "70",
            "indicators-0-realised_on": "2024-06-01",
        }
    )
    response = client.post(f"/gevinster/projekter/{project.pk}/rediger/", data)
    assert response.status_code == 302
    indicator = project.business_case.indicators.get()
    assert indicator.baseline == Decimal("62.5")
    page = client.get(f"/gevinster/projekter/{project.pk}/").content.decode()
    assert "Tilfredse borgere" in page


def test_a_realised_indicator_value_needs_its_date(
    client: Client, vejle: Municipality, vejle_editor: User
) -> None:
    project = make_project(vejle)
    client.force_login(vejle_editor)
    data = _edit_data(client, project)
    data.update(
        {
            "indicators-TOTAL_FORMS": "1",
            "indicators-INITIAL_FORMS": "0",
            "indicators-0-dimension": "wellbeing",
            "indicators-0-name": "Mindre belastning",
            "indicators-0-unit": "procent",
            "indicators-0-baseline": "40",
            "indicators-0-target": "60",
            "indicators-0-realised": "50",
        }
    )
    response = client.post(f"/gevinster/projekter/{project.pk}/rediger/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="Mindre belastning"' in body
    assert not project.business_case.indicators.exists()
