"""HTTP load against `make serve`: 50 concurrent users (locust, headless) per page.

The database is the one DATABASE_URL points at, as it is (the demo after `manage.py load_demo`,
or the scale data after `manage.py load_scale_demo`); this script writes nothing to it. It
fits the outlook into the cache first (`manage.py fit_outlook`, what the worker does after a
publication), then starts scripts/serve (gunicorn, DEBUG off, whitenoise) on a free port
with that database and a Redis cache shared by the workers (CACHE_URL, default
redis://127.0.0.1:6379/<--redis-db>), then, one path at a time, lets 50 users ask for it
without pause for --seconds: requests per second, the 50th/95th/99th percentile and the
errors, beside the same for a static file from
the same server (the floor). Visitors are anonymous, keep their cookies and send no
If-None-Match (every answer is a full page).

Run: DATABASE_URL=postgres://… .venv/bin/python benchmarks/http_load.py [--users 50]
     [--seconds 20] [--workers N] [--threads N]
Targets (issue 10): radar, technology, municipality and API radar p95 < 50 ms, within 5x of
the floor's p95, no errors.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from _setup import ROOT, data_size, describe, existing_database, machine, write_results

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--users", type=int, default=50)
parser.add_argument("--seconds", type=int, default=20, help="how long each path is loaded")
parser.add_argument("--redis-db", type=int, default=9, help="the Redis database of the cache")
parser.add_argument("--workers", default="", help="WEB_CONCURRENCY (default: gunicorn_conf's)")
parser.add_argument("--threads", default="", help="GUNICORN_THREADS (default: gunicorn_conf's)")
parser.add_argument("--only", default="", help="measure only the pages whose name contains this")
parser.add_argument("--name", default="http_load", help="the results file's name")
arguments = parser.parse_args()

STARTED_WITH = dict(os.environ)
label = existing_database()
size = data_size()
print(f"[{label}] data: {describe(size)}")

from kommuneradar.cases.models import Case  # noqa: E402
from kommuneradar.places.models import Municipality  # noqa: E402
from kommuneradar.radar.models import ALL_DOMAINS, Edition  # noqa: E402

edition = (
    Edition.objects.filter(scope=ALL_DOMAINS, status=Edition.Status.PUBLISHED)
    .select_related("round")
    .order_by("-round__year")
    .first()
)
if edition is None:
    raise SystemExit("no published radar in this database: load the demo first")
year = edition.round.year
technology = (
    edition.blips.order_by("technology__slug")  # type: ignore[attr-defined]
    .values_list("technology__slug", flat=True)
    .first()
)
municipality = Municipality.objects.order_by("code").values_list("code", flat=True).first()
# a word from a case's title, so the search finds something
title = Case.objects.order_by("pk").values_list("title", flat=True).first() or "robot"
word = urllib.parse.quote(max(title.split(), key=len).strip(".,:;").lower())

PAGES = [
    ("radar", "/radar/{year}/", True),
    ("technology", "/teknologi/{technology}/", True),
    ("municipality", "/kommuner/{municipality}/", True),
    ("benefits dashboard", "/gevinster/", False),
    ("case search", "/cases/?q={word}", False),
    ("API radar edition", "/api/v1/editions/{year}/alle", True),
]
values = {"year": year, "technology": technology, "municipality": municipality, "word": word}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def figures_of(path: str, stats_file: Path) -> dict[str, object]:
    """Requests per second, percentiles and errors from locust's final statistics."""
    for entry in json.loads(stats_file.read_text(encoding="utf-8")):
        if entry["name"] != path:
            continue
        # response times as {rounded milliseconds: count} (locust rounds above 100 ms)
        histogram = sorted((float(ms), count) for ms, count in entry["response_times"].items())

        def percentile(share: float, histogram: list[tuple[float, int]] = histogram) -> float:
            total = sum(count for _ms, count in histogram)
            seen = 0
            for ms, count in histogram:
                seen += count
                if seen >= share * total:
                    return ms
            return histogram[-1][0]

        seconds = max(entry["last_request_timestamp"] - entry["start_time"], 1e-9)
        return {
            "requests": entry["num_requests"],
            "errors": entry["num_failures"],
            "requests_per_s": round(entry["num_requests"] / seconds, 1),
            "p50_ms": percentile(0.50),
            "p95_ms": percentile(0.95),
            "p99_ms": percentile(0.99),
            "max_ms": round(entry["max_response_time"], 1),
        }
    raise SystemExit(f"locust wrote no figures for {path}")


