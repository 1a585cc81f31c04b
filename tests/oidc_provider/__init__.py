"""A small OpenID Connect provider for the single sign-on tests (django-oauth-toolkit).

It runs as its own process on 127.0.0.1 (``python -m tests.oidc_provider.serve``), with
its own SQLite file and an RS256 key the test generates, and plays the part of the
council's identity provider: people with passwords, in groups, sent as a ``groups`` claim.
"""
