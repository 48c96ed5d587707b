"""Reading exported files back the way Danish Excel does, for the tests."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
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


SHARED_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def shared_strings_workbook(chunks: Iterable[bytes]) -> bytes:
    """A real workbook (one small sheet) with `chunks` of <si> items as its shared strings,
    which openpyxl loads whole (it writes inline strings itself, so they are added here)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "svar"
    sheet.append(["kommune", "fagområde", "teknologi", "stadie"])
    sheet.append(["630", "Sundhed og ældre", "Skærmbesøg", "I drift"])
    plain = io.BytesIO()
    workbook.save(plain)
    result = io.BytesIO()
    with (
        zipfile.ZipFile(plain) as source,
        zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "[Content_Types].xml" and b"sharedStrings" not in content:
                content = content.replace(b"</Types>", SHARED_STRINGS_TYPE + b"</Types>")
            target.writestr(member, content)
        with target.open("xl/sharedStrings.xml", "w") as strings:
            strings.write(
                b'<?xml version="1.0"?>'
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            for chunk in chunks:
                strings.write(chunk)
            strings.write(b"</sst>")
    return result.getvalue()


def zip_bomb(expanded_bytes: int, item: bytes = b"<si><t>" + b"A" * 1000 + b"</t></si>") -> bytes:
    """A workbook whose shared strings (`item` repeated) unpack to more than
    `expanded_bytes`, while the file itself stays small (repeated text compresses about a
    thousand times)."""
    chunk = item * 1024
    return shared_strings_workbook(chunk for _ in range(expanded_bytes // len(chunk) + 1))
