"""The establishment stage of ``load_demo``."""

import datetime as dt
from typing import Any

from workforce.demo import build_establishment

TITLE = "Establishment (teams, posts, workers, assignments, absences)"


def build(*, today: dt.date, stdout: Any = None) -> bool:
    """Build the demonstration establishment up to ``today``."""
    return build_establishment(today)
