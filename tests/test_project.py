"""The project's own hygiene: migrations committed, ruff clean, production profile hardened."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_no_model_changes_without_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_ruff_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", str(ROOT)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _deploy_check(**env: str) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x7#Jq9!vLp2@Rz8$Tw4%Nb6^Mc1&Hd5*Gf3(Ks0)Ye-Ua_Ib+Oc=Pd;Qe:Rf",
        "ALLOWED_HOSTS": "workforce.example.gov.uk",
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_production_profile_passes_check_deploy_with_no_warnings():
    result = _deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_profile_refuses_the_development_secret_key():
    result = _deploy_check(SECRET_KEY="insecure-local-development-key-change-me-for-any-real-deployment")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_settings_come_from_the_environment():
    code = "from django.conf import settings; print(settings.DEBUG, settings.DATABASES['default']['ENGINE'])"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    env.pop("DEBUG", None)
    env["DATABASE_URL"] = "sqlite:////tmp/some.sqlite3"
    off = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert off.stdout.strip().endswith("False django.db.backends.sqlite3"), off.stderr
    env.update(DEBUG="true", DATABASE_URL="postgres://u:p@127.0.0.1:5432/x")
    on = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert on.stdout.strip().endswith("True django.db.backends.postgresql"), on.stderr
