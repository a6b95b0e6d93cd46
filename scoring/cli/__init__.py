"""The command line ``python -m scoring``: the parser and exit codes (entry), and one module per command group:
core (schema, validate, score, coverage, calibrate), formats, peers and selection, sharing common."""

from .entry import build_parser, main

__all__ = ["build_parser", "main"]
