"""A web process made ready before gunicorn forks its workers (``config/warmup.py``): every
template of the product compiled and kept, and no database connection left open for the
workers to share."""

from __future__ import annotations

from django.db import connections
from django.template import engines

from config.warmup import compile_templates, warm_process


def _cached_names() -> set[str]:
    engine = engines["django"].engine
    loader = engine.template_loaders[0]  # the cached loader, wrapping the others
    return {key.split("-")[0] for key in loader.get_template_cache}


def test_every_template_of_the_product_is_compiled_and_kept():
    compiled = compile_templates()
    kept = _cached_names()
    assert compiled >= 60
    assert {"home.html", "pages/job.html", "jobs/email/outcome.txt"} <= kept


def test_it_never_touches_the_database_and_closes_any_connection(monkeypatch):
    """The workers are forked from this process: a connection opened here would be shared by
    all of them. Outside a database test any query fails the test; a connection opened
    before (by the settings' checks, say) is closed."""
    closed = []
    monkeypatch.setattr(connections, "close_all", lambda: closed.append(True))
    done = warm_process()
    assert done["templates"] >= 60 and done["urls"] > 0
    assert closed == [True]


def test_a_template_that_does_not_compile_never_stops_the_server_starting(tmp_path, settings, caplog):
    broken = tmp_path / "templates"
    broken.mkdir()
    (broken / "broken.html").write_text("{% load no_such_library %}")
    (broken / "unreadable.html").write_bytes(b"\xff\xfe\x00not text")
    settings.BASE_DIR = tmp_path
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [broken], "APP_DIRS": False}]
    assert compile_templates() == 0
    assert "Template broken.html does not compile" in caplog.text
    assert "Template unreadable.html does not compile" in caplog.text
