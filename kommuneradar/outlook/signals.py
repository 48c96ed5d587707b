"""Fit the outlook as soon as what it is fitted from changes (a round published or
corrected, a follow-up, an enrolment, the placement rules), once the change is committed,
so that the first reader after a publication finds it fitted."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

from kommuneradar.benefits.models import FollowUp
from kommuneradar.network.models import Enrolment
from kommuneradar.radar.models import Edition, PlacementRules

from . import services


def _changed(sender: type[models.Model], **kwargs: Any) -> None:
    if kwargs.get("raw") or not settings.FIT_OUTLOOK_AFTER_CHANGES:
        return
    instance = kwargs.get("instance")
    if isinstance(instance, Edition) and instance.status != Edition.Status.PUBLISHED:
        return
    # Several changes in one transaction ask once: the lock is per data state.
    transaction.on_commit(services.request_fit)


for model in (Edition, FollowUp, Enrolment, PlacementRules):
    uid = f"outlook:fit:{model._meta.label}"
    post_save.connect(_changed, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(_changed, sender=model, dispatch_uid=uid, weak=False)
