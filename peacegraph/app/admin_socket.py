"""The admin socket: CLI commands handed to the running service (embedded store).

LadybugDB holds an exclusive lock on `graph.lbug` while `peacegraph serve` runs, so a
second process cannot open the store. Instead of failing, a CLI command that needs the
embedded store (token create/list/revoke, export, import, seed load, migrate,
synth --load) sends its arguments to the service over a Unix socket in the data folder;
the service runs the very same command function on its open store (`cli.execute`) and
streams the command's standard output and error back, then its exit code. The checks,
errors, exit codes and audit entries are therefore those of the command run alone.

Who may connect: only the data folder's owner. The socket is `<data>/admin/serve.sock`,
the `admin` folder is made mode 0700 and the socket 0600, and each connection's peer
uid (SO_PEERCRED, Linux) must be the service's own; elsewhere the file modes alone
guard it. The CLI checks the folder the same way before connecting, and the service's
uid after, so nobody else can plant a socket that answers in the service's name.

Files: export and import pass paths, not file contents. Only a process of the same uid
can connect, and the service runs as that uid, so it can read and write exactly the
files the CLI user could; relative paths are resolved against the CLI's working
directory. This keeps large files off the socket (no second copy in flight), and the
command's progress bar still reaches the CLI's terminal through the error stream.
Output written to standard output (an export without --out) does cross the socket.
The limits of that choice: a file the service writes gets the service's umask, and a
CLI in another mount namespace (a container) names files the service cannot see; it
is then told that the file is missing, as it would be for any path.

A command, once handed over, runs to its end even when the CLI is interrupted: a write
the service has started is not cut off halfway. Only output the CLI no longer takes
(an export to its standard output) stops the command, where it waits for the CLI.

A socket file left by a service that died is stale: the service removes it when it
starts, the CLI when it opens the store itself (holding the store's lock, so no service
can be using it), saying so in one line.

Protocol: the CLI sends one JSON line {"argv", "cwd", "columns", "version"}; the
service answers with frames of one channel byte (o: stdout, e: stderr, x: exit code
as text), a 4-byte big-endian length, and the payload.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import os
import socket
import stat
import struct
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import IO, Any, cast

from peacegraph.app.cli_io import Console
from peacegraph.graph.errors import PeaceGraphError, StoreUnavailable
from peacegraph.graph.store import Store

log = logging.getLogger(__name__)

FOLDER = "admin"
NAME = "serve.sock"
_HEADER = struct.Struct(">cI")
_MAX_REQUEST = 1 << 20
#: How long the service waits for the request line after a connection is made.
REQUEST_SECONDS = 10.0
#: How long a refused caller's request line is waited for before the connection closes.
REFUSAL_DRAIN_SECONDS = 2.0
#: sun_path holds 108 bytes on Linux, 104 on macOS; longer paths go through the folder.
_MAX_ADDRESS = 100

#: Runs a command line for a CLI: (argv, console) to exit code.
Execute = Callable[[list[str], Console], Awaitable[int]]


class AdminSocketError(PeaceGraphError):
    """The admin socket cannot be used safely (wrong owner or permissions)."""

    code = "STORE_UNAVAILABLE"


def socket_path(data_dir: Path) -> Path:
    return data_dir / FOLDER / NAME


def _peer_uid(sock: Any) -> int | None:
    """The uid of the process at the other end, where the system says (Linux)."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return None
    size = struct.calcsize("3i")
    _, uid, _ = struct.unpack("3i", sock.getsockopt(socket.SOL_SOCKET, option, size))
    return int(uid)


def check_folder(folder: Path) -> None:
    """The admin folder must be ours and closed to everyone else (mode 0700)."""
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode):
        raise AdminSocketError(f"{folder}: the admin socket's folder is not a folder")
    if info.st_uid != os.geteuid():
        raise AdminSocketError(
            f"{folder}: the admin socket's folder belongs to uid {info.st_uid}, not to you"
        )
    if info.st_mode & 0o077:
        raise AdminSocketError(
            f"{folder}: the admin socket's folder is open to others "
            f"(mode {stat.S_IMODE(info.st_mode):o}; it must be 700)"
        )


