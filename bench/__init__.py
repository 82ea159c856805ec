"""Benchmarks: scripts that print figures. They never run as tests."""
