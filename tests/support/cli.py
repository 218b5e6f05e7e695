"""`peacegraph ARGS` run in the test's own process, through the console script's entry
point (`peacegraph.app.cli:main`, what `[project.scripts]` calls), with its exit code,
standard output and standard error captured as a subprocess's would be.

Each subprocess pays Python's start-up and the package's imports (1 to 5 s on a busy
machine); the many cases of a command's behaviour need not. A few tests (tests/app/
test_cli.py) still run the real console script as a subprocess, so that path stays
covered. An exception that escapes `main` is not caught here: it fails the test, as the
traceback a subprocess would print fails the tests that look for "Traceback".
"""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from peacegraph.app.cli import main


@dataclass(frozen=True)
class Ran:
    """What a run left, named as `subprocess.CompletedProcess` names it."""

    returncode: int
    stdout: str
    stderr: str


def _stream() -> io.TextIOWrapper:
    """A text stream with a `.buffer`, as sys.stdout has (exports write bytes to it)."""
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="", write_through=True)


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8")


def run_main(
    *args: str,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    drop: tuple[str, ...] = ("NEO4J_URI",),
) -> Ran:
    """`peacegraph ARGS` in this process, with `env` added to the environment and the
    variables in `drop` removed unless `env` sets them (as the subprocess helpers did),
    from `cwd` when given; all restored afterwards."""
    out, err = _stream(), _stream()
    with pytest.MonkeyPatch.context() as patch:
        for name in drop:
            if name not in (env or {}):
                patch.delenv(name, raising=False)
        for name, value in (env or {}).items():
            patch.setenv(name, value)
        if cwd is not None:
            patch.chdir(cwd)
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exit:  # argparse: --help, or a usage error
                code = exit.code if isinstance(exit.code, int) else int(exit.code is not None)
    return Ran(code, _text(out), _text(err))