port = free_port()
base = f"http://127.0.0.1:{port}"
# the environment this script was started with (test_settings adds a SECRET_KEY for itself)
environment = {key: value for key, value in STARTED_WITH.items() if key != "DJANGO_SETTINGS_MODULE"}
environment |= {
    "PORT": str(port),
    "PY": sys.executable,
    "CACHE_URL": os.environ.get("CACHE_URL") or f"redis://127.0.0.1:6379/{arguments.redis_db}",
    # 50 users from one address are 50 visitors, not one client to slow down
    "RATE_LIMIT_API": "1000000/m",
}
if arguments.workers:
    environment["WEB_CONCURRENCY"] = arguments.workers
if arguments.threads:
    environment["GUNICORN_THREADS"] = arguments.threads
# The outlook is fitted first, as the worker does after a publication (outlook.tasks.fit), so
# that the pages are measured as readers find them once it is done, not while it runs.
fitting = time.perf_counter()
subprocess.run(
    [sys.executable, str(ROOT / "manage.py"), "fit_outlook"],
    cwd=ROOT,
    env=environment | {"DEBUG": "1"},
    check=True,
)
print(f"outlook fitted in {time.perf_counter() - fitting:.1f} s")
server_log = tempfile.TemporaryFile()  # noqa: SIM115 (closed with the process)
server = subprocess.Popen(
    [str(ROOT / "scripts" / "serve")],
    cwd=ROOT,
    env=environment,
    stdout=subprocess.DEVNULL,  # the access log: one line per request
    stderr=server_log,
    start_new_session=True,
)
results: list[dict[str, object]] = []
try:
    for _attempt in range(3000):
        try:
            if status_of(f"{base}/healthz") == 200:
                break
        except OSError:
            pass
        if server.poll() is not None:
            server_log.seek(0)
            sys.stderr.write(server_log.read().decode(errors="replace")[-3000:])
            raise SystemExit("scripts/serve stopped")
        time.sleep(0.1)
    else:
        raise SystemExit("the server did not start")
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    static = "/static/" + manifest["paths"]["kommuneradar.css"]
    pages = [("static file (floor)", static, False)] + [
        (name, path.format(**values), target) for name, path, target in PAGES
    ]
    if arguments.only:
        pages = [pages[0]] + [page for page in pages[1:] if arguments.only in page[0]]
    with tempfile.TemporaryDirectory() as folder:
        for name, path, target in pages:
            for _warm in range(3):
                status = status_of(base + path)
                assert status == 200, f"{path} answered {status}"
            prefix = Path(folder) / name.replace(" ", "_")
            load_before = os.getloadavg()[0]
            subprocess.run(
                [
                    str(Path(sys.executable).parent / "locust"),
                    "-f",
                    str(ROOT / "benchmarks" / "_locustfile.py"),
                    "--headless",
                    "--users",
                    str(arguments.users),
                    "--spawn-rate",
                    str(arguments.users),
                    "--run-time",
                    f"{arguments.seconds}s",
                    "--host",
                    base,
                    "--json-file",
                    str(prefix),
                    "--only-summary",
                    "--loglevel",
                    "ERROR",
                    "--exit-code-on-error",
                    "0",
                ],
                env={**os.environ, "BENCH_PATH": path},
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            row: dict[str, object] = {"page": name, "path": path, "target": target}
            row |= figures_of(path, Path(f"{prefix}.json"))
            row["load_average_before"] = round(load_before, 2)
            results.append(row)
            print(
                f"[{label}] {path}: {row['requests_per_s']} requests/s, p50 {row['p50_ms']:.0f} "
                f"ms, p95 {row['p95_ms']:.0f} ms, p99 {row['p99_ms']:.0f} ms, "
                f"{row['errors']} errors of {row['requests']} ({arguments.users} users)",
                flush=True,
            )
finally:
    if server.poll() is None:
        os.killpg(server.pid, 15)
        server.wait(timeout=60)

floor = results[0]["p95_ms"]
verdicts = []
for row in results[1:]:
    if not row["target"]:
        continue
    p95 = float(row["p95_ms"])  # type: ignore[arg-type]
    row["p95_times_floor"] = round(p95 / max(float(floor), 1.0), 1)  # type: ignore[arg-type]
    row["target_met"] = p95 < 50 and p95 <= 5 * max(float(floor), 1.0) and row["errors"] == 0  # type: ignore[arg-type]
    verdicts.append(f"{row['page']}: {'met' if row['target_met'] else 'NOT met'}")
print(f"[{label}] target p95 < 50 ms, within 5x of the floor, no errors: " + "; ".join(verdicts))
write_results(
    arguments.name,
    {
        "benchmark": "http_load",
        "database": label,
        "data": size,
        "server": "scripts/serve (gunicorn, DEBUG off, whitenoise), Redis cache",
        "workers": arguments.workers or "default",
        "threads": arguments.threads or "default",
        "users": arguments.users,
        "seconds_per_page": arguments.seconds,
        "machine": machine(),
        "pages": results,
    },
)
