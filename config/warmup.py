"""Make a web process ready before it serves: what every worker's first requests would
otherwise do while people wait.

gunicorn loads the product once in its master process (``preload_app``,
``config/gunicorn.conf.py``) and calls ``warm_process`` there before forking the workers,
so a worker started by a reload (``kill -HUP``) or recycled after ``max_requests`` begins
with the URLs resolved, every template compiled and the charts' library loaded. Under load
at 40,000 posts a reload used to cost 15 s of slow pages while four new workers imported
Django and compiled templates on two cores (docs/performance.md, "Under load").
"""

from __future__ import annotations

import logging
from pathlib import Path

logger = logging.getLogger(__name__)

TEMPLATE_SUFFIXES = {".html", ".txt", ".xml"}


def _template_names(directory: Path) -> list[str]:
    return sorted(
        path.relative_to(directory).as_posix()
        for path in directory.rglob("*")
        if path.suffix in TEMPLATE_SUFFIXES and path.is_file()
    )


def compile_templates() -> int:
    """Compile every template the product's own folders hold (the cached loader keeps them);
    return how many. One that does not compile, for whatever reason, is logged and left to
    fail where it is used: a warm-up never stops the server starting."""
    from django.conf import settings
    from django.template import engines

    base = Path(settings.BASE_DIR).resolve()
    compiled = 0
    for engine in engines.all():
        directories = [Path(directory) for directory in engine.template_dirs]
        for directory in directories:
            if not directory.resolve().is_relative_to(base) or ".venv" in directory.parts:
                continue  # Django's and the libraries' templates: compiled when first used
            for name in _template_names(directory):
                try:
                    engine.get_template(name)
                except Exception:  # noqa: BLE001 - never stop the server starting: it fails where used
                    logger.exception("Template %s does not compile", name)
                else:
                    compiled += 1
    return compiled


def warm_process() -> dict[str, int]:
    """Resolve the URLs, compile the templates and load the charts' library in this process,
    then close any database connection (a forked worker must open its own); return what was
    done, for the log."""
    from django.db import connections
    from django.urls import get_resolver

    resolver = get_resolver()
    resolver._populate()  # what the first reverse() or resolve() would do
    templates = compile_templates()
    from reporting.charts import load_library

    load_library()

    connections.close_all()
    return {"urls": len(resolver.reverse_dict), "templates": templates}
