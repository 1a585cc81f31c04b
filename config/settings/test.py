"""Test profile: the base settings with a fast password hasher."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Serve static files from the apps' folders without a collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Tests that are not about the queue run tasks as they are queued (Django's immediate
# backend). Those about it (tests/queue.py's ``queue`` fixture) run them through the real
# backend, QUEUE_TASKS: the database's, or Redis's when REDIS_URL is set, and its worker.
QUEUE_TASKS = TASKS
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The suite keeps the cache in each process's memory, so a page's pinned query count is
# its own; tests/test_shared_cache.py runs the shared cache across two processes.
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SITE_URL = "https://workforce.example.gov.uk"
