"""The command line ``python -m scoring``: the parser and one module per command group (core, formats, peers,
selection)."""
