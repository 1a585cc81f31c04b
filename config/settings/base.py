"""Settings for the workforce product, read from the environment.

The defaults suit a laptop: a SQLite file beside the code and DEBUG off unless
asked for. ``config.settings.production`` hardens these for a public server and
``config.settings.test`` speeds them up for the suite.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from dataio import export_formats as safe_export_formats

from .email import email_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Return the environment variable ``name`` read as a yes/no flag."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Return the comma-separated environment variable ``name`` as a list."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-local-development-key-change-me-for-any-real-deployment")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "simple_history",
    "axes",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "access",
    "jobs",
    "notices",
    "workforce",
    "recruitment",
    "leavers",
    "planning",
    "reporting",
    "dataio",
    "pages",
    "scale",
]

MIDDLEWARE = [
    "config.middleware.RequestSizeLimitMiddleware",  # first: before anything reads the body
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "access.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "access.context_processors.access",
            ],
            # Dates in the one GOV.UK style on every page: {{ day|long_date }}, |short_date.
            "builtins": ["pages.templatetags.dates"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite lets one connection write at a time. Write-ahead logging lets pages read while
    # an import writes, and IMMEDIATE transactions with a timeout make a second writer (a
    # session save) wait its turn instead of failing with "database is locked". A 64 MiB page
    # cache per connection (SQLite's default is 2 MiB) keeps a large council's indexes in
    # memory between the queries of one report (measured: the summary 10% faster at 40,000 posts).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": int(os.environ.get("SQLITE_TIMEOUT", "60")),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "access.sso.backend.SignOnBackend",  # does nothing unless single sign-on is configured
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 minutes without a request, and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Lock an account (per username and address) after five failed logins, for an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# django-axes prints its settings ("AXES: BEGIN ...") at every start of every command unless
# told not to; failed logins are still logged, at the level set in LOGGING below.
AXES_VERBOSE = False

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # The Django admin still sets a few style attributes inline; no script is inline.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# GOV.UK's date style for the admin and the date filter too ("4 December 2026", "4 Dec 2026").
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", "") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap4.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "data-table"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request lines carry query strings; keep them out of the logs.
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # Lockouts and failed logins are warnings; its start-up chatter stays out of commands.
        "axes": {"level": os.environ.get("AXES_LOG_LEVEL", "WARNING")},
    },
}

# The accessibility statement (/accessibility/): who runs the service and where to report a
# problem with using it.
ACCESSIBILITY_ORGANISATION = os.environ.get("ACCESSIBILITY_ORGANISATION", "The council")
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get(
    "ACCESSIBILITY_CONTACT_EMAIL", "workforce.systems@example.gov.uk"
)

# --- The council's own definitions (settings, not code) -------------------------
WORKFORCE = {
    # Posts filled by permanent staff: the target members hold the service to.
    "PERMANENT_FILL_TARGET": Decimal(os.environ.get("PERMANENT_FILL_TARGET", "85")),
    # Vacancy rate denominator: "vacancies_plus_in_post" (census: V / (V + S))
    # or "in_post" (V / S, as some councils footnote).
    "VACANCY_RATE_DENOMINATOR": os.environ.get("VACANCY_RATE_DENOMINATOR", "vacancies_plus_in_post"),
    # Counts below this are suppressed in published exports ("<5").
    "SMALL_COUNT_THRESHOLD": int(os.environ.get("SMALL_COUNT_THRESHOLD", "5")),
    # Years after leaving before a leaver's personal details are anonymised.
    "LEAVER_RETENTION_YEARS": int(os.environ.get("LEAVER_RETENTION_YEARS", "6")),
    # The committee paper's officer to contact, unless a report gives its own: lines
    # separated by "|" (e.g. "Assistant Director, Children's Social Care|01234 567890").
    "OFFICER_TO_CONTACT": os.environ.get("OFFICER_TO_CONTACT", "").replace("|", "\n"),
    # Caseloads: case holders with more cases than this are counted as above the threshold;
    # a caseload older than CASELOAD_STALE_DAYS on a date is not known then.
    "CASELOAD_THRESHOLD": int(os.environ.get("CASELOAD_THRESHOLD", "20")),
    "CASELOAD_STALE_DAYS": int(os.environ.get("CASELOAD_STALE_DAYS", "45")),
    # Agency rules (docs/agency.md): the council's notice for permanent staff in weeks (an agency
    # assignment needs four weeks' notice, or this where shorter), the probation months (a
    # leaver within them is an exception to the cool-off), and the full-time hours a week (to
    # set agency hours against a permanent worker's annual cost).
    "PERMANENT_NOTICE_WEEKS": int(os.environ.get("PERMANENT_NOTICE_WEEKS", "4")),
    "PROBATION_MONTHS": int(os.environ.get("PROBATION_MONTHS", "6")),
    "FULL_TIME_HOURS": Decimal(os.environ.get("FULL_TIME_HOURS", "37")),
}

# --- Imports and uploads: bounded work (docs/import.md) ---------------------------
# Rows a file of an import may hold under its headings (a workbook's empty rows count).
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "200000"))
# Cells a sheet of an XLSX may hold, empty or not, counted before it is parsed.
IMPORT_MAX_CELLS = int(os.environ.get("IMPORT_MAX_CELLS", "6000000"))
# Problems an import lists before "and N more, first at ..." (all are counted).
IMPORT_MAX_PROBLEMS = int(os.environ.get("IMPORT_MAX_PROBLEMS", "200"))
# An XLSX workbook's parts, expanded, checked from the zip's directory before it is read;
# and how far one part may be compressed (a real workbook: under 20 times).
IMPORT_MAX_XLSX_EXPANDED_BYTES = int(os.environ.get("IMPORT_MAX_XLSX_EXPANDED_BYTES", str(256 * 2**20)))
IMPORT_MAX_XLSX_RATIO = int(os.environ.get("IMPORT_MAX_XLSX_RATIO", "100"))
# One uploaded file, and the whole body of any request: refused (413) from its
# Content-Length before it is read (config.middleware). The reverse proxy in front should
# refuse bodies just over it (nginx: client_max_body_size 51m, docs/deploy.md).
IMPORT_MAX_FILE_BYTES = int(os.environ.get("IMPORT_MAX_FILE_BYTES", str(20 * 2**20)))
REQUEST_MAX_BYTES = int(os.environ.get("REQUEST_MAX_BYTES", str(50 * 2**20)))
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# An upload of this many rows or more (or JOBS_IMPORT_BACKGROUND_BYTES) is checked and
# imported in the background rather than within the request.
JOBS_IMPORT_BACKGROUND_ROWS = int(os.environ.get("JOBS_IMPORT_BACKGROUND_ROWS", "5000"))
# The admin's exports (django-import-export) write no text a spreadsheet runs as a formula.
EXPORT_FORMATS = safe_export_formats.FORMATS
# --- Single sign-on (OpenID Connect): off unless OIDC_RP_CLIENT_ID is set ------------
from .sso import *  # noqa: E402, F403

# The national census schemas (e.g. social_work_workforce_2022.xsd), where they are kept: the
# census return is validated against its year's schema when it is found here.
CENSUS_SCHEMA_DIR = os.environ.get("CENSUS_SCHEMA_DIR", str(BASE_DIR.parent / "shared" / "specs"))

# --- Background work, the shared cache and email (README: "Running it on servers") ------
# The task queue is Django's Tasks API (the django-tasks backport of Django 6's django.tasks).
# By default tasks wait in the database for ``manage.py run_worker`` and the cache is a
# table of the database, so every web process and the worker share both with nothing
# else to run; with REDIS_URL both live in Redis.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60 * 60}}
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "workforce"),
        }
    }
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "workforce_cache",
            # Summaries are large: cull the oldest tenth only past this many entries.
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
# A job whose worker stops reporting for this long is marked as interrupted, and its owner told.
JOBS_STALE_AFTER_SECONDS = int(os.environ.get("JOBS_STALE_AFTER_SECONDS", str(15 * 60)))

# Links in emails point here (the address people use to reach the product).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
EMAIL_SUBJECT_PREFIX = "[Workforce] "
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Social work workforce <workforce@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
globals().update(email_settings(os.environ))
# The census return's pre-check reads the council's LA code and the return's deadline (MM-DD).
CENSUS_LA_CODE = os.environ.get("CENSUS_LA_CODE", "")
CENSUS_RETURN_DEADLINE = os.environ.get("CENSUS_RETURN_DEADLINE", "02-28")
# The agency return of a quarter is due this many days after the quarter ends.
AGENCY_RETURN_DEADLINE_DAYS = int(os.environ.get("AGENCY_RETURN_DEADLINE_DAYS", "30"))
