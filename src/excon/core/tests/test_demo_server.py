"""The demo server (`make run`: `excon runserver` with the dev settings) serves as production does: DEBUG off, so a
missing page is ExCon's branded 404 and not Django's debug page listing every URL, with static files through
WhiteNoise."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - a local test server
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


@pytest.fixture
def demo_server(tmp_path: Path):  # type: ignore[no-untyped-def]
    port = _free_port()
    # The demo's own embedded SQLite under a fresh data folder, whatever database the suite itself runs on.
    dropped = {"DEBUG", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env.update(
        {"PYTHONPATH": str(SRC), "EXCON_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "excon.settings.dev"}
    )
    server = subprocess.Popen(
        [sys.executable, "-c", "from excon.cli import main; main()", "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # a guard against a hang on a loaded machine, not a timing assertion
        while time.monotonic() < deadline:
            try:
                _get(f"{base}/static/excon/excon.css")
                break
            except OSError:
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_demo_serves_with_debug_off_behind_whitenoise(demo_server: str) -> None:
    status, body = _get(f"{demo_server}/static/excon/excon.css")
    assert status == 200
    assert body.strip()
    status, body = _get(f"{demo_server}/no-such-page/")
    assert status == 404
    assert "Page not found" in body
    assert "National Export Control Authority" in body
    assert "URLconf" not in body  # Django's debug 404 lists every URL pattern
