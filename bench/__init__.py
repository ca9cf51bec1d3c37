"""Benchmarks (SPEC §10); run `make bench`."""
