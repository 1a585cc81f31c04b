"""The recruitment stage of ``load_demo``: three years of campaigns, applications and starts."""

import datetime as dt
from typing import Any

from recruitment.demo import build_recruitment

TITLE = "Recruitment (campaigns, applications, interviews, offers, starts)"


def build(*, today: dt.date, stdout: Any = None) -> bool:
    """Build the demonstration recruitment up to ``today``; False if it is already there."""
    return build_recruitment(today)
