"""Settings for the test suite: the production settings with a throwaway key."""

from __future__ import annotations

import os

os.environ.setdefault("SECRET_KEY", "test-suite-only-not-a-secret")

from kommuneradar.settings import *  # noqa: F403
from kommuneradar.settings import STORAGES

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
