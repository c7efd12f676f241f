"""Benchmarks: scripts that print numbers (``make bench-build``, ``make bench-nn``)."""
