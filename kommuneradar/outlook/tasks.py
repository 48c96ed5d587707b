"""The outlook app's background task: fitting the outlook once per data state, so that no
request has to (at scale the fit takes longer than a request may)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def fit(key: str) -> str:
    """Fit the current data state and share it (`key`: the fingerprint that was missing
    when the fit was asked for; its lock is released when the fit is done). A fit that
    fails keeps its lock until it expires, so a broken fit is not retried on every
    request."""
    fitted = services.fit_and_share()
    services.release(key)
    return fitted.key
