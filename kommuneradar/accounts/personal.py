"""Personal data: which fields hold a person's name, e-mail address or phone number, and the
one way to find, export and erase everything stored about one person, by e-mail address.

Each app registers its models' personal fields with `register()` (at the bottom of its
models.py), as it registers access rules and audit tracking. Finding a person then has two
parts: the registered rows whose e-mail field holds the address (with the names they give),
and a sweep of every text column of every table for the address and those names (the audit
trail's before/after texts, the admin's log, free text), so a value copied somewhere nobody
registered is still found. docs/privacy.md describes what is stored and why."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat

from .models import AuditEntry, Invitation, User

PLACEHOLDER = "[slettet]"
DELETE = "delete"  # the row exists only for the person (a contact): remove it
BLANK = "blank"  # the row is about something else (an enrolment): empty the person's fields
# Single name parts (a first name) are replaced only in the audit trail's texts, where a
# change of one field is written alone; elsewhere only the full name and the address.
MIN_PART = 2


class PersonalDataError(Exception):
    """The input does not name one person unambiguously; the message says why."""


@dataclass(frozen=True)
class Holder:
    """A model whose rows hold personal data, and which fields do."""

    model: type[models.Model]
    emails: tuple[str, ...]
    names: tuple[str, ...]
    other: tuple[str, ...]
    erase: str
    purpose: str

    @property
    def label(self) -> str:
        return self.model._meta.label


HOLDERS: dict[type[models.Model], Holder] = {}


def register(
    model: type[models.Model],
    *,
    emails: Iterable[str] = (),
    names: Iterable[str] = (),
    other: Iterable[str] = (),
    erase: str = BLANK,
    purpose: str,
) -> None:
    """Declare the personal fields of `model`: e-mail fields (how a person is found), name
    fields, other personal fields (phone, job title); `erase` says whether erasing removes
    the row or empties those fields; `purpose` why they are stored."""
    if erase not in (DELETE, BLANK):
        raise ValueError(erase)
    HOLDERS[model] = Holder(model, tuple(emails), tuple(names), tuple(other), erase, purpose)


def personal_fields(model: type[models.Model]) -> set[str]:
    holder = HOLDERS.get(model)
    if holder is None:
        return set()
    return {*holder.emails, *holder.names, *holder.other}


# Finding a person ----------------------------------------------------------------------


@dataclass
class Person:
    """Everything found about one e-mail address."""

    email: str
    names: list[str]
    parts: list[str]
    user: User | None
    rows: dict[str, list[models.Model]] = field(default_factory=dict)

    @property
    def terms(self) -> list[str]:
        """What is searched for in every text column: the address and the full names."""
        return [self.email, *self.names]


def _email_query(holder: Holder, email: str) -> Q:
    query = Q()
    for name in holder.emails:
        query |= Q(**{f"{name}__iexact": email})
    return query


def _full_name(holder: Holder, row: models.Model) -> str:
    return " ".join(str(getattr(row, name) or "").strip() for name in holder.names).strip()


def _name_expression(holder: Holder) -> Any:
    if len(holder.names) == 1:
        return models.F(holder.names[0])
    parts: list[Any] = []
    for name in holder.names:
        if parts:
            parts.append(Value(" "))
        parts.append(models.F(name))
    return Concat(*parts, output_field=models.CharField())


def find(email: str, *, only_email: bool = False) -> Person:
    """The person with this address: the registered rows that hold it and the names they
    give. Refuses (PersonalDataError) an input that is not one address, an address shared
    by several accounts, and, unless `only_email`, a name that another address also holds."""
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise PersonalDataError(f"“{email}” is not one e-mail address") from exc
    users = list(
        User.objects.filter(email__iexact=email) | User.objects.filter(username__iexact=email)
    )
    users = list({user.pk: user for user in users}.values())
    if len(users) > 1:
        listed = ", ".join(sorted(user.username for user in users))
        raise PersonalDataError(
            f"{len(users)} user accounts have the address {email} ({listed}); "
            "an administrator must first merge or correct them in /admin/"
        )
    person = Person(email=email, names=[], parts=[], user=users[0] if users else None)
    names: set[str] = set()
    parts: set[str] = set()
    for holder in HOLDERS.values():
        if not holder.emails:
            continue
        rows = list(holder.model._base_manager.filter(_email_query(holder, email)))
        if holder.model is User and person.user is not None:
            rows = [person.user]
        if rows:
            person.rows[holder.label] = rows
        for row in rows:
            full = _full_name(holder, row)
            if full:
                names.add(full)
            for name in holder.names:
                value = str(getattr(row, name) or "").strip()
                if len(value) >= MIN_PART:
                    parts.update(value.split())
    person.names = sorted(names, key=lambda n: (-len(n), n))
    person.parts = sorted(parts | names, key=lambda n: (-len(n), n))
    for holder in HOLDERS.values():
        if not holder.names or holder.emails:
            continue
        rows = [
            row
            for row in holder.model._base_manager.all()
            .annotate(kr_full_name=_name_expression(holder))
            .filter(kr_full_name__in=person.names)
        ]
        if rows:
            person.rows[holder.label] = rows
    if not only_email:
        _refuse_shared_names(person)
    return person


def _refuse_shared_names(person: Person) -> None:
    for holder in HOLDERS.values():
        if not holder.names or not holder.emails:
            continue
        others = (
            holder.model._base_manager.annotate(kr_full_name=_name_expression(holder))
            .filter(kr_full_name__in=person.names)
            .exclude(_email_query(holder, person.email))
        )
        for emails in others.values_list(*holder.emails)[:1]:
            other = next((value for value in emails if value), "")
            if other:
                raise PersonalDataError(
                    f"the name of {person.email} is also held by {other} in {holder.label}; "
                    "the name alone cannot tell the two apart. Run again with --only-email "
                    "to erase by the address alone (names in free text stay)"
                )


# Every text column of every table ------------------------------------------------------


def text_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The columns of `model` that hold text (where a name or address could be copied)."""
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and not f.primary_key
    ]


