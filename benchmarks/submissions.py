"""784 survey submissions at once (98 municipalities x 8 domains) through the real path
against `make serve`: each respondent opens the questionnaire with their own link (GET, which
gives the CSRF cookie and the form), then all of them submit at the same moment (POST with
every technology answered). Counts what the database holds afterwards: every answer stored,
none lost, none duplicated; and the latency of the submissions (50th/95th/99th percentile).

The database is the one DATABASE_URL points at. A new round (the year after the latest) is
opened there with one invitation per municipality and domain and a fresh link each (the
first --respondents of them); it is deleted with everything in it at the end.

Run: DATABASE_URL=postgres://… .venv/bin/python benchmarks/submissions.py [--respondents 784]
Target (issue 10): 0 lost, 0 duplicated.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import re
import statistics
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

from _setup import data_size, describe, existing_database, machine, served, write_results

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--respondents", type=int, default=784)
parser.add_argument("--redis-db", type=int, default=9, help="the Redis database of the cache")
arguments = parser.parse_args()

STARTED_WITH = dict(os.environ)
label = existing_database()
size = data_size()
print(f"[{label}] data: {describe(size)}")

from django.db.models import Count, Max  # noqa: E402

from kommuneradar.core import tokens  # noqa: E402
from kommuneradar.surveys import services  # noqa: E402
from kommuneradar.surveys import vocabulary as v  # noqa: E402
from kommuneradar.surveys.models import Answer, Invitation, Response, Round  # noqa: E402

FIELD = re.compile(r'name="(t\d+)-stage"')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


def open_round() -> tuple[Round, list[str]]:
    year = (Round.objects.aggregate(year=Max("year"))["year"] or 2020) + 1
    round_ = Round.objects.create(
        year=year, opens_on=dt.date(year, 2, 1), closes_on=dt.date(year, 3, 31)
    )
    services.create_invitations(round_)
    round_.status = Round.Status.OPEN
    round_.save(update_fields=["status"])
    invitations = list(
        Invitation.objects.filter(round=round_).order_by("municipality__code", "domain__order")[
            : arguments.respondents
        ]
    )
    links = []
    for invitation in invitations:
        token = tokens.new_token()
        invitation.token_hash = tokens.hash_token(token)
        links.append(f"/spoergeskema/{token}/")
    Invitation.objects.bulk_update(invitations, ["token_hash"], batch_size=1000)
    return round_, links


def request(
    base: str, method: str, path: str, body: str = "", cookie: str = ""
) -> tuple[int, str, str, float]:
    """(status, body, Set-Cookie, milliseconds) of one request on its own connection."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=600)
    headers = {"Cookie": cookie} if cookie else {}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.perf_counter()
    try:
        connection.request(method, path, body=body or None, headers=headers)
        answer = connection.getresponse()
        text = answer.read().decode("utf-8", errors="replace")
        elapsed = (time.perf_counter() - started) * 1000
        return answer.status, text, answer.getheader("Set-Cookie") or "", elapsed
    finally:
        connection.close()


round_, links = open_round()
expected = 0
try:
    with served(
        STARTED_WITH,
        CACHE_URL=os.environ.get("CACHE_URL") or f"redis://127.0.0.1:6379/{arguments.redis_db}",
        # the respondents all come from this one address
        RATE_LIMIT_TOKEN_LINK="1000000/m",
    ) as base:
        # Each respondent opens their link: the form and the CSRF cookie.
        def prepare(link: str) -> tuple[str, str, str]:
            status, html, set_cookie, _ms = request(base, "GET", link)
            assert status == 200, f"{link} answered {status}"
            cookie = set_cookie.split(";")[0]
            fields = {"csrfmiddlewaretoken": TOKEN.findall(html)[-1], "submit": "1"}
            for prefix in FIELD.findall(html):
                fields |= {
                    f"{prefix}-stage": v.IN_OPERATION,
                    f"{prefix}-efficiency": v.VALUE_LARGE,
                    f"{prefix}-quality": v.VALUE_SOME,
                    f"{prefix}-wellbeing": v.VALUE_DONT_KNOW,
                    f"{prefix}-comment": "Målt under belastning",
                }
            return link, urllib.parse.urlencode(fields), cookie

        with ThreadPoolExecutor(32) as pool:
            forms = list(pool.map(prepare, links))
        expected = sum(body.count("-stage=") for _link, body, _cookie in forms)
        print(f"[{label}] {len(forms)} respondents, {expected:,} answers to submit")
        # All submit at the same moment.
        barrier = threading.Barrier(len(forms))

        def submit(form: tuple[str, str, str]) -> tuple[int, float]:
            link, body, cookie = form
            barrier.wait()
            status, _text, _cookie, ms = request(base, "POST", link, body, cookie)
            return status, ms

        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        with ThreadPoolExecutor(len(forms)) as pool:
            outcomes = list(pool.map(submit, forms))
        wall = time.perf_counter() - started
    statuses: dict[int, int] = {}
    for status, _ms in outcomes:
        statuses[status] = statuses.get(status, 0) + 1
    timings = sorted(ms for _status, ms in outcomes)

    def percentile(share: float) -> float:
        return timings[max(0, int(share * len(timings) + 0.999999) - 1)]

    answers = Answer.objects.filter(response__round=round_)
    stored = answers.count()
    distinct = answers.values("response_id", "technology_id").distinct().count()
    submitted = Response.objects.filter(round=round_, submitted_at__isnull=False).count()
    per_response = (
        Response.objects.filter(round=round_)
        .values("municipality_id", "domain_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    lost = expected - stored
    duplicated = (stored - distinct) + per_response
    figures = {
        "respondents": len(forms),
        "answers_submitted": expected,
        "answers_stored": stored,
        "lost": lost,
        "duplicated": duplicated,
        "responses_submitted": submitted,
        "statuses": {str(status): count for status, count in sorted(statuses.items())},
        "seconds_for_all": round(wall, 1),
        "p50_ms": round(percentile(0.50), 1),
        "p95_ms": round(percentile(0.95), 1),
        "p99_ms": round(percentile(0.99), 1),
        "max_ms": round(timings[-1], 1),
        "mean_ms": round(statistics.mean(timings), 1),
        "load_average_before": round(load_before, 2),
    }
finally:
    Round.objects.filter(pk=round_.pk).delete()

print(
    f"[{label}] {figures['respondents']} submissions at once: {stored:,} of {expected:,} answers "
    f"stored, {lost} lost, {duplicated} duplicated, {submitted} responses submitted; "
    f"answers {figures['statuses']}; all done in {wall:.1f} s; latency p50 "
    f"{figures['p50_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms, p99 {figures['p99_ms']:.0f} ms"
)
met = lost == 0 and duplicated == 0 and submitted == len(forms)
print(f"[{label}] target 0 lost, 0 duplicated: {'met' if met else 'NOT met'}")
write_results(
    "submissions",
    {
        "benchmark": "submissions",
        "database": label,
        "data": size,
        "server": "scripts/serve (gunicorn, DEBUG off), Redis cache",
        "machine": machine(),
        **figures,
        "target": "0 lost, 0 duplicated",
        "target_met": met,
    },
)
