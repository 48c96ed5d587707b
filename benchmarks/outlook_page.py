"""How long the outlook takes on the demo data: fitting it once per data state (the first
request after new answers or gains are published), then serving /fremskrivning/ from the
cache, a new scenario, and a technology page with its fan chart.

Wall-clock times, and the CPU time of this process beside them (the machine is shared, so
the CPU time says more about the work itself).

Run: .venv/bin/python benchmarks/outlook_page.py  (DATABASE_URL=postgres://… for PostgreSQL)
"""

from __future__ import annotations

import io
import statistics
import time

from _setup import throwaway_database

label = throwaway_database("outlook")

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from kommuneradar.outlook import services  # noqa: E402

call_command("load_demo", stdout=io.StringIO())
client = Client()


def timed(path: str) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(path)
    assert response.status_code == 200, path
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def report(what: str, wall: float, cpu: float) -> None:
    print(f"[{label}] {what}: {wall:.0f} ms (CPU {cpu:.0f} ms)")


cache.clear()
services.forget()
report("GET /fremskrivning/, first after new data (fit + baseline)", *timed("/fremskrivning/"))
for path in ("/fremskrivning/", "/teknologi/skaermbesoeg/"):
    timed(path)
    runs = [timed(path) for _run in range(20)]
    walls = sorted(wall for wall, _cpu in runs)
    print(
        f"[{label}] GET {path}, cached: median {statistics.median(walls):.0f} ms, "
        f"95th percentile {walls[int(0.95 * len(walls)) - 1]:.0f} ms "
        f"(CPU median {statistics.median(cpu for _wall, cpu in runs):.0f} ms, 20 requests)"
    )
report(
    "GET /fremskrivning/?fart=1,5&piloter=on&program=generativ-ai, a new scenario",
    *timed("/fremskrivning/?fart=1,5&piloter=on&program=generativ-ai"),
)
report(
    "the same scenario again (cached)",
    *timed("/fremskrivning/?fart=1,5&piloter=on&program=generativ-ai"),
)
