"""How long the peers-and-mentors part of a municipality page takes to build, cold: the
profile the page renders (`network.services.municipality_profile`: stages over the rounds,
the size group and its comparison, recommendations with mentors, peers and mentors of the
work in progress), without the outlook and the other tags of the page.

It reads only, on the data already in DATABASE_URL (the point is the scale data set of
`manage.py load_scale_demo`). Each municipality's profile is computed `--runs` times
(nothing of it is cached between runs); the script prints the median wall-clock time, the
process's CPU time, the time the database took (the queries' wall-clock time as the client
waited for them) and the number of queries.

Run: DATABASE_URL=postgres://…/wt_scale .venv/bin/python benchmarks/peers_profile.py
     [--municipality 101 --municipality xs/S00001 …] [--runs 3] [--json FILE]
Without DATABASE_URL it says so and stops.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUNICIPALITIES = ("101", "xs/S00001")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--municipality", action="append", help="a URL code (repeatable); default: two"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", help="write the figures to this file too")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        print("peers_profile: set DATABASE_URL to a database with published data")
        return 0
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kommuneradar.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.db import connection

    from kommuneradar.network.services import municipality_profile
    from kommuneradar.places.models import Municipality

    figures = []
    for code in args.municipality or MUNICIPALITIES:
        municipality = Municipality.objects.by_url_code(code).select_related("region").get()
        walls, cpus, database, queries = [], [], [], 0
        for _run in range(max(args.runs, 1)):
            spent: list[float] = []

            def timed(execute, sql, params, many, context, spent=spent):  # type: ignore[no-untyped-def]
                start = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    spent.append(time.perf_counter() - start)

            wall, cpu = time.perf_counter(), time.process_time()
            with connection.execute_wrapper(timed):
                municipality_profile(municipality)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            database.append(sum(spent))
            queries = len(spent)
        figure = {
            "municipality": code,
            "runs": len(walls),
            "wall_s": statistics.median(walls),
            "cpu_s": statistics.median(cpus),
            "database_s": statistics.median(database),
            "queries": queries,
        }
        print(
            f"profile of {code}: median of {len(walls)} runs {figure['wall_s']:.2f} s "
            f"(CPU of this process {figure['cpu_s']:.2f} s, waiting for the database "
            f"{figure['database_s']:.2f} s, {queries} queries)"
        )
        figures.append(figure)
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "database": connection.vendor,
                    "machine": f"{platform.machine()}, {os.cpu_count()} cores",
                    "load_average": load,
                    "measured_at": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
                    "municipalities": figures,
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
