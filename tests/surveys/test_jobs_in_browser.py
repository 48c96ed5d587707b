"""An analyst imports a round's answers in Chromium: logs in on the login page, uploads a
real file on the import page, watches the job's page while the import waits for the
worker, and sees the result appear when the worker has run it (the page's own script
follows the job; nobody reloads it). The pages pass axe at desktop and phone width."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

from kommuneradar.accounts.models import User
from kommuneradar.surveys.models import Answer, Job, Round
from tests.accounts.test_first_day_in_browser import log_in
from tests.browsing import assert_accessible_and_fits

from .test_import import HEADER, grid_rows

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Fjordbyen-Import-2025"


@pytest.mark.parametrize("width", [1280, 375])
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_an_analyst_uploads_answers_and_follows_the_import_to_its_result(
    live_server: Any, browser: Any, draft_round: Round, tmp_path: Path, width: int
) -> None:
    User.objects.create_user("importoer", "importoer@kl.example", PASSWORD, role="analyst")
    answers = tmp_path / "svar.csv"
    answers.write_text(HEADER + "\n" + "\n".join(grid_rows(120)) + "\n", encoding="cp1252")
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    log_in(page, live_server.url, "importoer", PASSWORD)

    page.goto(live_server.url + "/runder/2025/import/")
    page.get_by_label("CSV- eller XLSX-fil").set_input_files(str(answers))
    with page.expect_navigation():
        page.get_by_role("button", name="Importér").click()
    job = Job.objects.get()
    assert page.url == f"{live_server.url}/opgaver/{job.pk}/"
    assert page.get_by_text("Venter på, at en baggrundsproces starter jobbet.").is_visible()
    assert page.locator("progress").count() == 1
    assert_accessible_and_fits(page, f"a waiting job at {width}px")

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    page.get_by_text("Behandlede 120 rækker").wait_for(timeout=20_000)
    assert page.get_by_role("heading", name="Resultat").is_visible()
    assert Answer.objects.count() == 120
    assert_accessible_and_fits(page, f"a finished job at {width}px")
    with page.expect_navigation():
        page.get_by_role("link", name="Tilbage").click()
    assert page.url == f"{live_server.url}/runder/2025/import/"
    context.close()
