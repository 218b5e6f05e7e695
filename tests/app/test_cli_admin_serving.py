"""The CLI while `peacegraph serve` runs on the embedded store: the service holds the
store's lock, so each command that needs the store is handed to the service over its
admin socket and must behave as when it opens the store itself."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from peacegraph.app.factory import create_app
from peacegraph.app.settings import Settings
from tests.app.test_cli_serve import free_port
from tests.support.cli import Ran, run_main

#: One CLI command's limit: these machines are shared, and each run starts Python.
COMMAND_SECONDS = 120


@dataclass(frozen=True)
class Service:
    data: Path
    url: str
    workdir: Path


def cli(*args: str, cwd: Path) -> Ran:
    """`peacegraph ARGS` from `cwd` (so relative paths are its), through the console
    script's entry point in this process (tests/support/cli.py): the service is a real
    process either way, and the command reaches it over the admin socket as from a
    terminal, without a Python start-up per command."""
    return run_main(*args, cwd=cwd, drop=("NEO4J_URI", "PEACEGRAPH_STORE"))


def cli_subprocess(
    *args: str, cwd: Path, timeout: float = COMMAND_SECONDS
) -> subprocess.CompletedProcess[str]:
    """`peacegraph ARGS` as a user runs it, a subprocess, from `cwd`."""
    env = {k: v for k, v in os.environ.items() if k not in {"NEO4J_URI", "PEACEGRAPH_STORE"}}
    return subprocess.run(
        [sys.executable, "-m", "peacegraph.app.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """A real `peacegraph serve` on a fresh, unseeded embedded store; reads need a token."""
    root = tmp_path_factory.mktemp("serving")
    data, port = root / "data", free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"NEO4J_URI", "PEACEGRAPH_STORE"}}
    env.update(PEACEGRAPH_LOG_LEVEL="WARNING", PEACEGRAPH_READS_REQUIRE_TOKEN="true")
    command = ["serve", "--data-dir", str(data), "--init", "--no-seed", "--port", str(port)]
    with (root / "serve.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "peacegraph.app.cli", *command],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while not (data / "admin" / "serve.sock").exists() or not _healthy(url):
            assert process.poll() is None, (root / "serve.log").read_text()
            assert time.monotonic() < deadline, "the service did not start within 120 s"
            time.sleep(0.2)
        yield Service(data, url, root)
    finally:
        process.terminate()
        process.wait(30)
    assert not (data / "admin" / "serve.sock").exists(), "the socket outlived the service"


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def _status(service: Service, token: str) -> int:
    response = httpx.post(
        f"{service.url}/graphql",
        json={"query": "{ __typename }"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    return response.status_code


def _create_token(service: Service, name: str) -> tuple[str, str]:
    created = cli(
        "token",
        "create",
        "--name",
        name,
        "--role",
        "reader",
        "--data-dir",
        str(service.data),
        cwd=service.workdir,
    )
    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip().splitlines()[-1]
    return secret.split("_", 2)[1], secret


def test_token_create_while_serving_gives_a_token_the_service_accepts(service: Service) -> None:
    _, secret = _create_token(service, "ana")
    assert secret.startswith("pg_")
    assert _status(service, secret) == 200
    bad = cli(
        "token",
        "create",
        "--name",
        "x",
        "--role",
        "god",
        "--data-dir",
        str(service.data),
        cwd=service.workdir,
    )
    assert bad.returncode == 2 and "invalid choice" in bad.stderr


def test_token_list_while_serving(service: Service) -> None:
    token_id, secret = _create_token(service, "bea")
    listed = cli("token", "list", "--data-dir", str(service.data), cwd=service.workdir)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[0].split() == ["id", "role", "created", "revoked", "name"]
    assert any(
        line.startswith(token_id) and line.endswith("bea") for line in listed.stdout.splitlines()
    )
    assert secret.split("_", 2)[2] not in listed.stdout


def test_a_token_revoked_while_serving_is_refused_at_once(service: Service) -> None:
    token_id, secret = _create_token(service, "leaked")
    assert _status(service, secret) == 200
    revoked = cli("token", "revoke", token_id, "--data-dir", str(service.data), cwd=service.workdir)
    assert revoked.returncode == 0, revoked.stderr
    assert revoked.stdout == f"revoked token {token_id} ('leaked')\n"
    assert _status(service, secret) == 401
    unknown = cli("token", "revoke", "nope", "--data-dir", str(service.data), cwd=service.workdir)
    assert unknown.returncode == 1
    assert (
        unknown.stderr == "peacegraph: error: no token with id nope (see `peacegraph token list`)\n"
    )


def test_seed_load_while_serving(service: Service) -> None:
    loaded = cli_subprocess("seed", "load", "--data-dir", str(service.data), cwd=service.workdir)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.startswith("loaded 1 report(s): ")
    assert "seed: 100%" in loaded.stderr  # the service's progress bar, on the CLI's terminal


def test_migrate_while_serving(service: Service) -> None:
    migrated = cli("migrate", "--data-dir", str(service.data), cwd=service.workdir)
    assert migrated.returncode == 0, migrated.stderr
    assert migrated.stdout.endswith("0 migration(s) applied, schema up to date\n")


def test_export_while_serving_to_a_relative_path_and_to_stdout(service: Service) -> None:
    exported = cli(
        "export",
        "--quiet",
        "--out",
        "exported/graph.json",
        "--data-dir",
        str(service.data),
        cwd=service.workdir,
    )
    assert exported.returncode == 0, exported.stderr
    assert exported.stderr == "exported to exported/graph.json\n"
    written = (service.workdir / "exported" / "graph.json").read_text(encoding="utf-8")
    streamed = cli("export", "--data-dir", str(service.data), cwd=service.workdir)
    assert streamed.returncode == 0 and streamed.stdout == written
    document = json.loads(written)
    assert document["format"] == "peacegraph"
    csv = cli("export", "--format", "csv", "--data-dir", str(service.data), cwd=service.workdir)
    assert csv.returncode == 2
    assert (
        csv.stderr
        == "peacegraph: error: export --format csv: give --out FOLDER for nodes.csv and edges.csv\n"
    )


def test_import_while_serving_writes_once_and_then_refuses_existing_ids(service: Service) -> None:
    made = cli(
        "synth",
        "--nodes",
        "20",
        "--rels",
        "10",
        "--seed",
        "5",
        "--out",
        "synth.json",
        cwd=service.workdir,
    )
    assert made.returncode == 0, made.stderr
    source = service.workdir / "synth.json"
    (service.workdir / "partners.json").write_text(
        source.read_text(encoding="utf-8").replace(":synth-", ":partner-"), encoding="utf-8"
    )
    imported = cli("import", "partners.json", "--data-dir", str(service.data), cwd=service.workdir)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout == "imported 20 nodes and 10 relationships from partners.json\n"
    assert "import: 100%" in imported.stderr
    again = cli(
        "import", "partners.json", "--quiet", "--data-dir", str(service.data), cwd=service.workdir
    )
    assert again.returncode == 2
    assert again.stderr.startswith("peacegraph: error: partners.json: nodes: ")
    assert "nothing was imported" in again.stderr
    missing = cli("import", "missing.json", "--data-dir", str(service.data), cwd=service.workdir)
    assert missing.returncode == 2 and "missing.json" in missing.stderr


def test_synth_load_while_serving(service: Service) -> None:
    loaded = cli(
        "synth",
        "--nodes",
        "20",
        "--rels",
        "10",
        "--seed",
        "9",
        "--load",
        "--quiet",
        "--data-dir",
        str(service.data),
        cwd=service.workdir,
    )
    assert loaded.returncode == 0, loaded.stderr
    assert "loaded 20 nodes, 10 relationships" in loaded.stderr
    exported = cli("export", "--data-dir", str(service.data), cwd=service.workdir)
    assert '"org:synth-000000"' in exported.stdout


def test_the_socket_is_its_owners_only(service: Service) -> None:
    folder = service.data / "admin"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "serve.sock").stat().st_mode) == 0o600
    assert (folder / "serve.sock").stat().st_uid == os.geteuid()
    folder.chmod(0o755)  # as if someone opened it up: the CLI does not trust it
    try:
        refused = cli("token", "list", "--data-dir", str(service.data), cwd=service.workdir)
    finally:
        folder.chmod(0o700)
    assert refused.returncode == 1
    assert refused.stderr == (
        f"peacegraph: error: {folder}: the admin socket's folder is open to others "
        "(mode 755; it must be 700)\n"
    )


def _connect_as_nobody(data: Path) -> int:
    """Connect to the admin socket as uid `nobody`, in a child process: 3 when the file
    system refuses it, 4 when the service answers that it serves its owner only.

    The child starts from the data folder (open to it, mode 755), not from above
    (pytest's root-only temporary folder would stop it first and prove nothing)."""
    folder = os.open(data, os.O_RDONLY | os.O_DIRECTORY)
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports by its exit code only
        code = 2
        try:
            os.setgid(65534)
            os.setuid(65534)
            os.listdir(f"/proc/self/fd/{folder}")  # the data folder itself is readable
            with socket.socket(socket.AF_UNIX) as probe:
                probe.settimeout(30)
                probe.connect(f"/proc/self/fd/{folder}/admin/serve.sock")
                probe.sendall(b'{"argv": ["token", "list"], "cwd": "/"}\n')
                reply = b""
                while chunk := probe.recv(4096):
                    reply += chunk
                code = 4 if b"serves its owner only" in reply else 5
        except PermissionError:
            code = 3
        finally:
            os._exit(code)  # whatever happened: never back into pytest's code
    os.close(folder)
    _, status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(status)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to connect as another uid")
def test_another_uid_is_refused_by_the_folder_and_by_the_service(service: Service) -> None:
    assert _connect_as_nobody(service.data) == 3
    folder, path = service.data / "admin", service.data / "admin" / "serve.sock"
    folder.chmod(0o777)  # opened up by mistake: the peer's uid (SO_PEERCRED) still counts
    path.chmod(0o666)
    try:
        assert _connect_as_nobody(service.data) == 4
    finally:
        path.chmod(0o600)
        folder.chmod(0o700)


def test_a_request_that_is_not_one_leaves_the_service_serving(service: Service) -> None:
    with socket.socket(socket.AF_UNIX) as probe:
        probe.settimeout(30)
        probe.connect(str(service.data / "admin" / "serve.sock"))
        probe.sendall(b"not json\n")
        assert probe.recv(4096) == b""  # closed without running anything
    listed = cli("token", "list", "--data-dir", str(service.data), cwd=service.workdir)
    assert listed.returncode == 0, listed.stderr


def test_a_stale_socket_is_removed_with_a_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert cli("migrate", "--init", "--data-dir", str(data), cwd=tmp_path).returncode == 0
    (data / "admin").mkdir(mode=0o700)
    stale = data / "admin" / "serve.sock"
    with socket.socket(socket.AF_UNIX) as dead:  # bound, never listening: a dead service's
        dead.bind(str(stale))
    listed = cli("token", "list", "--data-dir", str(data), cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert listed.stderr == (
        f"peacegraph: removed {stale}: the service that made it is no longer running\n"
    )
    assert not stale.exists()


async def test_a_service_replaces_a_stale_socket_when_it_starts(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "admin").mkdir(parents=True, mode=0o700)
    with socket.socket(socket.AF_UNIX) as dead:
        dead.bind(str(data / "admin" / "serve.sock"))
    app = create_app(Settings(data_dir=data, auto_seed=False))
    async with app.router.lifespan_context(app):
        listed = await asyncio.to_thread(
            cli_subprocess, "token", "list", "--data-dir", str(data), cwd=tmp_path
        )
    assert listed.returncode == 0, listed.stderr
    assert listed.stderr == ""  # run by the service: nothing stale was left to remove
    assert not (data / "admin" / "serve.sock").exists()  # and removed at shutdown


async def test_an_admin_socket_that_cannot_start_leaves_the_service_serving(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "admin").write_text("a file where the admin folder goes", encoding="utf-8")
    app = create_app(Settings(data_dir=data, auto_seed=False))
    with caplog.at_level(logging.ERROR, logger="peacegraph.app.admin_socket"):
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                assert (await client.get("/readyz")).status_code == 200
    assert "admin socket not started" in caplog.text


def test_a_lock_held_without_an_admin_socket_says_to_retry_once_the_service_serves(
    tmp_path: Path,
) -> None:
    """As while `serve` is still migrating and seeding: the lock is taken, the socket
    not yet there."""
    data = tmp_path / "data"
    assert cli("migrate", "--init", "--data-dir", str(data), cwd=tmp_path).returncode == 0
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import ladybug,time;"
            f"db=ladybug.Database({str(data / 'graph.lbug')!r});"
            "c=ladybug.Connection(db);print('ok',flush=True);time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        listed = cli("token", "list", "--data-dir", str(data), cwd=tmp_path)
    finally:
        holder.kill()
        holder.communicate()
    assert listed.returncode == 1
    assert listed.stderr.startswith("peacegraph: error: cannot open the embedded store")
    assert listed.stderr.endswith(
        "; if `peacegraph serve` is starting on this folder, try again once it serves "
        "(it then runs this command for you)\n"
    )
