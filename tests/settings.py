"""Test settings: the real settings with fast, local stand-ins."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-" + "x" * 40)
os.environ.setdefault("HTTPS", "0")

from helpdesk.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A real worker started by tests/worker.py sends through SMTP and Redis.
EMAIL_BACKEND = os.environ.get(
    "TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
)
CELERY_TASK_ALWAYS_EAGER = os.environ.get("TEST_CELERY_EAGER", "1") == "1"
if os.environ.get("TEST_CELERY_QUEUE"):
    CELERY_TASK_DEFAULT_QUEUE = os.environ["TEST_CELERY_QUEUE"]
elif os.environ.get("PYTEST_XDIST_WORKER"):
    # Test processes running side by side share Redis: each sends to a
    # default queue of its own, which only its own tests' workers read.
    CELERY_TASK_DEFAULT_QUEUE = f"celery-{os.environ['PYTEST_XDIST_WORKER']}"
CELERY_TASK_EAGER_PROPAGATES = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# A worker process reads the files the test wrote (tests/letters).
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT") or tempfile.mkdtemp(
    prefix="helpdesk-test-media-"
)
STATIC_ROOT = tempfile.mkdtemp(prefix="helpdesk-test-static-")
WHITENOISE_USE_FINDERS = True
# Tests change policies between steps: always read them afresh.
SLA_CONFIG_CACHE_SECONDS = 0
# Nor reference data (queues, categories...) or the dashboard's figures:
# tests that measure the caches turn them on.
REFERENCE_CACHE_SECONDS = 0
DASHBOARD_CACHE_SECONDS = 0
TICKET_PAGE_CACHE_SECONDS = 0
# Nor our own addresses: a mailbox a test adds counts at once.
EMAIL_OWN_ADDRESSES_CACHE_SECONDS = 0
