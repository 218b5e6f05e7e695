"""`python -m bench`: the same as `peacegraph bench` (what `make bench` runs)."""

from __future__ import annotations

import sys

from peacegraph.app.cli import main

raise SystemExit(main(["bench", *sys.argv[1:]]))
