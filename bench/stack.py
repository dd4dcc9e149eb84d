"""The production stack on this machine: gunicorn (several workers) with the prod settings, a Celery worker and
beat on a Redis of its own, PostgreSQL (a throwaway database), WhiteNoise for static files, a generated secret.

`make prod-local` (= `python -m bench.stack`) prepares it, prints where it serves and runs the Procfile's
processes with honcho until Ctrl-C or `make prod-local-stop`, then stops Redis and drops the database.
The stack test (tests/integration/test_stack.py) and the load and fault runs (bench/load.py) drive the same
processes one by one, from the same Procfile, so they can kill one and watch the rest.

Nothing here is imported by ExCon itself; it only runs the `excon`, `gunicorn` and `celery` commands.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROCFILE = ROOT / "Procfile"
BIN = Path(sys.executable).parent


def free_port(preferred: int | None = None) -> int:
    if preferred:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", preferred))
                return preferred
            except OSError:
                pass
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def procfile_commands(path: Path = PROCFILE) -> dict[str, str]:
    commands = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#") and ":" in line:
            name, command = line.split(":", 1)
            commands[name.strip()] = command.strip()
    return commands


def missing_binaries() -> list[str]:
    return [name for name in ("redis-server", "pg_dump", "psql") if shutil.which(name) is None]


def _as_postgres(command: list[str]) -> list[str]:
    """initdb and pg_ctl refuse to run as root: run them as the postgres user there."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if versions:
        return str(versions[-1] / name)
    raise RuntimeError(f"{name} is not installed")