def every_model() -> list[type[models.Model]]:
    """Every table of the project, Django's own (the admin's log, sessions) included."""
    return [model for model in apps.get_models() if not model._meta.proxy]


@dataclass(frozen=True)
class Mention:
    """A text column of one row that contains the address or a name."""

    label: str
    pk: Any
    field: str
    text: str


def _pattern(terms: Iterable[str], *, words: bool = False) -> re.Pattern[str] | None:
    ordered = sorted({t for t in terms if t}, key=len, reverse=True)
    if not ordered:
        return None
    body = "|".join(re.escape(term) for term in ordered)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)" if words else body, re.IGNORECASE)


def _terms_for(model: type[models.Model], person: Person) -> list[str]:
    return [*person.terms, *person.parts] if model is AuditEntry else person.terms


def mentions(person: Person) -> Iterator[Mention]:
    """Every text column of every row, in every table, that contains the address or one of
    the person's full names (and, in the audit trail, one of their name parts)."""
    for model in every_model():
        fields = text_fields(model)
        terms = _terms_for(model, person)
        pattern = _pattern(terms, words=model is AuditEntry)
        if not fields or pattern is None:
            continue
        query = Q()
        for f in fields:
            for term in terms:
                query |= Q(**{f"{f.attname}__icontains": term})
        for row in model._base_manager.filter(query).iterator():
            for f in fields:
                text = getattr(row, f.attname)
                if isinstance(text, str) and pattern.search(text):
                    yield Mention(model._meta.label, row.pk, f.attname, text)


# Export --------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def _record(row: models.Model) -> dict[str, Any]:
    values = {
        f.attname: _plain(getattr(row, f.attname))
        for f in row._meta.concrete_fields
        if f.attname != "password"
    }
    return {"table": row._meta.label, "id": _plain(row.pk), "fields": values}


def export(person: Person) -> dict[str, Any]:
    """Everything stored about the person, as plain JSON-ready data."""
    records = [_record(row) for rows in person.rows.values() for row in rows]
    if person.user is not None:
        records += [_record(row) for row in Invitation.objects.filter(user=person.user)]
        records += [
            _record(row) for row in AuditEntry.objects.filter(user=person.user).order_by("at")
        ]
    seen = {(record["table"], record["id"]) for record in records}
    found = [
        {"table": m.label, "id": _plain(m.pk), "field": m.field, "text": m.text}
        for m in mentions(person)
        if (m.label, _plain(m.pk)) not in seen or m.label == AuditEntry._meta.label
    ]
    return {
        "email": person.email,
        "names": person.names,
        "records": records,
        "mentions": found,
    }


# Erasure -------------------------------------------------------------------------------


@dataclass
class Erasure:
    """What erasing did (or, in a dry run, would do), per table."""

    deleted: dict[str, int] = field(default_factory=dict)
    anonymised: dict[str, int] = field(default_factory=dict)
    texts: dict[str, int] = field(default_factory=dict)
    detached: int = 0

    def count(self, table: dict[str, int], label: str, number: int = 1) -> None:
        if number:
            table[label] = table.get(label, 0) + number

    def lines(self) -> list[str]:
        out = [f"delete {n} rows of {label}" for label, n in sorted(self.deleted.items())]
        out += [f"anonymise {n} rows of {label}" for label, n in sorted(self.anonymised.items())]
        out += [
            f"replace the name or address in {n} texts of {label}"
            for label, n in sorted(self.texts.items())
        ]
        if self.detached:
            out.append(f"detach the user from {self.detached} audit entries")
        return out

    @property
    def empty(self) -> bool:
        return not (self.deleted or self.anonymised or self.texts or self.detached)


