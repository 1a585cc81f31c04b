"""Run the test provider: ``python -m tests.oidc_provider.serve COMMAND``.

- ``setup``: make its database, with the product as a client (from PROVIDER_CLIENT_ID,
  PROVIDER_CLIENT_SECRET, PROVIDER_REDIRECT_URI) and the people in PROVIDER_PEOPLE
  (JSON: [{"username", "password", "email", "groups": [...]}, ...]);
- ``groups USERNAME GROUP,GROUP``: put someone in exactly these groups (blank: none);
- ``run PORT``: serve on 127.0.0.1:PORT.
"""

from __future__ import annotations

import json
import os
import sys


def setup() -> None:
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    Application.objects.create(
        name="Social work workforce",
        client_id=os.environ["PROVIDER_CLIENT_ID"],
        client_secret=os.environ["PROVIDER_CLIENT_SECRET"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=os.environ["PROVIDER_REDIRECT_URI"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    for person in json.loads(os.environ.get("PROVIDER_PEOPLE", "[]")):
        user = User.objects.create_user(
            person["username"],
            email=person.get("email", ""),
            password=person["password"],
            first_name=person.get("first_name", ""),
            last_name=person.get("last_name", ""),
        )
        set_groups(user.username, person.get("groups", []))


def set_groups(username: str, names: list[str]) -> None:
    from django.contrib.auth.models import Group, User

    user = User.objects.get(username=username)
    user.groups.set([Group.objects.get_or_create(name=name)[0] for name in names])


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")
    import django

    django.setup()
    command = argv[1]
    if command == "setup":
        setup()
    elif command == "groups":
        set_groups(argv[2], [name for name in argv[3].split(",") if name])
    elif command == "run":
        from django.core.management import call_command

        call_command("runserver", f"127.0.0.1:{argv[2]}", use_reloader=False, use_threading=True)
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv)
