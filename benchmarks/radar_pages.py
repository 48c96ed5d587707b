"""How long the radar takes: computing a round's editions, and serving the pages.

Run: .venv/bin/python benchmarks/radar_pages.py  (DATABASE_URL=postgres://… for PostgreSQL)
"""

from __future__ import annotations

import io
import statistics
import time

from _setup import throwaway_database

label = throwaway_database("radar")

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from kommuneradar.radar.editions import compute_round  # noqa: E402
from kommuneradar.radar.models import Edition  # noqa: E402
from kommuneradar.surveys.models import Answer, Round  # noqa: E402

started = time.perf_counter()
call_command("load_demo", stdout=io.StringIO())
print(
    f"[{label}] load_demo: {time.perf_counter() - started:.1f} s "
    f"({Answer.objects.count()} answers, 4 rounds)"
)

round_2024 = Round.objects.get(year=2024)
Edition.objects.filter(round=round_2024).delete()
started = time.perf_counter()
compute_round(round_2024)
print(
    f"[{label}] compute_radar --round 2024 (9 editions from "
    f"{Answer.objects.filter(response__round=round_2024).count()} answers): "
    f"{time.perf_counter() - started:.2f} s"
)
started = time.perf_counter()
compute_round(round_2024)
print(f"[{label}] compute_radar again (unchanged): {time.perf_counter() - started:.2f} s")
compute_round(round_2024, publish=True)

client = Client()
for path in ("/radar/2024/", "/radar/2024/sundhed-og-aeldre/", "/teknologi/skaermbesoeg/"):
    client.get(path)
    timings = []
    for _run in range(20):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    timings.sort()
    print(
        f"[{label}] GET {path}: median {statistics.median(timings):.0f} ms, "
        f"95th percentile {timings[int(0.95 * len(timings)) - 1]:.0f} ms (20 requests)"
    )
