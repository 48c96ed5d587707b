"""Danish is the language on screen: every catalogue is complete and compiled."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kommuneradar"
CATALOGUES = sorted(PACKAGE.glob("*/locale/da/LC_MESSAGES/django.po"))


def test_every_app_with_strings_has_a_danish_catalogue() -> None:
    assert len(CATALOGUES) >= 5


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_catalogue_is_fully_translated(po_path: Path) -> None:
    catalogue = polib.pofile(str(po_path))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert missing == [], f"{po_path}: untranslated {missing[:10]}"
    assert fuzzy == [], f"{po_path}: fuzzy {fuzzy[:10]}"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_compiled_catalogue_matches_source(po_path: Path) -> None:
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run `make messages`"
    source = {(e.msgctxt, e.msgid, e.msgstr) for e in polib.pofile(str(po_path)) if e.msgstr}
    compiled = {(e.msgctxt, e.msgid, e.msgstr) for e in polib.mofile(str(mo_path)) if e.msgid}
    assert source <= compiled, f"{mo_path} is out of date: run `make messages`"
