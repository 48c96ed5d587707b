"""Load the eight domains, four quadrants and the technology catalogue."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from kommuneradar.catalog.reference_data import DOMAINS, QUADRANTS, TECHNOLOGIES


def load(apps: Any, schema_editor: Any) -> None:
    Domain = apps.get_model("catalog", "Domain")
    Quadrant = apps.get_model("catalog", "Quadrant")
    Technology = apps.get_model("catalog", "Technology")
    domains = {
        slug: Domain.objects.create(slug=slug, name_da=da, name_en=en, order=index)
        for index, (slug, da, en) in enumerate(DOMAINS)
    }
    quadrants = {
        slug: Quadrant.objects.create(slug=slug, name_da=da, name_en=en, position=index)
        for index, (slug, da, en) in enumerate(QUADRANTS)
    }
    for slug, name_da, name_en, quadrant, domain_slugs, text_da, text_en in TECHNOLOGIES:
        technology = Technology.objects.create(
            slug=slug,
            name_da=name_da,
            name_en=name_en,
            description_da=text_da,
            description_en=text_en,
            quadrant=quadrants[quadrant],
        )
        technology.domains.set([domains[d] for d in domain_slugs])


def unload(apps: Any, schema_editor: Any) -> None:
    for model in ("Technology", "Quadrant", "Domain"):
        apps.get_model("catalog", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
