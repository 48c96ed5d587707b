"""Counts are written the Danish way at any size: at scale a technology has more than ten
thousand users, and "10005 af 10093 kommuner" reads as a code, not a count."""

from __future__ import annotations

from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils import translation


def test_a_blip_names_its_users_and_respondents_with_thousands_separators() -> None:
    blip = SimpleNamespace(
        technology=SimpleNamespace(name="Billedgenkendelse"),
        ring_label="AFPRØV",
        diffusion=0.99,
        users=10005,
        respondents=10093,
        uncertain=False,
        override_ring="",
        movement="unchanged",
    )
    with translation.override("da"):
        text = render_to_string("radar/_blip_name.html", {"blip": blip})
    assert "(10.005 af 10.093 kommuner)" in text
    with translation.override("en"):
        text = render_to_string("radar/_blip_name.html", {"blip": blip})
    assert "(10,005 of 10,093 municipalities)" in text


def test_the_stage_table_writes_counts_with_thousands_separators() -> None:
    rows = [
        SimpleNamespace(
            year=2024,
            domain=None,
            counts=SimpleNamespace(
                cells=[("in_operation", 9613), ("scaled", 12)], respondents=10098
            ),
        )
    ]
    with translation.override("da"):
        html = render_to_string(
            "radar/_pipeline_table.html",
            {"kind": "technology", "rows": rows, "stage_columns": [], "caption": "Faser"},
        )
    assert '<td class="num">9.613</td>' in html and '<td class="num">10.098</td>' in html