@contextlib.contextmanager
def _address(path: Path) -> Any:
    """A path to bind or connect to, short enough for sun_path: a long one is reached
    through /proc/self/fd of its folder (Linux), so deep data folders work too."""
    if len(os.fsencode(path)) <= _MAX_ADDRESS:
        yield str(path)
        return
    if not Path("/proc/self/fd").is_dir():
        raise AdminSocketError(f"{path}: path too long for a Unix socket")
    folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        yield f"/proc/self/fd/{folder}/{path.name}"
    finally:
        os.close(folder)


def _connect(path: Path) -> socket.socket | None:
    """A connection to the socket at `path`; None when nobody listens there (stale)."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(5)
        with _address(path) as address:
            sock.connect(address)
    except (ConnectionRefusedError, FileNotFoundError):
        sock.close()
        return None
    except BaseException:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


def answers(path: Path) -> bool:
    """Whether a service listens on the socket at `path`."""
    sock = _connect(path)
    if sock is None:
        return False
    sock.close()
    return True


def remove_stale(data_dir: Path, err: Any) -> None:
    """Remove the socket file of a service that is gone; called by the CLI once it holds
    the store's lock (so no service can be using the file)."""
    path = socket_path(data_dir)
    if not path.is_socket() or answers(path):
        return
    path.unlink(missing_ok=True)
    print(
        f"peacegraph: removed {path}: the service that made it is no longer running",
        file=err,
    )


# -- the CLI's side ---------------------------------------------------------------------


async def forward(data_dir: Path, argv: list[str], version: str) -> int | None:
    """Run `argv` in the service serving `data_dir`, copying its output to this
    process's; its exit code, or None when no service answers there."""
    path = socket_path(data_dir)
    if not path.is_socket():
        return None
    check_folder(path.parent)
    sock = _connect(path)
    if sock is None:
        return None
    uid = _peer_uid(sock)
    if uid is not None and uid != os.geteuid():
        sock.close()
        raise AdminSocketError(f"{path}: answered by uid {uid}, not by you; not used")
    reader, writer = await asyncio.open_unix_connection(sock=sock, limit=1 << 16)
    try:
        columns = os.get_terminal_size(sys.stderr.fileno()).columns if sys.stderr.isatty() else None
    except OSError:
        columns = None
    request = {"argv": argv, "cwd": os.getcwd(), "columns": columns, "version": version}
    writer.write(json.dumps(request).encode() + b"\n")
    try:
        await writer.drain()
        return await _copy_output(reader)
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


async def _copy_output(reader: asyncio.StreamReader) -> int:
    while True:
        try:
            channel, size = _HEADER.unpack(await reader.readexactly(_HEADER.size))
            payload = await reader.readexactly(size)
        except asyncio.IncompleteReadError:
            raise StoreUnavailable(
                "the running service closed the admin connection before the command "
                "finished (see the service's log)"
            ) from None
        if channel == b"x":
            return int(payload)
        target = sys.stdout if channel == b"o" else sys.stderr
        target.flush()
        target.buffer.write(payload)
        target.buffer.flush()


# -- the service's side -----------------------------------------------------------------


def _command(argv: list[str]) -> str:
    """The command's name for the log (its words before any option), not its values."""
    words = []
    for word in argv[:2]:
        if word.startswith("-"):
            break
        words.append(word)
    return " ".join(words)


class _Channel(io.RawIOBase):
    """Bytes written here leave as frames of one channel on the connection."""

    def __init__(self, writer: asyncio.StreamWriter, channel: bytes) -> None:
        self._writer = writer
        self._channel = channel

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        payload = bytes(data)
        if payload and not self._writer.is_closing():
            self._writer.write(_HEADER.pack(self._channel, len(payload)) + payload)
        return len(payload)


class CallerGone(PeaceGraphError):
    """The CLI went away (Ctrl-C) while its command wrote to it: the command stops
    there, which is safe where it waits for the CLI (an export's output), never in
    the middle of a write to the store."""

    code = "STORE_UNAVAILABLE"


def _drainer(writer: asyncio.StreamWriter) -> Callable[[], Awaitable[None]]:
    async def drain() -> None:
        try:
            await writer.drain()
        except ConnectionError:
            raise CallerGone("the CLI disconnected before its command finished") from None

    return drain


def _text(raw: _Channel) -> io.TextIOWrapper:
    return io.TextIOWrapper(
        io.BufferedWriter(raw, 1 << 16), encoding="utf-8", line_buffering=True, write_through=True
    )


