"""System checks: single sign-on half configured, or configured over plain HTTP in production."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from access.sso.config import provider


@checks.register(checks.Tags.security)
def sign_on_is_configured_whole(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Report single sign-on settings that cannot work, naming what to set."""
    try:
        provider()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), hint="See docs/deploy.md, Single sign-on.", id="access.E001")]
    return []


@checks.register(checks.Tags.security, deploy=True)
def sign_on_uses_https(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Warn when a production sign-on would send codes or secrets over plain HTTP."""
    try:
        configured = provider()
    except ImproperlyConfigured:
        return []
    if configured is None:
        return []
    urls = [configured.discovery_url]
    if configured.endpoints is not None:
        urls += [configured.endpoints.authorization, configured.endpoints.token, configured.endpoints.jwks]
    plain = [url for url in urls if url and not url.startswith("https://")]
    if not plain:
        return []
    return [checks.Warning(f"Single sign-on uses plain HTTP: {', '.join(plain)}", id="access.W001")]
