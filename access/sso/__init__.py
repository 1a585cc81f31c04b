"""Single sign-on through the council's OpenID Connect provider (mozilla-django-oidc).

``config`` reads and checks the settings and finds the provider's endpoints; ``claims``
turns a provider's claims into the product's roles (pure); ``backend`` signs a user in
from them; ``views`` start and finish the journey and explain a refusal.
"""