def _blank_value(f: models.Field[Any, Any]) -> str:
    return "" if f.blank or isinstance(f, models.EmailField) else PLACEHOLDER


def _anonymise_user(user: User) -> None:
    User.objects.filter(pk=user.pk).update(
        username=f"slettet-{user.pk}",
        first_name="",
        last_name="",
        email="",
        is_active=False,
        password=make_password(None),
    )


def erase(person: Person, *, dry_run: bool = False) -> Erasure:
    """Remove or anonymise everything stored about the person, the audit trail included, in
    one transaction; with `dry_run`, only say what would change."""
    result = Erasure()
    with transaction.atomic():
        for label, rows in person.rows.items():
            model = apps.get_model(label)
            holder = HOLDERS[model]
            pks = [row.pk for row in rows]
            if model is User:
                result.count(result.anonymised, label, len(pks))
                if not dry_run:
                    _anonymise_user(person.user)  # type: ignore[arg-type]
            elif holder.erase == DELETE:
                result.count(result.deleted, label, len(pks))
                if not dry_run:
                    model._base_manager.filter(pk__in=pks).delete()
            else:
                result.count(result.anonymised, label, len(pks))
                if not dry_run:
                    changes = {
                        f.attname: _blank_value(f)
                        for f in model._meta.concrete_fields
                        if f.name in personal_fields(model)
                    }
                    model._base_manager.filter(pk__in=pks).update(**changes)
        if person.user is not None:
            invitations = Invitation.objects.filter(user=person.user)
            result.count(result.deleted, Invitation._meta.label, invitations.count())
            entries = AuditEntry.objects.filter(user=person.user)
            result.detached = entries.count()
            if not dry_run:
                invitations.delete()
                entries.update(user=None)
        erased = {(label, row.pk) for label, rows in person.rows.items() for row in rows}
        for mention in list(mentions(person)):
            model = apps.get_model(mention.label)
            if dry_run and (mention.label, mention.pk) in erased and _erased_field(model, mention):
                continue
            result.count(result.texts, mention.label)
            if not dry_run:
                _replace_in(model, mention, person)
    return result


def _erased_field(model: type[models.Model], mention: Mention) -> bool:
    """Whether erasing the person's own rows already removes this text (dry runs)."""
    holder = HOLDERS.get(model)
    if holder is None:
        return False
    return model is User or holder.erase == DELETE or mention.field in personal_fields(model)


def _replace_in(model: type[models.Model], mention: Mention, person: Person) -> None:
    words = model is AuditEntry
    pattern = _pattern(_terms_for(model, person), words=words)
    assert pattern is not None
    current = (
        model._base_manager.filter(pk=mention.pk).values_list(mention.field, flat=True).first()
    )
    if not isinstance(current, str):
        return
    column = model._meta.get_field(mention.field)
    text = pattern.sub(PLACEHOLDER, current)
    limit = getattr(column, "max_length", None)
    if limit:
        text = text[:limit]
    model._base_manager.filter(pk=mention.pk).update(**{mention.field: text})


def record_erasure(result: Erasure) -> None:
    """One audit entry saying that a person's data was erased (never who they were)."""
    summary = "personal data erased: " + "; ".join(result.lines())
    AuditEntry.objects.create(
        user=None,
        action="personal_data_erased",
        object_type="personal data",
        object_id="-",
        summary=summary[:2000],
    )


def replace_in_texts(entries: models.QuerySet[AuditEntry], terms: Iterable[str]) -> int:
    """Replace `terms` (addresses, names) in the summaries of `entries`; the number changed."""
    pattern = _pattern(terms)
    if pattern is None:
        return 0
    changed = 0
    query = Q()
    for term in {t for t in terms if t}:
        query |= Q(summary__icontains=term)
    for pk, summary in entries.filter(query).values_list("pk", "summary"):
        new = pattern.sub(PLACEHOLDER, summary)
        if new != summary:
            AuditEntry.objects.filter(pk=pk).update(summary=new)
            changed += 1
    return changed


# accounts' own personal data
register(
    User,
    emails=("email", "username"),
    names=("first_name", "last_name"),
    purpose="logging in; who changed what (the audit trail)",
)
