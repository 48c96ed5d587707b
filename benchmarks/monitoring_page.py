"""How long a survey round's monitoring page (/runder/<year>/) takes on the database
DATABASE_URL points at (the demo or the scale data), which is left as it was: an analyst
made for the run and the session are written inside a transaction that is rolled back.

Each path is requested through Django's test client in this process, once to warm up and
then --runs times; the median and the worst wall-clock time are printed beside the queries
the page ran (a fixed number, whatever the data size).

Run: DATABASE_URL=postgres://…/wt_scale .venv/bin/python benchmarks/monitoring_page.py
     [--year 2025] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from _setup import data_size, describe, existing_database, machine, write_results

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--year", type=int, help="the round (default: the latest)")
parser.add_argument("--runs", type=int, default=5)
arguments = parser.parse_args()

os.environ.setdefault("ALLOWED_HOSTS", "testserver")
label = existing_database()
size = data_size()
print(f"[{label}] data: {describe(size)}")

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from kommuneradar.accounts.models import User  # noqa: E402
from kommuneradar.surveys.models import Round  # noqa: E402

year = arguments.year or Round.objects.order_by("-year").values_list("year", flat=True)[0]
PATHS = [
    f"/runder/{year}/",
    f"/runder/{year}/?side=50",
    f"/runder/{year}/?status=not_submitted",
    f"/runder/{year}/?q=101",
    f"/runder/{year}/?q=syntetisk&status=submitted&side=3",
]


class RolledBack(Exception):
    pass


figures: dict[str, object] = {"data": size, "machine": machine(), "year": year, "pages": {}}
pages: dict[str, object] = {}
try:
    with transaction.atomic():
        analyst = User.objects.create_user("bench-monitoring", role=User.Role.ANALYST)
        client = Client()
        client.force_login(analyst)
        for path in PATHS:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            assert response.status_code == 200, path
            queries = len(captured.captured_queries)  # before the next request empties the log
            times = []
            for _run in range(arguments.runs):
                started = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            pages[path] = {
                "median_ms": round(statistics.median(times), 1),
                "max_ms": round(max(times), 1),
                "queries": queries,
                "bytes": len(response.content),
            }
            print(
                f"[{label}] GET {path}: median {statistics.median(times):.0f} ms, "
                f"worst {max(times):.0f} ms ({arguments.runs} runs), "
                f"{queries} queries, {len(response.content):,} bytes"
            )
        raise RolledBack
except RolledBack:
    pass
figures["pages"] = pages
write_results(
    "monitoring_page-scale" if size["municipalities"] > 1000 else "monitoring_page", figures
)
