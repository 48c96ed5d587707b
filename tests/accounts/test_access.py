"""Who may do what: one table of (role, action, object) -> allowed over every model's rule,
checked for one object (`may`) and for rows (`restrict`) alike; then the refusal policy
through the real URLs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import models
from django.shortcuts import resolve_url
from django.test import Client
from django.utils import timezone

from kommuneradar.accounts import access
from kommuneradar.accounts.models import AuditEntry, User
from kommuneradar.benefits.models import FollowUp
from kommuneradar.cases.models import Case, ContactPerson
from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.network.models import Enrolment, JointDocument, JointProject, Programme
from kommuneradar.places.models import Municipality
from kommuneradar.radar.models import ALL_DOMAINS, Edition, RingOverride
from kommuneradar.surveys.models import Invitation, Round
from tests.accounts.project_models import project_models
from tests.benefits.factories import make_project
from tests.cases.factories import make_case


def test_every_model_of_the_project_has_an_access_rule() -> None:
    missing = [model._meta.label for model in project_models() if model not in access.registered()]
    assert missing == []


@pytest.fixture
def superuser(db: object) -> User:
    return User.objects.create_superuser("root", "root@kl.example", "pw", role=User.Role.ANALYST)


@pytest.fixture
def world(
    vejle: Municipality, aarhus: Municipality, analyst: User, vejle_editor: User
) -> dict[str, models.Model]:
    """One object of each kind that matters, owned by Vejle where ownership applies."""
    today = dt.date(2025, 3, 1)
    programme = Programme.objects.create(
        name="Partnerskab",
        slug="partnerskab",
        summary="Sammen.",
        starts_on=today,
        ends_on=today + dt.timedelta(days=300),
        enrolment_deadline=today + dt.timedelta(days=30),
        fee_dkk=0,
    )
    joint = JointProject.objects.create(
        title="Fælles AI",
        slug="faelles-ai",
        technology=Technology.objects.get(slug="machine-learning"),
        description="Data fra flere kommuner.",
        lead_municipality=vejle,
        starts_on=today,
        status=JointProject.Status.RUNNING,
    )
    joint.participants.set([vejle])
    round_ = Round.objects.create(
        year=2025, opens_on=today, closes_on=today + dt.timedelta(days=30)
    )
    published_case = make_case(vejle, title="Offentlig", state=Case.State.PUBLISHED)
    draft_case = make_case(vejle, title="Kladde", state=Case.State.DRAFT, effects=1)
    published_project = make_project(vejle, published=True)
    draft_project = make_project(vejle, published=False)
    return {
        "published case": published_case,
        "draft case": draft_case,
        "draft case's effect": draft_case.effects.get(),
        "hidden contact": ContactPerson.objects.create(
            case=published_case, name="Skjult", consent_to_publish=False
        ),
        "published project": published_project,
        "draft project": draft_project,
        "draft project's follow-up": FollowUp.objects.create(
            project=draft_project, measured_on=today, hours_freed=10
        ),
        "programme": programme,
        "enrolment": Enrolment.objects.create(
            programme=programme, municipality=vejle, enrolled_on=today
        ),
        "joint project": joint,
        "joint document": JointDocument.objects.create(
            project=joint, title="Notat", url="https://example.org/notat", added_on=today
        ),
        "round": round_,
        "invitation": Invitation.objects.create(
            round=round_, municipality=vejle, domain=Domain.objects.order_by("pk")[0]
        ),
        "draft edition": Edition.objects.create(
            round=round_, scope=ALL_DOMAINS, computed_at=timezone.now(), fingerprint="x", rules={}
        ),
        "override": RingOverride.objects.create(
            round=round_,
            scope=ALL_DOMAINS,
            technology=Technology.objects.get(slug="machine-learning"),
            ring="trial",
            reason="Skøn.",
            author=analyst,
        ),
        "technology": Technology.objects.get(slug="machine-learning"),
        "vejle": vejle,
        "audit entry": AuditEntry.objects.create(
            action="x", object_type="places.Municipality", object_id=str(vejle.pk)
        ),
        "editor account": vejle_editor,
    }


# (role, action, object, allowed). Roles: anonymous, the owning (Vejle) editor, another
# municipality's (Aarhus) editor, an analyst, an admin (superuser).
TABLE: list[tuple[str, access.Action, str, bool]] = [
    ("anonymous", "view", "published case", True),
    ("anonymous", "change", "published case", False),
    ("anonymous", "view", "draft case", False),
    ("aarhus", "view", "published case", True),
    ("aarhus", "change", "published case", False),
    ("aarhus", "view", "draft case", False),
    ("vejle", "view", "draft case", True),
    ("vejle", "change", "draft case", True),
    ("analyst", "change", "draft case", True),
    ("aarhus", "view", "draft case's effect", False),
    ("vejle", "change", "draft case's effect", True),
    ("anonymous", "view", "hidden contact", False),
    ("vejle", "view", "hidden contact", True),
    ("anonymous", "view", "published project", True),
    ("aarhus", "change", "published project", False),
    ("vejle", "change", "published project", True),
    ("anonymous", "view", "draft project", False),
    ("aarhus", "view", "draft project", False),
    ("vejle", "view", "draft project", True),
    ("analyst", "change", "draft project", True),
    ("aarhus", "view", "draft project's follow-up", False),
    ("vejle", "change", "draft project's follow-up", True),
    ("anonymous", "view", "programme", True),
    ("vejle", "change", "programme", False),
    ("analyst", "change", "programme", True),
    ("anonymous", "view", "enrolment", False),
    ("aarhus", "view", "enrolment", False),
    ("vejle", "change", "enrolment", True),
    ("analyst", "change", "enrolment", True),
    ("anonymous", "view", "joint project", True),
    ("aarhus", "change", "joint project", False),
    ("vejle", "change", "joint project", True),
    ("analyst", "change", "joint project", True),
    ("aarhus", "change", "joint document", False),
    ("vejle", "change", "joint document", True),
    ("anonymous", "view", "round", True),
    ("vejle", "change", "round", False),
    ("analyst", "change", "round", True),
    ("vejle", "view", "invitation", False),
    ("analyst", "change", "invitation", True),
    ("anonymous", "view", "draft edition", False),
    ("analyst", "view", "draft edition", True),
    ("anonymous", "view", "override", True),
    ("vejle", "change", "override", False),
    ("anonymous", "view", "technology", True),
    ("vejle", "change", "technology", False),
    ("analyst", "change", "technology", True),
    ("anonymous", "view", "vejle", True),
    ("vejle", "change", "vejle", True),
    ("aarhus", "change", "vejle", False),
    ("vejle", "view", "audit entry", False),
    ("analyst", "view", "audit entry", True),
    # Analysts invite, deactivate and reactivate municipal editors (issue 9).
    ("analyst", "view", "editor account", True),
    ("analyst", "change", "editor account", True),
    ("aarhus", "view", "editor account", False),
    ("vejle", "change", "editor account", False),
    ("admin", "change", "editor account", True),
]


@pytest.mark.parametrize(("role", "action", "name", "allowed"), TABLE)
def test_rule_table(
    role: str,
    action: access.Action,
    name: str,
    allowed: bool,
    world: dict[str, models.Model],
    aarhus_editor: User,
    analyst: User,
    vejle_editor: User,
    superuser: User,
) -> None:
    user = {
        "anonymous": None,
        "vejle": vejle_editor,
        "aarhus": aarhus_editor,
        "analyst": analyst,
        "admin": superuser,
    }[role]
    obj = world[name]
    assert access.may(user, action, obj) is allowed
    rows = access.restrict(type(obj)._default_manager, user, action)
    assert rows.filter(pk=obj.pk).exists() is allowed


def test_a_deactivated_user_may_do_nothing_an_anonymous_visitor_may_not(
    world: dict[str, models.Model], vejle_editor: User
) -> None:
    vejle_editor.is_active = False
    assert not access.may(vejle_editor, "view", world["draft case"])
    assert not access.restrict(Case.objects, vejle_editor, "view").filter(state="draft").exists()


def test_adding_is_asked_of_the_unsaved_object_with_its_owner(
    vejle: Municipality, aarhus: Municipality, vejle_editor: User, analyst: User
) -> None:
    assert access.may(vejle_editor, "add", Case(lead_municipality=vejle))
    assert not access.may(vejle_editor, "add", Case(lead_municipality=aarhus))
    assert not access.may(vejle_editor, "add", Programme())
    assert access.may(analyst, "add", Programme())
    assert access.may(analyst, "add", Enrolment(municipality=None))


# The refusal policy, through the real URLs (logging in with the password, no forced session).


def _log_in(client: Client, user: User) -> None:
    response = client.post("/log-ind/", {"username": user.username, "password": "pw"})
    assert response.status_code == 302, "the login page refused the password"


def test_anonymous_visitors_on_login_only_pages_go_to_the_login_url(
    client: Client, world: dict[str, models.Model]
) -> None:
    case = world["published case"]
    project = world["published project"]
    for url in [
        f"/cases/{case.pk}/rediger/",
        "/cases/arbejde/",
        f"/gevinster/projekter/{project.pk}/rediger/",
        "/partnerskaber/ny/",
        "/runder/",
        "/runder/2025/udgivelse/",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL)), url


def test_objects_the_user_may_not_see_answer_404(
    client: Client, world: dict[str, models.Model], aarhus_editor: User
) -> None:
    _log_in(client, aarhus_editor)
    draft_case = world["draft case"]
    draft_project = world["draft project"]
    enrolment = world["enrolment"]
    invitation = world["invitation"]
    for url in [
        f"/cases/{draft_case.pk}/",
        f"/cases/{draft_case.pk}/rediger/",
        f"/gevinster/projekter/{draft_project.pk}/",
        f"/gevinster/projekter/{draft_project.pk}/rediger/",
        f"/partnerskaber/partnerskab/tilmeldinger/{enrolment.pk}/",
        f"/runder/2025/invitationer/{invitation.pk}/",
    ]:
        assert client.get(url).status_code == 404, url


def test_objects_the_user_may_see_but_not_change_answer_403(
    client: Client, world: dict[str, models.Model], aarhus_editor: User
) -> None:
    _log_in(client, aarhus_editor)
    case = world["published case"]
    project = world["published project"]
    for url in [
        f"/cases/{case.pk}/rediger/",
        f"/gevinster/projekter/{project.pk}/rediger/",
        f"/gevinster/projekter/{project.pk}/opfoelgning/",
        "/partnerskaber/partnerskab/rediger/",
        "/partnerskaber/projekter/faelles-ai/rediger/",
        "/runder/2025/",
        "/runder/2025/udgivelse/",
    ]:
        assert client.get(url).status_code == 403, url
    # and the same objects are shown to them
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert client.get(f"/gevinster/projekter/{project.pk}/").status_code == 200
    assert client.get("/partnerskaber/projekter/faelles-ai/").status_code == 200
