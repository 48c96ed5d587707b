"""The URL form of a municipality's official code."""

from __future__ import annotations


class MunicipalityCodeConverter:
    """Letters, digits and hyphens, at most 10 (Denmark's codes are three digits). A path
    such as `eksport.pdf` is not a code, so it answers 404 instead of being redirected to
    `eksport.pdf/` by the trailing-slash rule."""

    regex = "[0-9A-Za-z-]{1,10}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
