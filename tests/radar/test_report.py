"""The PDF edition report of a demo edition: every technology in its text, tagged for
screen readers, in Danish, with its title; built once; refused without Pango."""

from __future__ import annotations

import io
import os
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from kommuneradar.radar import report, services
from kommuneradar.radar.models import ALL_DOMAINS, Edition
from kommuneradar.surveys.models import Answer, Round


def _pango() -> bool:
    try:
        report.load_weasyprint()
    except report.ReportUnavailable:
        return False
    return True


@pytest.fixture
def pango() -> None:
    """Skip without Debian's Pango locally (apt-get install libpango-1.0-0
    libpangoft2-1.0-0); in CI its absence is a failure (.ci/run installs it)."""
    if not _pango():
        if os.environ.get("CI"):
            pytest.fail("CI must have Debian's Pango installed (.ci/run installs it)")
        pytest.skip("Pango is not installed (apt-get install libpango-1.0-0 libpangoft2-1.0-0)")


@pytest.fixture
def demo(db: Any, analyst: Any) -> int:
    call_command("load_demo", stdout=StringIO())
    edition = Edition.objects.filter(scope=ALL_DOMAINS, status=Edition.Status.PUBLISHED).latest(
        "round__year"
    )
    year = edition.round.year
    round_ = Round.objects.get(year=year)
    services.write_story(
        round_,
        ALL_DOMAINS,
        analyst,
        introduction="Skærmbesøg er nu udbredt i de fleste kommuner.",
        expert_panel="Fem eksperter fra KL og kommunerne.",
        contact_name="Karen Kontakt",
        contact_role="Chefkonsulent",
        contact_email="karen@kl.example",
    )
    first = edition.blips.filter(suppressed=False).select_related("technology").first()
    assert first is not None
    services.write_ring_reason(
        round_, ALL_DOMAINS, first.technology, "Bred udbredelse og høj modenhed.", analyst
    )
    return year


def test_the_report_holds_every_technology_and_is_tagged_danish_and_titled(
    pango: None, demo: int
) -> None:
    from pypdf import PdfReader

    content = report.render_pdf(demo)
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    flat = " ".join(text.split())
    edition = Edition.objects.filter(
        scope=ALL_DOMAINS, round__year=demo, status=Edition.Status.PUBLISHED
    ).latest("revision")
    names = list(
        edition.blips.filter(suppressed=False).values_list("technology__name_da", flat=True)
    )
    assert names
    missing = [name for name in names if " ".join(name.split()) not in flat]
    assert not missing, missing
    for phrase in (
        "Skærmbesøg er nu udbredt",
        "Karen Kontakt",
        "Bred udbredelse og høj modenhed.",
        "Fem eksperter fra KL",
        "Metode",
    ):
        assert phrase in flat, phrase
    root: Any = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert str(root["/Lang"]).lower().startswith("da")
    assert reader.metadata is not None
    assert reader.metadata.title == f"Kommuneradar: teknologiradar {demo}"
    assert len(reader.pages) > len(names)  # a page per technology, and more


def test_the_report_is_downloaded_from_the_radar_page_and_built_once(
    pango: None, demo: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client()
    page = client.get(f"/radar/{demo}/")
    assert f'href="/radar/{demo}/rapport.pdf"' in page.content.decode()
    calls: list[int] = []
    render = report.render_pdf

    def counting(year: int) -> bytes:
        calls.append(year)
        return render(year)

    monkeypatch.setattr(report, "render_pdf", counting)
    first = client.get(f"/radar/{demo}/rapport.pdf")
    second = client.get(f"/radar/{demo}/rapport.pdf")
    assert first.status_code == second.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert first.content.startswith(b"%PDF")
    assert "attachment" in first["Content-Disposition"]
    assert calls == [demo]
    # a correction is a new published version: the report is built again
    round_ = Round.objects.get(year=demo)
    answer = Answer.objects.filter(response__round=round_).exclude(stage="scaled").first()
    assert answer is not None
    Answer.objects.filter(pk=answer.pk).update(stage="scaled")
    assert services.correct_round(round_, "Rettet svar fra en kommune.", None).revised
    client.get(f"/radar/{demo}/rapport.pdf")
    assert calls == [demo, demo]


def test_no_report_without_a_published_radar(db: Any) -> None:
    assert Client().get("/radar/1999/rapport.pdf").status_code == 404


def test_without_pango_the_report_says_so(demo: int, monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> Any:
        raise report.ReportUnavailable("Pango mangler.")

    monkeypatch.setattr(report, "load_weasyprint", missing)
    response = Client().get(f"/radar/{demo}/rapport.pdf")
    assert response.status_code == 503
    assert "Pango mangler." in response.content.decode()


def test_the_report_fetches_nothing_but_static_files(pango: None) -> None:
    weasyprint = report.load_weasyprint()
    fetcher = report.static_only(weasyprint)
    with pytest.raises(ValueError):
        fetcher.fetch("https://example.org/font.woff2")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    assert fetcher.fetch("file:///static/radar/report.css").url.endswith("report.css")


def test_publishing_a_round_builds_its_report_in_both_languages_before_anyone_asks(
    pango: None,
    client: Client,
    make_round: Any,
    analyst: Any,
    settings: Any,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.BUILD_REPORT_AFTER_PUBLISHING = True
    make_round(2024, {"skaermbesoeg": ["in_operation", "scaled", "piloting", "considering"] * 3})
    signed_in = client.post("/log-ind/", {"username": "anna", "password": "pw"})
    assert signed_in.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/runder/2024/udgivelse/", {"action": "publish"})
    assert Round.objects.get(year=2024).status == Round.Status.PUBLISHED

    def not_again(year: int) -> bytes:
        raise AssertionError("the report was rendered again for a reader")

    monkeypatch.setattr(report, "render_pdf", not_again)
    for language in ("da", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        answer = client.get("/radar/2024/rapport.pdf")
        assert answer.status_code == 200
        assert answer.getvalue().startswith(b"%PDF-")
