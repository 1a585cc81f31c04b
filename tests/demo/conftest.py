"""The demonstration county, loaded once for every test in this package.

Loading it takes the best part of half a minute, so the package shares one load,
inside a transaction rolled back when the package's last test has run. Each test
still runs in its own savepoint, so what one test changes the next does not see.
Time stands still at the demo's day throughout.
"""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

DEMO_DAY = dt.datetime(2026, 11, 22, 12, 0)


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    """Load the demo and return what ``load_demo`` printed."""
    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(DEMO_DAY, tick=False):
            out = io.StringIO()
            with override_settings(DEBUG=True):
                call_command("load_demo", stdout=out)
            yield out.getvalue()
        transaction.set_rollback(True)
