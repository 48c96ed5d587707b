"""A deleted case leaves the SQLite search table too."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from .indexing import remove_from_fts
from .models import Case


@receiver(post_delete, sender=Case)
def drop_search_row(sender: type[Case], instance: Case, **kwargs: Any) -> None:
    remove_from_fts([instance.pk])
