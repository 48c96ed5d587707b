"""Reading exported files back the way Danish Excel does, for the tests."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

from django.http.response import HttpResponseBase
from openpyxl import Workbook, load_workbook


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


def zip_bomb(expanded_bytes: int) -> bytes:
    """A real workbook whose shared strings unpack to more than `expanded_bytes`, while
    the file itself stays small (repeated text compresses about a thousand times)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "svar"
    sheet.append(["kommune", "fagområde", "teknologi", "stadie"])
    sheet.append(["630", "Sundhed og ældre", "Skærmbesøg", "I drift"])
    plain = io.BytesIO()
    workbook.save(plain)
    bomb = io.BytesIO()
    item = b"<si><t>" + b"A" * 1000 + b"</t></si>"
    with (
        zipfile.ZipFile(plain) as source,
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for member in source.infolist():
            if member.filename != "xl/sharedStrings.xml":
                target.writestr(member, source.read(member))
        with target.open("xl/sharedStrings.xml", "w") as strings:
            strings.write(
                b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            written = 0
            chunk = item * 1024
            while written <= expanded_bytes:
                strings.write(chunk)
                written += len(chunk)
            strings.write(b"</sst>")
    return bomb.getvalue()
