"""Email settings read from the environment.

``EMAIL_URL`` gives them in one line (``smtp://user:password@host:587`` with STARTTLS,
``smtps://...:465`` with TLS from the start, ``smtp+plain://host:25`` with neither, or
``console://``); otherwise ``EMAIL_HOST``, ``EMAIL_PORT``, ``EMAIL_HOST_USER``,
``EMAIL_HOST_PASSWORD``, ``EMAIL_USE_TLS`` and ``EMAIL_USE_SSL``. With neither, emails are
printed to the console (a laptop has no mail server).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"
SCHEMES = {
    "smtp": (587, True, False),
    "submission": (587, True, False),
    "smtps": (465, False, True),
    "smtp+ssl": (465, False, True),
    "smtp+plain": (25, False, False),
}


def _flag(value: str | None, default: bool) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def email_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """Return Django's email settings described by ``environ``."""
    timeout = int(environ.get("EMAIL_TIMEOUT", "20"))
    url = environ.get("EMAIL_URL", "").strip()
    if url:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "console":
            return {"EMAIL_BACKEND": CONSOLE}
        if scheme not in SCHEMES:
            raise ValueError(f"EMAIL_URL: unknown scheme '{scheme}' (use one of {', '.join(SCHEMES)}).")
        port, tls, ssl = SCHEMES[scheme]
        return {
            "EMAIL_BACKEND": SMTP,
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or port,
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_TLS": tls,
            "EMAIL_USE_SSL": ssl,
            "EMAIL_TIMEOUT": timeout,
        }
    host = environ.get("EMAIL_HOST", "").strip()
    if not host:
        return {"EMAIL_BACKEND": environ.get("EMAIL_BACKEND", CONSOLE)}
    ssl = _flag(environ.get("EMAIL_USE_SSL"), False)
    return {
        "EMAIL_BACKEND": environ.get("EMAIL_BACKEND", SMTP),
        "EMAIL_HOST": host,
        "EMAIL_PORT": int(environ.get("EMAIL_PORT", "465" if ssl else "587")),
        "EMAIL_HOST_USER": environ.get("EMAIL_HOST_USER", ""),
        "EMAIL_HOST_PASSWORD": environ.get("EMAIL_HOST_PASSWORD", ""),
        "EMAIL_USE_TLS": _flag(environ.get("EMAIL_USE_TLS"), not ssl),
        "EMAIL_USE_SSL": ssl,
        "EMAIL_TIMEOUT": timeout,
    }
