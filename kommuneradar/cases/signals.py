"""Keep the search index in step with what it copies: a deleted case leaves the SQLite
search table, and a renamed technology or domain is re-indexed in its cases' keywords."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from kommuneradar.catalog.models import Domain, Technology

from .indexing import reindex, remove_from_fts
from .models import Case


@receiver(post_delete, sender=Case)
def drop_search_row(sender: type[Case], instance: Case, **kwargs: Any) -> None:
    remove_from_fts([instance.pk])


@receiver(post_save, sender=Technology)
def reindex_cases_of_technology(
    sender: type[Technology], instance: Technology, created: bool, raw: bool, **kwargs: Any
) -> None:
    if not created and not raw:
        using = Case.technologies.through.objects.filter(technology=instance)
        reindex(using.values_list("case_id", flat=True))


@receiver(post_save, sender=Domain)
def reindex_cases_of_domain(
    sender: type[Domain], instance: Domain, created: bool, raw: bool, **kwargs: Any
) -> None:
    if not created and not raw:
        reindex(
            Case.domains.through.objects.filter(domain=instance).values_list("case_id", flat=True)
        )
