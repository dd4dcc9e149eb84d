"""Production settings refuse insecure defaults; the CLI turns configuration and database failures into one
clear line and a non-zero exit, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[3]
GOOD_PROD_ENV = {
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/excon_never_used",
    "SECRET_KEY": "b7Qz-test-only-9fK2xVw8Lr3Tn6Yp1Hs4Jd0Mc5Ga7Ue2Wi9Oq3Zx8Ny6Bv1Ct4",
    "ALLOWED_HOSTS": "excon.example.gov",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_HOST": "smtp.example.gov",
}


def run_excon(args: list[str], env_overrides: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in GOOD_PROD_ENV and key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update({"PYTHONPATH": str(SRC), "EXCON_DATA_DIR": str(tmp_path)}, **env_overrides)
    return subprocess.run(
        [sys.executable, "-c", "from excon.cli import main; main()", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,  # a guard against a hang, not a timing assertion: a loaded machine runs migrate slowly
        check=False,
    )


@pytest.mark.parametrize(
    ("missing_or_bad", "message"),
    [
        ({"DATABASE_URL": ""}, "DATABASE_URL must be set"),
        ({"DATABASE_URL": "sqlite:////tmp/x.sqlite3"}, "production runs on PostgreSQL"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be set"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
        ({"EMAIL_HOST": ""}, "EMAIL_HOST must be set"),
    ],
)
def test_production_refuses_insecure_defaults(missing_or_bad: dict[str, str], message: str, tmp_path: Path) -> None:
    env = {**GOOD_PROD_ENV, **missing_or_bad, "DJANGO_SETTINGS_MODULE": "excon.settings.prod"}
    result = run_excon(["check"], env, tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_production_settings_accept_a_complete_environment(tmp_path: Path) -> None:
    env = {**GOOD_PROD_ENV, "DJANGO_SETTINGS_MODULE": "excon.settings.prod"}
    result = run_excon(["check", "--deploy", "--fail-level", "ERROR"], env, tmp_path)
    assert result.returncode == 0, result.stderr


def test_unreachable_database_is_one_clear_line(tmp_path: Path) -> None:
    result = run_excon(["audit-verify"], {"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}, tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("excon: database unavailable")
    assert "Traceback" not in result.stderr


def test_embedded_database_lives_under_the_data_dir(tmp_path: Path) -> None:
    result = run_excon(["migrate", "-v", "0"], {}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "excon.sqlite3").exists()
    result = run_excon(["audit-verify"], {}, tmp_path)
    assert result.returncode == 0
    assert "audit log intact" in result.stdout
