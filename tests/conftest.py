"""Named people for every test: an analyst, an editor of Vejle, an editor of Aarhus
(the outsider for Vejle's data), an admin; a client that enforces CSRF; and
`make_round`, a small hand-made survey; and, from tests/browsing.py, `browser`: Debian's
headless Chromium driven by Playwright."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from kommuneradar.accounts.models import User
from kommuneradar.catalog.models import Domain, MaturityRating, Technology
from kommuneradar.core import published
from kommuneradar.places.models import Municipality
from kommuneradar.surveys.models import Answer, Response, Round

# Speed is measured by the benchmarks, never by the tests: on a loaded 2-core machine a
# property test must not fail because generating its examples took long.
hypothesis_settings.register_profile(
    "kommuneradar", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("kommuneradar")
pytest_plugins = ["tests.browsing"]


@pytest.fixture
def vejle(db: Any) -> Municipality:
    return Municipality.objects.get(code="630")


@pytest.fixture
def aarhus(db: Any) -> Municipality:
    return Municipality.objects.get(code="751")


@pytest.fixture
def analyst(db: Any) -> User:
    return User.objects.create_user("anna", "anna@kl.example", "pw", role=User.Role.ANALYST)


@pytest.fixture
def vejle_editor(vejle: Municipality) -> User:
    return User.objects.create_user(
        "victor", "victor@vejle.example", "pw", role=User.Role.EDITOR, municipality=vejle
    )


@pytest.fixture
def aarhus_editor(aarhus: Municipality) -> User:
    return User.objects.create_user(
        "astrid", "astrid@aarhus.example", "pw", role=User.Role.EDITOR, municipality=aarhus
    )


@pytest.fixture
def admin_user(db: Any) -> User:
    return User.objects.create_superuser("root", "root@kl.example", "pw")


@pytest.fixture
def low_rate_limits() -> Iterator[None]:
    """Three requests a minute per address for each rate limit, on an empty cache."""
    cache.clear()
    with override_settings(RATE_LIMITS={"login": "3/m", "api": "3/m", "token_link": "3/m"}):
        yield
    cache.clear()


@pytest.fixture
def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


MakeRound = Callable[..., Round]


@pytest.fixture
def make_round(db: Any) -> MakeRound:
    """make_round(year, {slug: [stage, ...]}, rating=7, domain="sundhed-og-aeldre"): the
    i-th stage of each list is the answer of the i-th municipality (by code)."""

    def build(
        year: int,
        stages_by_technology: dict[str, Sequence[str]],
        rating: int = 7,
        domain: str = "sundhed-og-aeldre",
    ) -> Round:
        round_, _created = Round.objects.get_or_create(
            year=year,
            defaults={
                "opens_on": dt.date(year, 2, 1),
                "closes_on": dt.date(year, 3, 31),
                "status": Round.Status.CLOSED,
            },
        )
        the_domain = Domain.objects.get(slug=domain)
        count = max(len(stages) for stages in stages_by_technology.values())
        municipalities = list(Municipality.objects.order_by("code")[:count])
        responses = [
            Response.objects.get_or_create(round=round_, municipality=m, domain=the_domain)[0]
            for m in municipalities
        ]
        for slug, stages in stages_by_technology.items():
            technology = Technology.objects.get(slug=slug)
            technology.domains.add(the_domain)
            MaturityRating.objects.update_or_create(
                technology=technology, year=year, defaults={"rating": rating}
            )
            for response, stage in zip(responses, stages, strict=False):
                Answer.objects.create(
                    response=response,
                    technology=technology,
                    stage=stage,
                    value_efficiency="some" if stage in ("in_operation", "scaled") else "",
                )
        return round_

    return build


@pytest.fixture(autouse=True)
def _fresh_published_data() -> None:
    """Every test starts with its own published-data version, so no test reads figures
    another test cached (the database is rolled back; the cache is not). Rendered charts
    are cached by their content and stay valid."""
    published.bump()
