"""Harnesses that measure and attack the service from outside the product package:
the benchmark of issue 8 (`python -m bench`, see harness.py), the load test
(`python -m bench.loadtest`) and the fuzzer (`python -m bench.fuzz`)."""
