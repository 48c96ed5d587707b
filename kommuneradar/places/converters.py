"""The URL form of a municipality's official code."""

from __future__ import annotations


class MunicipalityCodeConverter:
    """A Danish municipality by its code ("101"); another country's by its country in lower
    case, a slash and its code ("xs/S00001", see `places.naming.url_code`). A code is
    letters, digits and hyphens, at most 10. A path such as `eksport.pdf` is not a code, so
    it answers 404 instead of being redirected to `eksport.pdf/` by the trailing-slash rule."""

    regex = "(?:[a-z]{2}/)?[0-9A-Za-z-]{1,10}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
