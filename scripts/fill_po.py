"""Fill a Danish catalogue from a Python file of translations (T, and optional PLURALS).

Usage: python scripts/fill_po.py TRANSLATIONS.py PO_FILE [PO_FILE ...]
Prints the msgids still missing. A developer tool; not used at run time.
"""

from __future__ import annotations

import runpy
import sys

import polib


def main() -> None:
    namespace = runpy.run_path(sys.argv[1])
    singles: dict[str, str] = namespace["T"]
    plurals: dict[str, tuple[str, str]] = namespace.get("PLURALS", {})
    for path in sys.argv[2:]:
        catalogue = polib.pofile(path)
        catalogue.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
        catalogue.metadata["Language"] = "da"
        for entry in catalogue:
            if entry.msgid_plural and entry.msgid in plurals:
                one, many = plurals[entry.msgid]
                entry.msgstr_plural = {0: one, 1: many}
            elif entry.msgid in singles:
                entry.msgstr = singles[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
                entry.previous_msgid = None
        catalogue.save(path)
        for entry in catalogue.untranslated_entries():
            print(f"{path}: missing {entry.msgid!r}")


if __name__ == "__main__":
    main()
