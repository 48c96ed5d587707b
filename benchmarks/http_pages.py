"""How fast the public pages answer over HTTP, alone and under load, against a running server.

A throwaway database gets the demo data; `manage.py runserver` (threaded, DEBUG off, the test
settings) serves it; a thread pool from the standard library plays the clients. Per page:
the median of sequential requests from one client, then the median and 95th percentile of
100 requests from 10 concurrent clients; a static file is the floor. Clients send no cookies
and no If-None-Match, so every request is served in full (the server-side caches count, the
browser's do not); one extra line measures a revalidation that answers 304.

Run: .venv/bin/python benchmarks/http_pages.py [--checkout DIR] [--json FILE]
(DATABASE_URL=postgres://… for PostgreSQL; CACHE_URL=redis://… for Redis.) `--checkout` serves
another copy of the project (e.g. `git archive main | tar -x -C DIR`) for before/after figures.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _setup import ROOT, throwaway_database

PAGES = [
    ("static file (floor)", "/static/kommuneradar.css"),
    ("radar", "/radar/2024/"),
    ("technology", "/teknologi/skaermbesoeg/"),
    ("municipality", "/kommuner/101/"),
    ("benefits dashboard", "/gevinster/"),
    ("API radar edition", "/api/radar/editions/2024/alle"),
]
SINGLE_RUNS = 30
CONCURRENT_REQUESTS = 100
CLIENTS = 10

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--checkout", type=Path, default=ROOT, help="the project copy to serve")
parser.add_argument(
    "--json", type=Path, default=None, help="where to write the figures (default: results/)"
)
parser.add_argument("--label", default="", help="a name for this run in the JSON (e.g. before)")
arguments = parser.parse_args()

label = throwaway_database("http")

from django.core.management import call_command  # noqa: E402

call_command("load_demo", stdout=io.StringIO())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[float, int]:
    request = urllib.request.Request(url, headers=headers or {})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return (time.perf_counter() - started) * 1000, status


def percentile(timings: list[float], share: float) -> float:
    ordered = sorted(timings)
    return ordered[max(0, int(share * len(ordered)) - 1)]


port = free_port()
base = f"http://127.0.0.1:{port}"
environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "kommuneradar.test_settings"}
environment["DEBUG"] = "0"  # manage.py would switch DEBUG on without SECRET_KEY
server = subprocess.Popen(
    [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
    cwd=arguments.checkout,
    env=environment,
    stdout=subprocess.DEVNULL,
    stderr=subprocess.DEVNULL,
)
results: list[dict[str, object]] = []
try:
    for _attempt in range(600):
        try:
            fetch(f"{base}/static/kommuneradar.css")
            break
        except OSError:
            time.sleep(0.1)
    else:
        raise SystemExit("the server did not start")
    for name, path in PAGES:
        url = base + path
        for _warm in range(3):
            _ms, status = fetch(url)
            assert status == 200, f"{path} answered {status}"
        single = [fetch(url)[0] for _run in range(SINGLE_RUNS)]
        with ThreadPoolExecutor(CLIENTS) as pool:
            loaded = [ms for ms, _status in pool.map(fetch, [url] * CONCURRENT_REQUESTS)]
        row = {
            "page": name,
            "path": path,
            "single_median_ms": round(statistics.median(single), 1),
            "concurrent_median_ms": round(statistics.median(loaded), 1),
            "concurrent_p95_ms": round(percentile(loaded, 0.95), 1),
        }
        results.append(row)
        print(
            f"[{label}] {path}: one client median {row['single_median_ms']:.0f} ms; "
            f"{CLIENTS} clients median {row['concurrent_median_ms']:.0f} ms, "
            f"95th percentile {row['concurrent_p95_ms']:.0f} ms"
        )
    # A returning visitor: the CSRF cookie of the first visit, then the page and its ETag.
    with urllib.request.urlopen(base + "/radar/2024/") as response:
        cookie = response.headers.get("Set-Cookie", "").split(";")[0]
    returning = urllib.request.Request(base + "/radar/2024/", headers={"Cookie": cookie})
    with urllib.request.urlopen(returning) as response:
        etag = response.headers.get("ETag")
    if etag:
        headers = {"If-None-Match": etag, "Cookie": cookie}
        revalidated = [fetch(base + "/radar/2024/", headers) for _run in range(SINGLE_RUNS)]
        assert all(status == 304 for _ms, status in revalidated)
        median = statistics.median(ms for ms, _status in revalidated)
        results.append({"page": "radar, revalidated (304)", "single_median_ms": round(median, 1)})
        print(f"[{label}] /radar/2024/ with a matching If-None-Match: 304 in {median:.0f} ms")
finally:
    server.terminate()
    server.wait(timeout=30)

if arguments.json is None:
    arguments.json = ROOT / "benchmarks" / "results" / f"http_pages-{label.lower()}.json"
if arguments.json:
    arguments.json.parent.mkdir(parents=True, exist_ok=True)
    arguments.json.write_text(
        json.dumps(
            {
                "benchmark": "http_pages",
                "label": arguments.label,
                "database": label,
                "cache": "Redis" if os.environ.get("CACHE_URL") else "in-process memory",
                "server": "runserver (threaded, DEBUG off)",
                "checkout": str(arguments.checkout),
                "machine": f"{platform.node()}, {os.cpu_count()} cores, shared",
                "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                "pages": results,
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"figures written to {arguments.json}")
