"""Load the 98 municipalities and 5 regions from municipalities.csv (approximate
populations, two significant figures; `import_population` loads official ones)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.db import migrations
from django.utils.text import slugify

CSV_PATH = Path(__file__).resolve().parent.parent / "municipalities.csv"


def load(apps: Any, schema_editor: Any) -> None:
    Region = apps.get_model("places", "Region")
    Municipality = apps.get_model("places", "Municipality")
    with CSV_PATH.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    regions = {}
    for row in rows:
        if row["region_code"] not in regions:
            regions[row["region_code"]] = Region.objects.create(
                code=row["region_code"], name=row["region"]
            )
    Municipality.objects.bulk_create(
        Municipality(
            code=row["code"],
            name=row["name"],
            slug=slugify(
                row["name"]
                .replace("æ", "ae")
                .replace("ø", "oe")
                .replace("å", "aa")
                .replace("Æ", "Ae")
                .replace("Ø", "Oe")
                .replace("Å", "Aa")
            ),
            region=regions[row["region_code"]],
            population=int(row["population_approx"]),
            population_source="Omtrentligt tal (to betydende cifre, ca. 2024)",
        )
        for row in rows
    )


def unload(apps: Any, schema_editor: Any) -> None:
    apps.get_model("places", "Municipality").objects.all().delete()
    apps.get_model("places", "Region").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
