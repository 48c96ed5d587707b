from __future__ import annotations

import io
from typing import Any

from kommuneradar.cases.models import Case
from kommuneradar.cases.search import CaseCriteria, find_cases
from kommuneradar.demo import cases_data


def test_demo_cases_are_many_documented_and_name_their_sources(db: Any) -> None:
    cases_data.load(2024, io.StringIO())
    published = Case.objects.published()
    assert published.count() >= 40
    assert published.filter(effects__isnull=False).distinct().count() >= 35
    herning = published.get(title__icontains="Herning")
    assert "Råderum, 29. marts 2022" in herning.source
    assert herning.effects.filter(value=400_000, unit="kr. om året").exists()
    haderslev = published.get(title="Plejehjem i eget hjem")
    assert {t.slug for t in haderslev.technologies.all()} >= {"gps-ure", "sensormaatter"}
    found = [case.title for case in find_cases(CaseCriteria(query="skærmbesøgene"))]
    assert "Skærmbesøg i Vejles hjemmepleje" in found


def test_demo_cases_are_the_same_for_the_same_seed(db: Any) -> None:
    cases_data.load(7, io.StringIO())
    first = list(Case.objects.order_by("id").values_list("title", "lead_municipality__code"))
    Case.objects.all().delete()
    cases_data.load(7, io.StringIO())
    second = list(Case.objects.order_by("id").values_list("title", "lead_municipality__code"))
    assert first == second