@dataclass
class OwnPostgres:
    """A PostgreSQL cluster of the stack's own (for fault runs: restarting it disturbs nobody else)."""

    folder: Path
    port: int

    def start(self) -> None:
        data = self.folder / "data"
        if not (data / "PG_VERSION").exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(self.folder, "postgres", "postgres")
            subprocess.run(
                _as_postgres([_pg_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]),
                check=True,
                capture_output=True,
            )
        self._ctl("start", "-w")

    def _ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_postgres(
                [
                    _pg_bin("pg_ctl"),
                    "-D",
                    str(self.folder / "data"),
                    "-l",
                    str(self.folder / "server.log"),
                    "-o",
                    options,
                    *extra,
                    action,
                ]
            ),
            check=True,
            capture_output=True,
        )

    def restart(self) -> None:
        self._ctl("restart", "-w", "-m", "fast")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._ctl("stop", "-w", "-m", "fast")

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@dataclass
class Stack:
    """One throwaway production installation: its data folder, Redis, database, processes and their logs."""

    root: Path
    web_port: int
    redis_port: int
    pg_host: str = "127.0.0.1"
    pg_port: int = 5432
    pg_user: str = "postgres"
    database: str = field(default_factory=lambda: f"excon_stack_{uuid.uuid4().hex[:10]}")
    web_workers: int = 3
    worker_concurrency: int = 2
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    redis: subprocess.Popen[bytes] | None = None
    admin_password: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    metrics_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    extra_env: dict[str, str] = field(default_factory=dict)

    # Environment ---------------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def database_url(self) -> str:
        return f"postgres://{self.pg_user}@{self.pg_host}:{self.pg_port}/{self.database}"

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def env(self) -> dict[str, str]:
        secret_file = self.root / "secret-key"
        if not secret_file.exists():
            secret_file.write_text(secrets.token_urlsafe(64))
            secret_file.chmod(0o600)
        env = {
            **os.environ,
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "excon.settings.prod",
            "DATABASE_URL": self.database_url,
            "DATABASE_CONN_MAX_AGE": "60",
            "SECRET_KEY": secret_file.read_text(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "REDIS_URL": self.redis_url,
            "EMAIL_HOST": "localhost",
            # Nothing leaves this machine: e-mail is written to the worker's log instead of an SMTP server.
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            # Plain HTTP on loopback: no redirect to HTTPS (cookies stay Secure; browsers accept them on localhost).
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "EXCON_DATA_DIR": str(self.root / "data"),
            "EXCON_LOG_FORMAT": "json",
            "EXCON_METRICS_TOKEN": self.metrics_token,
            "EXCON_WORKER_HEARTBEAT_TTL": "6",
            "PROMETHEUS_MULTIPROC_DIR": str(self.root / "prometheus"),
            "PORT": str(self.web_port),
            "WEB_CONCURRENCY": str(self.web_workers),
            "CELERY_CONCURRENCY": str(self.worker_concurrency),
            "PYTHONUNBUFFERED": "1",
        }
        env.update(self.extra_env)
        return env

    # Preparation ---------------------------------------------------------------------------------------------

    def excon(self, *args: str, check: bool = True, extra: dict[str, str] | None = None) -> str:
        completed = subprocess.run(
            [sys.executable, "-m", "excon.cli", *args],
            env={**self.env(), **(extra or {})},
            cwd=self.root,
            capture_output=True,
            text=True,
            check=False,
        )
        if check and completed.returncode != 0:
            raise RuntimeError(f"excon {' '.join(args)} failed: {completed.stderr.strip()[-2000:]}")
        return completed.stdout

    def excon_module(self, module: str, *args: str) -> str:
        """Run a Python module of this repository (e.g. bench.load_seed) in the stack's environment."""
        env = self.env()
        env["PYTHONPATH"] = f"{ROOT / 'src'}{os.pathsep}{ROOT}"
        env["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"  # seeding sends nobody anything
        completed = subprocess.run(
            [sys.executable, "-m", module, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
        )
        if completed.returncode != 0:
            raise RuntimeError(f"{module} failed: {completed.stderr.strip()[-3000:]}")
        return completed.stdout

    def psql(self, sql: str, database: str = "postgres") -> None:
        subprocess.run(
            ["psql", "-h", self.pg_host, "-p", str(self.pg_port), "-U", self.pg_user, "-d", database, "-qc", sql],
            check=True,
            capture_output=True,
        )

    def sql(self, query: str) -> str:
        """One value from the stack's database (psql, so callers need no Django)."""
        completed = subprocess.run(
            [
                "psql",
                "-h",
                self.pg_host,
                "-p",
                str(self.pg_port),
                "-U",
                self.pg_user,
                "-d",
                self.database,
                "-tAc",
                query,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        return completed.stdout.strip()

    def start_redis(self) -> None:
        folder = self.root / "redis"
        folder.mkdir(parents=True, exist_ok=True)
        self.redis = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec",
                "--dir",
                str(folder),
            ],
            stdout=(self.root / "logs" / "redis.log").open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_for_port(self.redis_port, "Redis")

    def stop_redis(self) -> None:
        if self.redis is not None:
            self.redis.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.redis.wait(timeout=10)
            self.redis = None

    def restart_redis(self, down_seconds: float = 2.0) -> None:
        """Stop Redis as an outage would (messages persist in its append-only file) and start it again."""
        self.stop_redis()
        time.sleep(down_seconds)
        self.start_redis()

    def prepare(self, *, refdata: bool = True, static: bool = True, admin: bool = True) -> None:
        for folder in ("logs", "data", "prometheus"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        for stale in (self.root / "prometheus").glob("*.db"):
            stale.unlink()
        self.start_redis()
        self.psql(f'CREATE DATABASE "{self.database}"')
        self.excon("migrate", "--noinput")
        if refdata:
            self.excon("load_refdata")
        if static:
            self.excon("collectstatic", "--noinput")
        if admin:
            self.excon(
                "create_admin",
                "--username",
                "admin",
                "--email",
                "admin@localhost",
                extra={"EXCON_ADMIN_PASSWORD": self.admin_password},
            )

    # Processes -----------------------------------------------------------------------------------------------

    def start(self, name: str, *, as_name: str | None = None, env: dict[str, str] | None = None) -> None:
        """Start one Procfile process (optionally a second copy under another name, e.g. worker2)."""
        command = procfile_commands()[name]
        label = as_name or name
        log = (self.root / "logs" / f"{label}.log").open("ab")
        self.processes[label] = subprocess.Popen(
            ["/bin/sh", "-c", f"exec {command}"],
            env={**self.env(), "CELERY_HOSTNAME": label, **(env or {})},
            cwd=self.root,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a kill reaches gunicorn's or celery's children too
        )

    def start_all(self) -> None:
        for name in ("web", "worker", "beat"):
            self.start(name)

    def signal(self, label: str, signum: int) -> None:
        process = self.processes[label]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum)

    def stop(self, label: str, timeout: float = 30) -> int | None:
        process = self.processes.pop(label, None)
        if process is None:
            return None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            return process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            return process.wait(timeout=10)

    def stop_all(self) -> dict[str, int | None]:
        return {label: self.stop(label) for label in list(self.processes)}

    def teardown(self, *, keep: bool = False) -> None:
        self.stop_all()
        self.stop_redis()
        if not keep:
            with contextlib.suppress(subprocess.CalledProcessError):
                self.psql(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            shutil.rmtree(self.root, ignore_errors=True)

    # Readiness -----------------------------------------------------------------------------------------------

    def _wait_for_port(self, port: int, what: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                return
            time.sleep(0.1)
        raise RuntimeError(f"{what} did not listen on port {port} within {timeout:.0f} s")

    def readyz(self) -> tuple[int, dict[str, Any]]:
        try:
            with urllib.request.urlopen(f"{self.url}/readyz", timeout=5) as response:  # noqa: S310 - loopback
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")
        except (OSError, ValueError) as exc:
            return 0, {"error": type(exc).__name__}

    def wait_ready(self, timeout: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        status, body = 0, {}
        while time.monotonic() < deadline:
            status, body = self.readyz()
            if status == 200:
                return body
            time.sleep(0.5)
        raise RuntimeError(f"/readyz did not pass within {timeout:.0f} s: {status} {body}; logs in {self.root}/logs")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--redis-port", type=int, default=int(os.environ.get("EXCON_STACK_REDIS_PORT", "6390")))
    parser.add_argument("--pg-host", default=os.environ.get("PGHOST", "127.0.0.1"))
    parser.add_argument("--pg-port", type=int, default=int(os.environ.get("PGPORT", "5432")))
    parser.add_argument("--pg-user", default=os.environ.get("PGUSER", "postgres"))
    parser.add_argument("--web-workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")))
    parser.add_argument("--keep", action="store_true", help="keep the database and data folder when stopping")
    args = parser.parse_args(argv)
    missing = missing_binaries()
    if missing:
        print(f"prod-local needs {', '.join(missing)} (Debian: redis-server postgresql-client)", file=sys.stderr)
        return 2
    stack = Stack(
        root=Path(tempfile.mkdtemp(prefix="excon-prod-local-")),
        web_port=args.port,
        redis_port=args.redis_port,
        pg_host=args.pg_host,
        pg_port=args.pg_port,
        pg_user=args.pg_user,
        web_workers=args.web_workers,
    )
    pid_file = ROOT / "var" / "prod-local.pid"
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    pid_file.write_text(str(os.getpid()))
    # `make prod-local-stop` sends SIGTERM: end as Ctrl-C does, through the same clean-up.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    honcho: subprocess.Popen[bytes] | None = None
    try:
        print(
            f"preparing: database {stack.database} on {args.pg_host}:{args.pg_port}, Redis on {args.redis_port}, "
            f"data in {stack.root}",
            flush=True,
        )
        stack.prepare()
        honcho = subprocess.Popen(
            [str(BIN / "honcho"), "start", "-f", str(PROCFILE), "-d", str(stack.root)],
            env=stack.env(),
            start_new_session=True,
        )
        stack.wait_ready(timeout=120)
        print(
            f"\nExCon (production settings) serves on {stack.url}/\n"
            f"  sign in as admin / {stack.admin_password} (two-factor enrolment on first sign-in)\n"
            f"  readiness {stack.url}/readyz, metrics {stack.url}/metrics (Bearer {stack.metrics_token})\n"
            f"  logs above (JSON); stop with Ctrl-C or `make prod-local-stop`\n",
            flush=True,
        )
        honcho.wait()
    except KeyboardInterrupt:
        pass
    finally:
        if honcho is not None and honcho.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(honcho.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                honcho.wait(timeout=40)
        stack.teardown(keep=args.keep)
        pid_file.unlink(missing_ok=True)
        print("prod-local stopped" + (f"; kept {stack.root} and {stack.database}" if args.keep else ""), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
