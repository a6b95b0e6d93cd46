"""Shared test set-up.

Every test gets its own empty data folder (``SFJD_DATA_DIR``): the app saves the current application to
``<data dir>/sfjd.sqlite3`` on every change and reopens the last one in a new session, so tests must neither write
into the developer's ``data/local/`` nor see each other's saved applications. Several-users mode is off unless a
test turns it on.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    d = tmp_path_factory.mktemp("sfjd_data")
    monkeypatch.setenv("SFJD_DATA_DIR", str(d))
    monkeypatch.delenv("SFJD_MULTIUSER", raising=False)
    return d
