"""Figures nobody has kept yet are built once for everyone asking at the same time
(``jobs.cache.built_once``): the first to ask builds, the others wait for its result, and
a waiter whose builder has died builds them itself."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.cache import cache

from jobs.cache import built_once


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _later(seconds: float, action) -> threading.Timer:
    timer = threading.Timer(seconds, action)
    timer.start()
    return timer


def test_the_first_to_ask_builds_keeps_and_lets_go():
    built = []
    value = built_once("figures", lambda: built.append(1) or "figures built", timeout=60)
    assert (value, built) == ("figures built", [1])
    assert cache.get("figures") == "figures built" and cache.get("figures:building") is None
    assert built_once("figures", lambda: built.append(2) or "again", timeout=60) == "figures built"
    assert built == [1]


def test_someone_asking_while_another_builds_waits_for_that_build():
    cache.add("figures:building", True, 30)  # another process is building them
    timer = _later(0.3, lambda: cache.set("figures", "their figures", 60))
    built = []
    try:
        value = built_once("figures", lambda: built.append(1) or "mine", timeout=60, wait=10)
    finally:
        timer.cancel()
    assert (value, built) == ("their figures", [])
    assert cache.get("figures:building") is True  # theirs to let go, not the waiter's


def test_a_waiter_whose_builder_died_builds_them_itself():
    cache.add("figures:building", True, 30)  # claimed by a process that then died
    value = built_once("figures", lambda: "mine", timeout=60, wait=0.3)
    assert value == "mine" and cache.get("figures") == "mine"


def test_a_build_that_fails_keeps_nothing_and_lets_go():
    def fails():
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        built_once("figures", fails, timeout=60)
    assert cache.get("figures") is None and cache.get("figures:building") is None


@pytest.mark.django_db
def test_the_dashboard_waits_for_a_summary_another_process_is_building(monkeypatch, worked_example):
    """A second person opening a dashboard nobody has kept yet, while the first person's
    build is under way, is shown that build's figures: the summary is not built twice."""
    from pages import summaries
    from reporting.data_version import data_version
    from workforce.scopes import Scope

    def must_not_build(**kwargs):
        raise AssertionError("the summary was built a second time")

    monkeypatch.setattr(summaries, "build_committee_summary", must_not_build)
    days = [dt.date(2016, 3, 31), dt.date(2016, 6, 30)]
    scope = Scope()
    key = summaries.summary_key(days, scope)
    cache.add(f"{key}:building", True, 30)
    theirs, version = "the summary their build made", data_version()
    timer = _later(0.3, lambda: cache.set(key, (version, theirs), 60))
    try:
        kept = summaries.dashboard_summary(days, scope)
    finally:
        timer.cancel()
    assert kept.summary == theirs and not kept.updating
