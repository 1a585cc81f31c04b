"""docs/deploy.md stays true to the product: the proxy's request limit, the variables it names."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "docs" / "deploy.md").read_text()
MiB = 1024 * 1024


def test_the_proxys_request_limit_admits_the_largest_upload_the_product_accepts():
    limits = set(re.findall(r"client_max_body_size (\d+)m", GUIDE))
    assert len(limits) == 1, limits
    allowed = int(limits.pop()) * MiB
    largest = settings.REQUEST_MAX_BYTES
    # Above it, so the product (not nginx) explains a request that is too large; not far above.
    assert largest < allowed <= largest + 10 * MiB


def test_every_sign_on_variable_in_the_guide_is_a_setting():
    named = set(re.findall(r"`(OIDC_[A-Z_]+)`", GUIDE))
    assert len(named) >= 12
    assert not [name for name in named if not hasattr(settings, name)]


def test_every_gunicorn_variable_in_the_guide_is_read_by_the_config_file():
    config = (ROOT / "config" / "gunicorn.conf.py").read_text()
    named = set(re.findall(r"`((?:GUNICORN|FORWARDED)_[A-Z_]+)`", GUIDE))
    assert len(named) >= 8
    assert not [name for name in named if f'"{name}"' not in config]


def test_every_piece_of_scheduled_work_has_its_row_and_its_cron_line():
    from jobs.schedule import autodiscover

    names = set(autodiscover())
    assert {"anonymise", "reminders", "interrupted-jobs", "warm-dashboards"} <= names
    rows = set(re.findall(r"^\| `([a-z-]+)` \|", GUIDE, flags=re.MULTILINE))
    cron = set(re.findall(r"eval \$RUN ([a-z-]+) ", GUIDE))
    assert names <= rows and names <= cron, (names - rows, names - cron)
