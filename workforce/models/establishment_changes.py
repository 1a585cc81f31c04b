"""The whole council's establishment kept as its changes by day (see ``workforce.timeline``)."""

from __future__ import annotations

from django.db import models

from foundation.dates import long_date


class EstablishmentChange(models.Model):
    """How much the whole council's establishment figures change on a day, for one group:
    a role's figures (``reason`` blank), the distinct workers across roles (``role`` 0,
    ``reason`` blank), or one agency reason across roles (``role`` 0). A figure on a day is
    the sum of its changes up to and including that day. Kept by the writes
    (``workforce.timeline``); never edited by hand.

    FTEs are in ten-thousandths of an FTE; headcounts in workers; posts in posts.
    """

    role = models.PositiveIntegerField()  # a Role's id, or 0 across roles
    reason = models.CharField(max_length=30, blank=True)  # an AgencyReason, or blank
    day = models.DateField()
    posts = models.BigIntegerField(default=0)
    establishment = models.BigIntegerField(default=0)
    in_post = models.BigIntegerField(default=0)
    agency = models.BigIntegerField(default=0)
    vacancy = models.BigIntegerField(default=0)
    cover = models.BigIntegerField(default=0)  # agency covering vacancies in establishment posts
    in_post_heads = models.BigIntegerField(default=0)
    agency_heads = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            # Also the order the figures are read in: by group, then day (no sort to group).
            models.UniqueConstraint(fields=["role", "reason", "day"], name="establishment_change_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.role}/{self.reason or '-'} on {long_date(self.day)}"


class EstablishmentChangesState(models.Model):
    """The one row saying whether the kept ``EstablishmentChange`` rows are up to date.

    Database triggers add one to ``changes`` on every write to the posts, assignments and
    roles, whatever makes it (the ORM, ``update()``, ``bulk_create``, raw SQL). ``kept`` is
    the value of ``changes`` the kept rows describe: they are up to date while the two are
    equal (``workforce.timeline``)."""

    changes = models.BigIntegerField(default=0)
    kept = models.BigIntegerField(null=True, blank=True)  # None: out of date until rebuilt
    rebuilt_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        state = "up to date" if self.kept == self.changes else "out of date"
        return f"establishment changes {state}"
