from __future__ import annotations

import datetime as dt

import pytest

from kommuneradar.benefits.queries import realised_gain_per_inhabitant
from kommuneradar.catalog.models import Technology
from kommuneradar.places.models import Municipality

from .factories import make_project


@pytest.mark.django_db
def test_realised_gain_is_the_median_per_1000_inhabitants_of_published_projects(
    django_assert_num_queries: object,
) -> None:
    small, medium, large = Municipality.objects.order_by("population")[:3]
    for municipality in (small, medium, large):
        municipality.population = 10000
        municipality.save()
    make_project(small, follow_ups=((dt.date(2023, 6, 1), 9999), (dt.date(2024, 1, 1), 1924)))
    make_project(medium, follow_ups=((dt.date(2024, 1, 1), 3848),))
    make_project(large, follow_ups=((dt.date(2024, 1, 1), 5772),))
    make_project(large, published=False, follow_ups=((dt.date(2024, 1, 1), 99999),))
    make_project(large, technology="rpa")  # no follow-up: not measured
    skaermbesoeg = Technology.objects.get(slug="skaermbesoeg")
    # Latest follow-ups give 1, 2 and 3 FTE in towns of 10,000: 0.1, 0.2, 0.3 per 1,000.
    with django_assert_num_queries(1):  # type: ignore[operator]
        gains = realised_gain_per_inhabitant()
    assert set(gains) == {skaermbesoeg.pk}
    median, count = gains[skaermbesoeg.pk]
    assert median == pytest.approx(0.2)
    assert count == 3
