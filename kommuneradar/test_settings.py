"""Settings for the test suite: the production settings with a throwaway key."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-suite-only-not-a-secret")

from kommuneradar.settings import *  # noqa: F403
from kommuneradar.settings import CACHE_URL, STORAGES, TASK_BACKENDS

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOW_NON_SMTP_EMAIL = True  # the tests read the sent mail from django.core.mail.outbox
# Rate limits far above what any test sends (the limit tests set their own), so tests that
# share the in-memory cache never slow each other down.
# Tests read each response's template context, which a page served from the page cache has
# not: tests/core/test_page_cache.py turns the cache on for itself.
PUBLISHED_PAGE_CACHE = False
RATE_LIMITS = {"login": "100000/m", "api": "100000/m", "token_link": "100000/m"}
# Jobs run inside the request that starts them; tests of the database backend and its
# worker switch to it themselves (tests/surveys/test_jobs.py). Without Redis, the cache is
# the process's own memory (no worker process needs to share it).
TASKS = {"default": {"BACKEND": TASK_BACKENDS["immediate"]}}
# Rendering the PDF report takes seconds; only the test of the warm-up asks for it.
BUILD_REPORT_AFTER_PUBLISHING = False
WARM_PAGES_AFTER_PUBLISHING = False
FIT_OUTLOOK_AFTER_CHANGES = False
if not CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded files go to a throwaway directory, never into the checkout.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="kommuneradar-test-media-"))
