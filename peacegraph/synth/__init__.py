"""Synthetic peacebuilding networks for benchmarks and scale tests (`peacegraph synth`)."""
