"""KL's KLE plan (XML) into KleEntry: upsert by number with parent links, all or nothing,
every problem named by its line and element."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kommuneradar.accounts.models import AuditEntry
from kommuneradar.automation import kleplan
from kommuneradar.automation.importing import import_kle
from kommuneradar.automation.models import KleEntry
from kommuneradar.demo.automation_data import KLE_SUBSET

from .io_helpers import KLE_SAMPLE

PLAN = """<?xml version="1.0" encoding="UTF-8"?>
<KLE-Emneplan xmlns="http://example.invalid/kle">
  <UdgivelsesDato>2026-01-01</UdgivelsesDato>
  <Hovedgruppe>
    <HovedgruppeNr>81</HovedgruppeNr>
    <HovedgruppeTitel>Personale</HovedgruppeTitel>
    <HovedgruppeVejledning><p>Titel i vejledningen, <b>ikke</b> en titel</p></HovedgruppeVejledning>
    <Gruppe>
      <GruppeNr>81.02</GruppeNr>
      <GruppeTitel>Ansættelse</GruppeTitel>
      <Emne>
        <EmneNr>81.02.04</EmneNr>
        <EmneTitel>Børneattester   og
          straffeattester</EmneTitel>
      </Emne>
      {extra}
    </Gruppe>
  </Hovedgruppe>