class AdminServer:
    """The service's admin socket: started in the app's lifespan, closed at shutdown.
    Its failures are logged; they never stop the service."""

    def __init__(
        self, data_dir: Path, execute: Execute, store: Callable[[], Store], version: str
    ) -> None:
        self.path = socket_path(data_dir)
        self.version = version
        self._execute = execute
        self._store = store
        self._server: asyncio.AbstractServer | None = None
        self._uid = os.geteuid()

    async def start(self) -> None:
        try:
            self._server = await self._listen()
        except (OSError, PeaceGraphError) as error:
            log.error("admin socket not started; CLI commands cannot run while serving: %s", error)
            return
        except Exception:  # unforeseen: the service serves on without its admin socket
            log.exception("admin socket not started; CLI commands cannot run while serving")
            return
        if self._server is not None:
            log.info("admin socket at %s (CLI commands run here while serving)", self.path)

    async def _listen(self) -> asyncio.AbstractServer | None:
        folder = self.path.parent
        folder.mkdir(mode=0o700, exist_ok=True)
        if folder.lstat().st_uid == self._uid and not folder.is_symlink():
            folder.chmod(
                0o700
            )  # mkdir's mode is reduced by the umask, and an old folder may be wider
        check_folder(folder)
        if self.path.is_socket() or self.path.exists():
            if self.path.is_socket() and answers(self.path):
                log.warning("admin socket %s answers for another process; not replaced", self.path)
                return None
            self.path.unlink()
            log.info("removed the stale admin socket %s of a service that is gone", self.path)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            with _address(self.path) as address:
                sock.bind(address)
            self.path.chmod(0o600)
        except BaseException:
            sock.close()
            raise
        return await asyncio.start_unix_server(self._serve, sock=sock)

    async def close(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.close()
        try:
            await server.wait_closed()
        except Exception:  # shutting down: a failure here is only worth a line
            log.warning("closing the admin socket raised", exc_info=True)
        self.path.unlink(missing_ok=True)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await self._handle(reader, writer)
        except Exception:  # one bad connection must never take the service down
            log.exception("admin socket: a connection failed")
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        uid = _peer_uid(writer.get_extra_info("socket"))
        err = _text(_Channel(writer, b"e"))
        if uid is not None and uid != self._uid:
            log.warning("admin socket: refused a connection from uid %d", uid)
            print("peacegraph: error: the admin socket serves its owner only", file=err)
            writer.write(_HEADER.pack(b"x", 1) + b"1")
            # Read the request before closing: a socket closed with unread data resets
            # the connection, and the caller would see that instead of the refusal.
            with contextlib.suppress(Exception):
                async with asyncio.timeout(REFUSAL_DRAIN_SECONDS):
                    await reader.readline()
            return
        try:
            async with asyncio.timeout(REQUEST_SECONDS):
                line = await reader.readline()
            request = json.loads(line[:_MAX_REQUEST])
            argv = [str(part) for part in request["argv"]]
            cwd = Path(str(request["cwd"]))
            columns = request.get("columns")
        except (TimeoutError, ValueError, KeyError, TypeError):
            log.warning("admin socket: a connection sent no valid request")
            return
        try:
            store = self._store()
        except PeaceGraphError as error:
            print(f"peacegraph: error: {error}", file=err)
            writer.write(_HEADER.pack(b"x", 1) + b"1")
            return
        if request.get("version") != self.version:
            log.info(
                "admin socket: a CLI of version %s, service %s",
                request.get("version"),
                self.version,
            )
        out = _text(_Channel(writer, b"o"))
        console = Console(
            out=out,
            err=err,
            out_bytes=cast(IO[bytes], out.buffer),
            cwd=cwd,
            store=store,
            columns=columns if isinstance(columns, int) else None,
            drain=_drainer(writer),
        )
        log.info("admin socket: running `peacegraph %s` for a CLI", _command(argv))
        try:
            code = await self._execute(argv, console)
        except Exception:  # the command's bug: the CLI gets one line, the log the traceback
            log.exception("admin socket: `peacegraph %s` failed", _command(argv))
            print("peacegraph: error: the command failed in the service (see its log)", file=err)
            code = 1
        for stream in (out, err):
            stream.flush()
        if writer.is_closing():
            log.info("admin socket: the CLI left before `peacegraph %s` ended", _command(argv))
        else:
            writer.write(_HEADER.pack(b"x", len(str(code))) + str(code).encode())
            with contextlib.suppress(ConnectionError):
                await writer.drain()
