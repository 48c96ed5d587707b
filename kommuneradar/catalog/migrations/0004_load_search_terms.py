"""Give the reference technologies their abbreviations, synonyms and broader terms."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from kommuneradar.catalog.reference_data import SEARCH_TERMS


def load(apps: Any, schema_editor: Any) -> None:
    Technology = apps.get_model("catalog", "Technology")
    TechnologyTerm = apps.get_model("catalog", "TechnologyTerm")
    for technology in Technology.objects.filter(slug__in=SEARCH_TERMS):
        for term, kind in SEARCH_TERMS[technology.slug]:
            TechnologyTerm.objects.get_or_create(
                technology=technology, term=term, defaults={"kind": kind}
            )


def unload(apps: Any, schema_editor: Any) -> None:
    TechnologyTerm = apps.get_model("catalog", "TechnologyTerm")
    for slug, terms in SEARCH_TERMS.items():
        TechnologyTerm.objects.filter(
            technology__slug=slug, term__in=[term for term, _kind in terms]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_technology_terms")]
    operations = [migrations.RunPython(load, unload)]
