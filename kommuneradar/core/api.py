"""What every app's API router shares: bounded pagination, one page shape, and form
errors answered as the API's 422 (the same shape as a schema error: `loc`, `msg`, `type`).

Handlers stay thin: they parse with a schema, call the app's service or query, and build
records with the app's exports; these helpers only shape the answer."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Annotated, Any, NoReturn, TypeVar

from django import forms
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_noop
from ninja import Field, Schema
from ninja.errors import ValidationError

MAX_LIMIT = 200
MAX_OFFSET = 1_000_000
# A database integer key; larger numbers are refused with 422 rather than overflowing.
MAX_ID = 2_147_483_647
# Path and query text is bounded too, so no parameter can make the database work hard.
MAX_TEXT = 200

# A slug or a municipality code in a request body: checked by the schema, so no text with
# control characters reaches a database lookup (PostgreSQL refuses NUL in text).
Slug = Annotated[str, Field(pattern=r"^[a-z0-9-]{1,100}$")]
MunicipalityCode = Annotated[str, Field(pattern=r"^[0-9]{3}$")]

T = TypeVar("T")
M = TypeVar("M", bound=Model)


class Paging(Schema):
    """limit and offset of every list endpoint; out of range answers 422."""

    limit: int = Field(
        50, ge=1, le=MAX_LIMIT, description=gettext_noop("How many results to return (1 to 200).")
    )
    offset: int = Field(
        0,
        ge=0,
        le=MAX_OFFSET,
        description=gettext_noop("How many results to skip before the first one (0 to 1,000,000)."),
    )


class PageMeta(Schema):
    count: int = Field(
        description=gettext_noop("How many results there are in all, over every page.")
    )
    limit: int = Field(description=gettext_noop("The limit asked for."))
    offset: int = Field(description=gettext_noop("The offset asked for."))


def page_of(
    rows: QuerySet[M] | Sequence[T],
    paging: Paging,
    record: Callable[[Any], dict[str, Any]],
) -> dict[str, Any]:
    """One page of `rows` (already in a stable order) as records, with the total count."""
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    chosen: Iterable[Any] = rows[paging.offset : paging.offset + paging.limit]
    return {
        "count": count,
        "limit": paging.limit,
        "offset": paging.offset,
        "results": [record(row) for row in chosen],
    }


def refuse_invalid(
    *named_forms: tuple[str, forms.BaseForm | Any], skipped: dict[str, int] | None = None
) -> None:
    """Raise the API's 422 naming every field of every invalid form; do nothing when all
    are valid. Each form comes with the body key it was filled from ("" for the top); a
    formset's row numbers count from its first new row (`skipped` rows come before)."""
    problems: list[dict[str, Any]] = []
    for key, form in named_forms:
        if form.is_valid():
            continue
        for index, errors in _form_errors(form):
            for field, messages in errors.items():
                where: list[str | int] = ["body", "payload"]
                if key:
                    where.append(key)
                if index is not None:
                    where.append(index - (skipped or {}).get(key, 0))
                if field != "__all__":
                    where.append(field)
                problems.extend(
                    {"loc": where, "msg": str(message), "type": "invalid"} for message in messages
                )
    if problems:
        raise ValidationError(problems)


def _form_errors(form: Any) -> list[tuple[int | None, dict[str, list[str]]]]:
    if isinstance(form, forms.BaseFormSet):
        found: list[tuple[int | None, dict[str, list[str]]]] = [
            (index, _messages(errors)) for index, errors in enumerate(form.errors) if errors
        ]
        if form.non_form_errors():
            found.append((None, {"__all__": [str(m) for m in form.non_form_errors()]}))
        return found
    return [(None, _messages(form.errors))]


def _messages(errors: Any) -> dict[str, list[str]]:
    return {field: [str(message) for message in found] for field, found in errors.items()}


def refuse_field(key: str, message: str) -> NoReturn:
    """A 422 about one body field that no form holds (an unknown code or slug)."""
    raise ValidationError([{"loc": ["body", "payload", key], "msg": message, "type": "invalid"}])


def form_data(values: dict[str, Any]) -> dict[str, Any]:
    """A JSON body as the data a Django form reads: None as an empty field, lists kept
    (multiple choices), everything else as text (dates ISO, dot decimals)."""
    data: dict[str, Any] = {}
    for key, value in values.items():
        if value is None:
            data[key] = ""
        elif isinstance(value, bool | list):
            data[key] = value
        elif isinstance(value, Decimal):
            data[key] = format(value, "f")
        else:
            data[key] = str(value)
    return data


def formset_data(
    prefix: str, new: list[dict[str, Any]], replaced_ids: Sequence[int] = ()
) -> dict[str, Any]:
    """Formset data that deletes the `replaced_ids` rows and adds `new` ones: how a JSON
    list replaces an inline list (effects, indicators) through the page's own formset."""
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(replaced_ids) + len(new)),
        f"{prefix}-INITIAL_FORMS": str(len(replaced_ids)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, pk in enumerate(replaced_ids):
        data[f"{prefix}-{index}-id"] = str(pk)
        data[f"{prefix}-{index}-DELETE"] = True
    for index, values in enumerate(new, start=len(replaced_ids)):
        for key, value in form_data(values).items():
            data[f"{prefix}-{index}-{key}"] = value
    return data
