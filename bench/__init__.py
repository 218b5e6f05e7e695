"""The benchmark harness of issue 8 (`make bench`, `peacegraph bench`); see harness.py."""
