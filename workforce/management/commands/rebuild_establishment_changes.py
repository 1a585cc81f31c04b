"""Work the establishment's changes by day out from the records again:
``python manage.py rebuild_establishment_changes``.

They are kept by every write and rebuilt in the background whenever something changed the
records behind the signals, so this is only needed by hand after restoring a backup or
loading records by SQL, to have them ready before the first committee summary is read.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from workforce import timeline
from workforce.models import EstablishmentChange


class Command(BaseCommand):
    help = "Work the whole council's establishment changes by day out from the records again."

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.perf_counter()
        timeline.rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"Kept {EstablishmentChange.objects.count():,} changes by day "
                f"in {time.perf_counter() - began:.1f} s; up to date."
            )
        )
