"""One way to answer with a file, and one way a URL names its format."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

from . import tabular

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
    "pdf": "application/pdf",
}


def file_response(
    content: bytes | str | Iterator[str], filename: str, fmt: str
) -> HttpResponseBase:
    """A download named `filename`.`fmt`; an iterator of text is streamed."""
    response: HttpResponseBase
    if isinstance(content, bytes | str):
        response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    else:
        response = StreamingHttpResponse(content, content_type=CONTENT_TYPES[fmt])
    disposition = content_disposition_header(as_attachment=True, filename=f"{filename}.{fmt}")
    assert disposition is not None
    response["Content-Disposition"] = disposition
    return response


def export_response(
    fmt: str,
    filename: str,
    fields: Iterable[tabular.Field],
    records: Iterable[Mapping[str, Any]],
    sheet_title: str,
    document: Any = None,
) -> HttpResponseBase:
    """Records as a CSV, XLSX or JSON download through the one writer."""
    content = tabular.render(fmt, list(fields), records, sheet_title, document)
    return file_response(content, filename, fmt)


class FormatConverter:
    """`<fmt:fmt>`: a file format that the exports write; any other answers 404."""

    regex = "|".join(tabular.FORMATS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class SheetFormatConverter(FormatConverter):
    """`<sheet:fmt>`: a spreadsheet format (for files people fill in, not data)."""

    regex = "csv|xlsx"
