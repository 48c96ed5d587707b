"""The loaded demo looks like Denmark: emerging technologies piloted by a handful of the
larger municipalities, stages that move forward over the rounds, dates that fit their
rounds and the load day, realised gains scattered around the business cases, and the
same data for the same seed. The demo is loaded once for the module, through
`load_demo` as a person runs it, and rolled back afterwards."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from kommuneradar.automation.models import KleEntry, Process, System, Umbrella
from kommuneradar.benefits import services
from kommuneradar.benefits.models import FollowUp, Project
from kommuneradar.cases.models import Case, Effect
from kommuneradar.catalog.models import MaturityRating
from kommuneradar.demo.models import DemoLoad
from kommuneradar.network.models import Enrolment, JointProject, Programme
from kommuneradar.places.models import Municipality
from kommuneradar.radar.models import Blip, Edition
from kommuneradar.surveys import vocabulary as v
from kommuneradar.surveys.models import Answer, Contact, Invitation, Response, Round

pytestmark = pytest.mark.django_db
SEED = 2024
PUBLISHED_YEARS = (2021, 2022, 2023, 2024)
EMERGING = ("generativ-ai", "machine-learning", "low-code")


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dt.date]:
    """The demo as `load_demo --seed 2024` makes it; the load day is returned."""
    with django_db_blocker.unblock(), transaction.atomic():
        loaded_on = timezone.localdate()
        call_command("load_demo", "--seed", str(SEED), stdout=StringIO())
        yield loaded_on
        transaction.set_rollback(True)


def stages_by_course() -> dict[tuple[str, str, str], dict[int, str]]:
    """(municipality, technology, domain) -> {round year: stage} for the published rounds."""
    courses: dict[tuple[str, str, str], dict[int, str]] = defaultdict(dict)
    rows = Answer.objects.filter(response__round__year__in=PUBLISHED_YEARS).values_list(
        "response__round__year",
        "response__municipality__code",
        "technology__slug",
        "response__domain__slug",
        "stage",
    )
    for year, code, technology, domain, stage in rows:
        courses[(code, technology, domain)][year] = stage
    return courses


def taking_up(technology: str, year: int) -> set[str]:
    """Municipalities piloting or using a technology in any domain in a round."""
    return set(
        Answer.objects.filter(
            response__round__year=year,
            technology__slug=technology,
            stage__in=[v.PILOTING, *v.USING_STAGES],
        ).values_list("response__municipality__code", flat=True)
    )


@pytest.mark.parametrize("technology", EMERGING)
def test_an_emerging_technology_is_taken_up_by_a_handful_of_larger_municipalities(
    technology: str,
) -> None:
    populations = dict(Municipality.objects.values_list("code", "population"))
    pioneers = taking_up(technology, 2024)
    assert 3 <= len(pioneers) <= 15
    assert statistics.median(populations[code] for code in pioneers) > statistics.median(
        populations.values()
    )


def test_generative_ai_arrives_after_its_launch_and_grows_in_the_open_round() -> None:
    assert taking_up("generativ-ai", 2022) == set()
    assert len(taking_up("generativ-ai", 2025)) > len(taking_up("generativ-ai", 2024))


def test_stages_move_forward_over_the_rounds_far_more_often_than_back() -> None:
    forward = backward = unchanged = 0
    for by_year in stages_by_course().values():
        for year in PUBLISHED_YEARS[:-1]:
            if year in by_year and year + 1 in by_year:
                before, after = v.ADVANCEMENT[by_year[year]], v.ADVANCEMENT[by_year[year + 1]]
                forward += after > before
                backward += after < before
                unchanged += after == before
    transitions = forward + backward + unchanged
    assert transitions > 20_000
    assert backward < 0.05 * transitions
    assert forward >= 5 * backward


def test_the_radar_stays_plausible_in_2024() -> None:
    rings = dict(
        Blip.objects.filter(
            edition__round__year=2024, edition__scope="alle", edition__status="published"
        ).values_list("technology__slug", "computed_ring")
    )
    for mature in ("skaermbesoeg", "rpa", "loftlifte", "videoloesninger"):
        assert rings[mature] in {"klar", "afproev"}, mature
    for emerging in ("generativ-ai", "virtual-reality"):
        assert rings[emerging] in {"afvent", "hold_oeje"}, emerging


def test_screen_visits_are_in_use_in_most_municipalities_by_2024() -> None:
    using = Answer.objects.filter(
        response__round__year=2024, technology__slug="skaermbesoeg", stage__in=v.USING_STAGES
    )
    assert using.values("response__municipality").distinct().count() >= 75


def test_radars_are_published_in_their_round_s_year() -> None:
    editions = Edition.objects.filter(status=Edition.Status.PUBLISHED).select_related("round")
    assert editions.count() == 4 * 9
    for edition in editions:
        assert edition.published_at is not None
        assert edition.published_at.year == edition.round.year


def test_cases_are_published_in_a_round_s_year_after_they_started_and_before_today(
    demo: dt.date,
) -> None:
    cases = list(Case.objects.published())
    assert len(cases) == 42
    for case in cases:
        assert case.published_at is not None and case.started_on is not None
        published = case.published_at.date()
        assert published.year in PUBLISHED_YEARS, case.title
        assert case.started_on < published <= demo, case.title
        if case.ended_on:
            assert case.started_on < case.ended_on < published, case.title
    published_on = {case.pk: case.published_at.date() for case in cases if case.published_at}
    started_on = {case.pk: case.started_on for case in cases}
    for effect in Effect.objects.all():
        started = started_on[effect.case_id]
        assert started is not None
        assert started <= effect.measured_on <= published_on[effect.case_id]


def test_projects_are_registered_before_they_start_and_not_after_today(demo: dt.date) -> None:
    # The benefits demo's 180 projects, and those of the automation pipeline's measured
    # processes (registered before their first measured period).
    projects = list(Project.objects.all())
    assert Project.objects.filter(automation_process__isnull=True).count() == 180
    assert Project.objects.filter(automation_process__isnull=False).count() >= 20
    for project in projects:
        assert project.created_at.date() <= min(demo, project.start_date)
    follow_ups = FollowUp.objects.select_related("project")
    assert all(f.project.start_date < f.measured_on <= demo for f in follow_ups)
    statuses = {project.status for project in projects}
    assert {Project.Status.IN_OPERATION, Project.Status.IMPLEMENTING} <= statuses


def test_the_open_round_runs_around_the_load_day(demo: dt.date) -> None:
    open_round = Round.objects.get(status=Round.Status.OPEN)
    assert open_round.year == 2025
    assert open_round.opens_on <= demo < open_round.closes_on
    now = timezone.now()
    sent = Invitation.objects.filter(round=open_round).exclude(sent_at=None)
    assert sent.exists()
    assert all(i.sent_at and i.last_sent_at and i.last_sent_at <= now for i in sent)
    assert all(i.sent_at and i.sent_at.date() >= open_round.opens_on for i in sent)
    submitted = Response.objects.filter(round=open_round).exclude(submitted_at=None)
    assert submitted.exists()
    assert all(
        open_round.opens_on <= r.submitted_at.date() <= demo for r in submitted if r.submitted_at
    )


def test_realised_gains_scatter_around_the_business_cases() -> None:
    ratios = [
        p.realised_fte / p.expected_fte
        for p in services.with_figures(Project.objects.all())
        if p.realised_fte and p.expected_fte
    ]
    assert len(ratios) >= 100
    assert any(ratio < 0.7 for ratio in ratios)
    assert any(ratio < 0.5 for ratio in ratios)
    assert any(ratio > 1.0 for ratio in ratios)
    assert 0.7 <= statistics.median(ratios) <= 1.0


def fingerprint() -> dict[str, list[Any]]:
    """Everything the demo makes, except the random token of the printed demo link."""
    return {
        "rounds": list(
            Round.objects.order_by("year").values_list("year", "opens_on", "closes_on", "status")
        ),
        "ratings": list(
            MaturityRating.objects.order_by("technology__slug", "year").values_list(
                "technology__slug", "year", "rating"
            )
        ),
        "answers": list(
            Answer.objects.order_by(
                "response__round__year",
                "response__municipality__code",
                "response__domain__slug",
                "technology__slug",
            ).values_list(
                "response__round__year",
                "response__municipality__code",
                "response__domain__slug",
                "technology__slug",
                "stage",
                "value_efficiency",
                "value_quality",
                "value_wellbeing",
                "comment",
                "response__submitted_at",
            )
        ),
        "editions": list(
            Edition.objects.order_by("round__year", "scope", "revision").values_list(
                "round__year", "scope", "fingerprint", "published_at"
            )
        ),
        "contacts": list(
            Contact.objects.order_by("municipality__code", "domain__slug").values_list(
                "municipality__code", "domain__slug", "name", "email", "role"
            )
        ),
        "invitations": list(
            Invitation.objects.order_by(
                "round__year", "municipality__code", "domain__slug"
            ).values_list(
                "municipality__code", "domain__slug", "sent_at", "last_sent_at", "reminders_sent"
            )
        ),
        "processes": list(
            Process.objects.order_by("municipality__code", "title").values_list(
                "municipality__code",
                "title",
                "phase",
                "cases_per_year",
                "source__municipality__code",
            )
        ),
        "cases": list(
            Case.objects.order_by("title", "lead_municipality__code").values_list(
                "title", "lead_municipality__code", "stage", "started_on", "published_at"
            )
        ),
        "effects": list(
            Effect.objects.order_by("case__title", "order").values_list(
                "case__title", "description", "value", "measured_on"
            )
        ),
        "projects": list(
            Project.objects.order_by(
                "municipality__code", "technology__slug", "domain__slug", "start_date", "title"
            ).values_list(
                "municipality__code",
                "technology__slug",
                "domain__slug",
                "start_date",
                "status",
                "created_at",
                "business_case__hours_freed",
                "business_case__one_off_cost",
            )
        ),
        "follow_ups": list(
            FollowUp.objects.order_by(
                "project__municipality__code", "project__title", "measured_on", "hours_freed"
            ).values_list("project__municipality__code", "measured_on", "hours_freed")
        ),
        "enrolments": list(
            Enrolment.objects.order_by("municipality__code").values_list(
                "municipality__code", "status", "enrolled_on"
            )
        ),
        "joint": list(
            JointProject.objects.order_by("slug").values_list("slug", "lead_municipality__code")
        ),
    }


def remove_demo() -> None:
    DemoLoad.objects.all().delete()
    Project.objects.all().delete()
    Case.objects.all().delete()
    Programme.objects.all().delete()
    JointProject.objects.all().delete()
    Edition.objects.all().delete()
    Round.objects.all().delete()
    Contact.objects.all().delete()
    MaturityRating.objects.all().delete()
    Process.objects.all().delete()
    Umbrella.objects.all().delete()
    for level in (KleEntry.Level.TOPIC, KleEntry.Level.GROUP, KleEntry.Level.MAIN_GROUP):
        KleEntry.objects.filter(level=level).delete()
    System.objects.all().delete()


def test_the_same_seed_gives_the_same_demo_and_another_seed_another() -> None:
    first = fingerprint()
    assert all(first.values())
    remove_demo()
    call_command("load_demo", "--seed", str(SEED), stdout=StringIO())
    assert fingerprint() == first
    remove_demo()
    call_command("load_demo", "--seed", str(SEED + 1), stdout=StringIO())
    other = fingerprint()
    assert other["answers"] != first["answers"]
    assert other["projects"] != first["projects"]
    assert other["cases"] != first["cases"]
