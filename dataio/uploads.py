"""Uploaded files kept between the admin's dry-run preview and the confirmation.

The bytes go to a private temporary folder named by a random token; the token is
remembered in the uploader's session, so only they can confirm the import, and the
folder is deleted once the import is confirmed (or after a few hours, if it never is).
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path, PurePath

from django.http import HttpRequest

from dataio.importing.engine import Source

SESSION_KEY = "dataio_uploads"
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
KEEP_SECONDS = 6 * 60 * 60
MANIFEST = "manifest.json"


def upload_root() -> Path:
    """Return the folder that holds kept uploads (created private to this user on first use)."""
    root = Path(tempfile.gettempdir()) / "workforce-imports"
    root.mkdir(mode=0o700, exist_ok=True)
    return root


def _folder(token: str) -> Path | None:
    if not TOKEN_PATTERN.match(token or ""):
        return None
    return upload_root() / token


def sweep(*, now: float | None = None) -> None:
    """Delete kept uploads older than ``KEEP_SECONDS``."""
    limit = (now or time.time()) - KEEP_SECONDS
    for folder in upload_root().iterdir():
        try:
            if folder.is_dir() and folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def keep(request: HttpRequest, sources: list[Source]) -> str:
    """Keep ``sources`` for this session; return the token that names them."""
    sweep()
    token = secrets.token_urlsafe(24)
    folder = upload_root() / token
    folder.mkdir(mode=0o700)
    names = []
    for index, source in enumerate(sources):
        stored = f"{index:02d}.bin"
        (folder / stored).write_bytes(source.content)
        names.append({"name": PurePath(source.name).name, "stored": stored})
    (folder / MANIFEST).write_text(json.dumps(names), encoding="utf-8")
    request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, []), token][-5:]
    return token


def load(request: HttpRequest, token: str) -> list[Source] | None:
    """Return the sources kept under ``token`` for this session, or None if there are none."""
    folder = _folder(token)
    if folder is None or token not in request.session.get(SESSION_KEY, []):
        return None
    try:
        names = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return [Source(name=item["name"], content=(folder / item["stored"]).read_bytes()) for item in names]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def discard(request: HttpRequest, token: str) -> None:
    """Forget the sources kept under ``token`` and delete their bytes."""
    folder = _folder(token)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
    request.session[SESSION_KEY] = [kept for kept in request.session.get(SESSION_KEY, []) if kept != token]
