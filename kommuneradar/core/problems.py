"""The sentence for each import problem, and the one way to print a list of them.

The reader's own codes are translated here; each importer adds its own codes (marked
with gettext_noop so they land in its catalogue)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import tabular
from .tabular import Problem, where

MESSAGES: dict[str, str] = {
    tabular.EMPTY: gettext_noop("The file is empty."),
    tabular.TOO_LARGE: gettext_noop("The file is larger than %(value)s MB."),
    tabular.EXPANDS_TOO_MUCH: gettext_noop(
        "The XLSX file unpacks to more than %(value)s MB; save it again in Excel or split it."
    ),
    tabular.TOO_MUCH_TEXT: gettext_noop(
        "The XLSX file holds more than %(value)s MB of text; split it up."
    ),
    tabular.BINARY: gettext_noop("This is not a CSV or XLSX file (it contains binary data)."),
    tabular.NOT_TEXT: gettext_noop("The text cannot be read as UTF-8 or Windows-1252."),
    tabular.BAD_XLSX: gettext_noop("The XLSX file cannot be opened (%(value)s)."),
    tabular.LINE_TOO_LONG: gettext_noop(
        "The line is too long; this does not look like a spreadsheet."
    ),
    tabular.TOO_MANY_ROWS: gettext_noop("The file has more than %(value)s rows; split it up."),
    tabular.TOO_MANY_COLUMNS: gettext_noop("The row has more than %(value)s columns."),
    tabular.CELL_TOO_LONG: gettext_noop("The cell holds more than %(value)s characters."),
    tabular.NO_HEADER: gettext_noop("No header row with known column names was found."),
    tabular.MISSING_COLUMNS: gettext_noop("The column is missing."),
    tabular.NO_ROWS: gettext_noop("The file has a header but no rows."),
    tabular.TOO_MANY_ERRORS: gettext_noop("Stopped reading after %(value)s errors."),
    tabular.REQUIRED: gettext_noop("A value is required."),
    tabular.UNKNOWN: gettext_noop("Unknown value “%(value)s”."),
    tabular.NOT_A_NUMBER: gettext_noop("Not a number."),
    tabular.NOT_WHOLE: gettext_noop("Must be a whole number."),
    tabular.NEGATIVE: gettext_noop("Must be zero or more."),
    tabular.OUT_OF_RANGE: gettext_noop("The value is outside the allowed range."),
    tabular.NOT_A_DATE: gettext_noop("Not a date (write YYYY-MM-DD or DD-MM-YYYY)."),
    tabular.NOT_YES_NO: gettext_noop("Write ja or nej."),
    tabular.DUPLICATE: gettext_noop("Duplicate of line %(value)s."),
}


def reason(problem: Problem, messages: Mapping[str, str] = MESSAGES) -> str:
    """The translated reason for one problem; an importer's `messages` come first."""
    template = messages.get(problem.code) or MESSAGES.get(problem.code) or "%(value)s"
    return _(template) % {"value": problem.value}


def explain(
    problems: Iterable[Problem], messages: Mapping[str, str] = MESSAGES
) -> list[tuple[Problem, str]]:
    """Each problem with its reason, for a page's table of problems."""
    return [(problem, reason(problem, messages)) for problem in problems]


def describe(problem: Problem, messages: Mapping[str, str] = MESSAGES) -> str:
    """One problem as a command prints it: "line 4, column kommune: Ukendt kommune …"."""
    return f"{where(problem)}: {reason(problem, messages)}"
