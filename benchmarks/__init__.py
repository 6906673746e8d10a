"""Benchmarks: synthetic fact bases (generate.py) and the measurements (run.py)."""
