"""How long the public pages take to build with nothing cached: the first request after an
edition is published (or the server started), on the data already in DATABASE_URL.

It reads only (no throwaway database: the point is the scale data set that
`manage.py load_scale_demo` writes, which takes minutes to load). First the outlook is
fitted once, as the background worker does after a publication (`outlook.tasks.fit`), and
timed. Before each page the cache and the outlook kept in this process are emptied and the
worker's fit is put back in the cache (a web process that has read nothing yet), then the
page is requested once (cold), once more (warm), and once more with the clock moved a day
ahead (the next day: what is cached per day is computed again) through Django's test client,
in this process. The cache is a fresh directory of its own, never a shared Redis (CACHE_URL is
ignored); tasks run in this process (TASKS_BACKEND=immediate), so nothing is queued in the
database.

Run: DATABASE_URL=postgres://…/wt_scale .venv/bin/python benchmarks/cold_pages.py
     [--page /radar/2024/ …] [--json FILE]
Without DATABASE_URL, or without a published radar there, it says so and stops.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("/radar/{year}/", "/teknologi/skaermbesoeg/", "/kommuner/101/", "/gevinster/")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--page", action="append", help="a path (repeatable); default: four")
    parser.add_argument("--json", help="write the figures to this file too")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        print("cold_pages: set DATABASE_URL to a database with published data (e.g. the scale set)")
        return 0
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kommuneradar.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ["CACHE_URL"] = ""
    os.environ["TASKS_BACKEND"] = "immediate"
    os.environ["CACHE_DIR"] = tempfile.mkdtemp(prefix="kr-cold-pages-")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.db.models import Max
    from django.test import Client
    from django.utils import timezone

    from kommuneradar.outlook import services as outlook
    from kommuneradar.radar.models import ALL_DOMAINS, Edition

    year = Edition.objects.filter(status=Edition.Status.PUBLISHED, scope=ALL_DOMAINS).aggregate(
        year=Max("round__year")
    )["year"]
    if year is None:
        print("cold_pages: no published radar in this database")
        return 0
    cache.clear()
    outlook.forget()
    wall, cpu = time.perf_counter(), time.process_time()
    fitted = outlook.fit_and_share()
    fit_s, fit_cpu_s = time.perf_counter() - wall, time.process_time() - cpu
    print(f"outlook fit (the worker's task): {fit_s:.1f} s (CPU of this process {fit_cpu_s:.1f} s)")
    client = Client()
    figures = []
    today_of = timezone.localdate
    today = today_of()
    for page in args.page or PAGES:
        path = page.format(year=year)
        cache.clear()
        outlook.forget()
        outlook.share(fitted)
        timings = []
        for run in ("cold", "warm", "next day"):
            if run == "next day":  # the clock moved past midnight, nothing else changed
                tomorrow = today + dt.timedelta(days=1)
                timezone.localdate = lambda *args, day=tomorrow: day  # type: ignore[misc]
            wall, cpu = time.perf_counter(), time.process_time()
            status = client.get(path).status_code
            timings.append((time.perf_counter() - wall, time.process_time() - cpu, status))
        timezone.localdate = today_of
        (cold, cold_cpu, status), (warm, _cpu, _status), (next_day, _cpu, _status) = timings
        print(
            f"GET {path}: cold {cold:.1f} s (CPU of this process {cold_cpu:.1f} s), "
            f"warm {warm * 1000:.0f} ms, the next day {next_day:.2f} s, status {status}"
        )
        figures.append(
            {
                "path": path,
                "status": status,
                "cold_s": cold,
                "cold_cpu_s": cold_cpu,
                "warm_s": warm,
                "next_day_s": next_day,
            }
        )
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "database": connection.vendor,
                    "machine": f"{platform.machine()}, {os.cpu_count()} cores",
                    "outlook_fit_s": fit_s,
                    "outlook_fit_cpu_s": fit_cpu_s,
                    "pages": figures,
                },
                indent=2,
            )
        )
    return 0 if all(figure["status"] == 200 for figure in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