</KLE-Emneplan>
"""


def _plan(extra: str = "") -> bytes:
    return PLAN.replace("{extra}", extra).encode()


def test_the_reader_gives_every_level_with_its_parent_and_skips_the_rest() -> None:
    plan = kleplan.read(io.BytesIO(_plan()))
    assert plan.ok, plan.problems
    by_number = {entry.number: entry for entry in plan.entries}
    assert by_number["81"].level == kleplan.MAIN_GROUP and by_number["81"].parent == ""
    assert by_number["81.02"].parent == "81"
    assert by_number["81.02.04"].title == "Børneattester og straffeattester"
    assert by_number["81.02.04"].parent == "81.02"
    assert by_number["81"].title == "Personale"


@pytest.mark.django_db
def test_importing_creates_entries_with_parents_and_a_second_run_changes_nothing() -> None:
    result = import_kle(io.BytesIO(_plan()), "plan.xml")
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    topic = KleEntry.objects.get(number="81.02.04")
    assert topic.level == KleEntry.Level.TOPIC
    assert topic.parent is not None and topic.parent.number == "81.02"
    assert topic.parent.parent is not None and topic.parent.parent.number == "81"
    entries = AuditEntry.objects.filter(action="import_kle").count()
    assert entries == 3
    again = import_kle(io.BytesIO(_plan()), "plan.xml")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert AuditEntry.objects.filter(action="import_kle").count() == entries


@pytest.mark.django_db
def test_a_changed_title_is_updated_by_number_and_entries_not_in_the_file_stay() -> None:
    kept = KleEntry.objects.create(number="99", title="Lokalt emne", level="main_group")
    old = KleEntry.objects.create(number="81", title="Gammel titel", level="main_group")
    result = import_kle(io.BytesIO(_plan()), "plan.xml")
    assert (result.created, result.updated) == (2, 1)
    old.refresh_from_db()
    assert old.title == "Personale"
    assert KleEntry.objects.filter(pk=kept.pk).exists()


BAD = [
    (
        "<Emne><EmneNr>81.03.01</EmneNr><EmneTitel>Forkert gruppe</EmneTitel></Emne>",
        16,
        "Emne",
        kleplan.NOT_UNDER_PARENT,
    ),
    (
        "<Emne><EmneNr>81.02.4</EmneNr><EmneTitel>Kort nummer</EmneTitel></Emne>",
        16,
        "Emne",
        kleplan.BAD_NUMBER,
    ),
    ("<Emne><EmneNr>81.02.05</EmneNr></Emne>", 16, "Emne", kleplan.NO_TITLE),
    ("<Emne><EmneTitel>Uden nummer</EmneTitel></Emne>", 16, "Emne", kleplan.NO_NUMBER),
    (
        "<Emne><EmneNr>81.02.04</EmneNr><EmneTitel>Igen</EmneTitel></Emne>",
        16,
        "Emne",
        kleplan.DUPLICATE,
    ),
    (
        "<Gruppe><GruppeNr>81.02</GruppeNr><GruppeTitel>I en gruppe</GruppeTitel></Gruppe>",
        16,
        "Gruppe",
        kleplan.MISPLACED,
    ),
    ("<Emne><EmneNr>81.02.09</EmneNr><EmneTitel>Ikke lukket</EmneTitel>", 0, "", kleplan.NOT_XML),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("extra", "line", "element", "code"), BAD)
def test_a_bad_entry_imports_nothing_and_is_named_by_line_and_element(
    extra: str, line: int, element: str, code: str
) -> None:
    result = import_kle(io.BytesIO(_plan(extra)), "plan.xml")
    assert not result.ok
    first = result.problems[0]
    assert first.code == code
    if line:
        assert (first.line, first.element) == (line, element)
    assert KleEntry.objects.count() == 0
    assert result.lines()[0].startswith("line ")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", kleplan.EMPTY),
        (b"<Emneplan><Hovedgruppe/></Emneplan>", kleplan.NOT_A_PLAN),
        (b"<KLE-Emneplan></KLE-Emneplan>", kleplan.NO_ENTRIES),
        (b"kommune;titel\n630;x\n", kleplan.NOT_XML),
        (
            b'<?xml version="1.0"?><!DOCTYPE KLE-Emneplan [<!ENTITY a "aaaa">]>'
            b"<KLE-Emneplan>&a;</KLE-Emneplan>",
            kleplan.DOCTYPE,
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE KLE-Emneplan SYSTEM "file:///etc/passwd">'
            b"<KLE-Emneplan/>",
            kleplan.DOCTYPE,
        ),
    ],
)
def test_a_file_that_is_not_a_kle_plan_is_refused_with_its_reason(
    content: bytes, code: str
) -> None:
    result = import_kle(io.BytesIO(content), "x.xml")
    assert [problem.code for problem in result.problems][:1] == [code]
    assert KleEntry.objects.count() == 0


@pytest.mark.django_db
def test_the_command_imports_the_sample_and_names_a_bad_line(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("import_kle", str(KLE_SAMPLE), stdout=out)
    assert "30 entries created" in out.getvalue()
    bad = tmp_path / "bad.xml"
    bad.write_bytes(_plan("<Emne><EmneNr>81.02.4</EmneNr><EmneTitel>x</EmneTitel></Emne>"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing imported: 1 problem"):
        call_command("import_kle", str(bad), stderr=err)
    assert re.search(r"line 16, element Emne: .*81\.02\.4", err.getvalue())


def test_the_sample_file_holds_the_demo_subset() -> None:
    """The demo writes its KLE subset by hand; the sample file is the same subset in KL's
    format, so importing the sample over the demo changes nothing."""
    plan = kleplan.read(KLE_SAMPLE.open("rb"))
    assert plan.ok, plan.problems
    assert sorted((e.number, e.title) for e in plan.entries) == sorted(KLE_SUBSET)


@pytest.mark.django_db
def test_importing_the_sample_over_the_demo_subset_leaves_it_as_it_is() -> None:
    for number, title in KLE_SUBSET:
        parent = KleEntry.objects.filter(number=number.rsplit(".", 1)[0]).first()
        KleEntry.objects.create(
            number=number,
            title=title,
            level=KleEntry.level_of(number),
            parent=parent if "." in number else None,
        )
    result = import_kle(KLE_SAMPLE.open("rb"), KLE_SAMPLE.name)
    assert (result.created, result.updated, result.unchanged) == (0, 0, len(KLE_SUBSET))
