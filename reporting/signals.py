"""Signals the committee report sends, for the floors above to act on (emails, say)."""

from django.dispatch import Signal

# Sent by ``services.publish_report`` inside its transaction, with ``report`` and ``user``.
# Receivers that act outside the database queue their work once it commits.
report_published = Signal()
