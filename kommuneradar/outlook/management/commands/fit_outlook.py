from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from kommuneradar.outlook import services


class Command(BaseCommand):
    help = (
        "Fit the outlook to 2030 for the current published data and put it in the shared "
        "cache, so that no page has to (a publication queues the same fit for the worker). "
        "Does nothing when the current data state is fitted already."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        fitted = services.fit_and_share()
        self.stdout.write(
            f"outlook fitted for {len(fitted.years)} published rounds "
            f"({', '.join(map(str, fitted.years)) or 'none'}), {len(fitted.facts)} technologies, "
            f"data state {fitted.key}, in {time.monotonic() - started:.1f} s"
        )
