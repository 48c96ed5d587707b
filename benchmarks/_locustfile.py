"""The simulated visitors of benchmarks/http_load.py (not a benchmark of its own).

Each of the users asks for the one path in BENCH_PATH again and again without pausing, as an
anonymous visitor: it keeps the cookies the site sets (the CSRF cookie of the language form)
and sends no If-None-Match, so every answer is a full page.
"""

from __future__ import annotations

import os

from locust import FastHttpUser, constant, task

PATH = os.environ.get("BENCH_PATH", "/")


class Visitor(FastHttpUser):  # type: ignore[misc]
    wait_time = constant(0)

    @task
    def page(self) -> None:
        with self.client.get(PATH, name=PATH, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
