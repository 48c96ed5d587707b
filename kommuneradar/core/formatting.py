"""One way to write each kind of number on screen (pure, no Django).

Danish conventions: 1.234.567 with a dot for thousands, a comma for decimals, and a
space before %. English uses 1,234,567 and 64%.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def _group(integer_digits: str, separator: str) -> str:
    groups: list[str] = []
    while len(integer_digits) > 3:
        groups.insert(0, integer_digits[-3:])
        integer_digits = integer_digits[:-3]
    groups.insert(0, integer_digits)
    return separator.join(groups)


def number(value: float | int | Decimal, decimals: int = 0, language: str = "da") -> str:
    """A number rounded half up to `decimals`, with the language's separators."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    text = f"{abs(rounded):f}"
    integer, _, fraction = text.partition(".")
    thousands, decimal_mark = (".", ",") if language == "da" else (",", ".")
    result = _group(integer, thousands)
    if decimals > 0:
        result += decimal_mark + fraction
    return sign + result


def percent(share: float | None, decimals: int = 0, language: str = "da") -> str:
    """A share 0..1 as a percentage; an empty share is a dash."""
    if share is None:
        return "–"
    text = number(share * 100, decimals, language)
    return f"{text} %" if language == "da" else f"{text}%"


def dkk(amount: float | int | Decimal | None, language: str = "da") -> str:
    """An amount in Danish kroner, whole kroner."""
    if amount is None:
        return "–"
    text = number(amount, 0, language)
    return f"{text} kr." if language == "da" else f"DKK {text}"


# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; other
    values pass unchanged. Used by every CSV and XLSX export."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
