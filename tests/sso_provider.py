"""Start the test OpenID Connect provider (tests/oidc_provider) as its own process."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parent.parent
CLIENT_ID = "social-work-workforce"
CLIENT_SECRET = "a-client-secret-for-the-tests-only-0123456789"
PASSWORD = "provider-password-1"


@dataclass
class RunningProvider:
    url: str
    issuer: str
    process: subprocess.Popen
    env: dict[str, str]

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def set_groups(self, username: str, groups: list[str]) -> None:
        """Put ``username`` in exactly ``groups`` at the provider (as an IT service desk would)."""
        _provider_command(["groups", username, ",".join(groups)], self.env)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rsa_private_key() -> str:
    """Return a fresh 2048-bit RSA key in PEM: the provider signs ID tokens with it (RS256)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _provider_command(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tests.oidc_provider.serve", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def start_provider(*, folder: Path, redirect_uri: str, people: list[dict]) -> RunningProvider:
    """Start the provider on a free port of 127.0.0.1, with the product as its client."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "PROVIDER_DB": str(folder / "provider.sqlite3"),
        "PROVIDER_RSA_KEY": rsa_private_key(),
        "PROVIDER_ISSUER": f"{url}/o",
        "PROVIDER_CLIENT_ID": CLIENT_ID,
        "PROVIDER_CLIENT_SECRET": CLIENT_SECRET,
        "PROVIDER_REDIRECT_URI": redirect_uri,
        "PROVIDER_PEOPLE": json.dumps([{"password": PASSWORD, **person} for person in people]),
    }
    env.pop("DATABASE_URL", None)
    _provider_command(["setup"], env)
    log = open(folder / "provider.log", "w")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", "run", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    running = RunningProvider(url=url, issuer=f"{url}/o", process=process, env=env)
    # Wait until it answers (a readiness poll, not a measurement).
    deadline = time.monotonic() + 120
    while True:
        try:
            if requests.get(running.discovery_url, timeout=5).status_code == 200:
                return running
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            running.stop()
            raise RuntimeError("The test provider did not start: " + (folder / "provider.log").read_text())
        time.sleep(0.2)
