"""The recruitment stage of ``load_demo``. Placeholder: replace ``build`` with the real stage."""

import datetime as dt
from typing import Any

TITLE = "Recruitment"


def build(*, today: dt.date, stdout: Any = None) -> bool:
    """Add this app's demonstration records; return False if they were already there."""
    return False
