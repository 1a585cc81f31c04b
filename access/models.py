"""Which of the council provider's people each product account belongs to."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SignOnIdentity(models.Model):
    """A product account's link to one person at the council's OpenID Connect provider.

    Accounts are found by the provider's issuer and subject, which never change for a
    person (Entra ID's ``sub`` is fixed per person and application), not by email or
    username, which can be changed or, at some providers, set by the user.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_on")
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    roles = models.CharField(
        max_length=100, blank=True, help_text="The roles the provider's groups gave at the last sign-in."
    )
    first_signed_in = models.DateTimeField(auto_now_add=True)
    last_signed_in = models.DateTimeField()

    class Meta:
        verbose_name = "single sign-on identity"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="one_account_per_sign_on_identity")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.issuer}"
