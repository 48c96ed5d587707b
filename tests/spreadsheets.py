"""Reading exported files back the way Danish Excel does, for the tests."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http.response import HttpResponseBase
from openpyxl import load_workbook


def body(response: HttpResponseBase) -> bytes:
    """The bytes of a response, streamed or not (a streamed one can be read again)."""
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        response.streaming_content = [data]  # type: ignore[attr-defined]
        return data
    return response.content  # type: ignore[attr-defined, no-any-return]


def csv_rows(response: HttpResponseBase) -> list[dict[str, str]]:
    """A CSV export's rows by Danish heading; fails unless it starts with a BOM and uses `;`."""
    content = body(response)
    assert content.startswith(b"\xef\xbb\xbf"), "a CSV export starts with a UTF-8 BOM"
    text = content.decode("utf-8-sig")
    assert ";" in text.splitlines()[0], "a CSV export is separated by semicolons"
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def xlsx_rows(response: HttpResponseBase) -> list[dict[str, Any]]:
    """An XLSX export's rows by heading (the first row), values as stored."""
    sheet = load_workbook(io.BytesIO(body(response)), read_only=True).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]
