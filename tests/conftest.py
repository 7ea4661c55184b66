"""Shared fixtures: the real photo collection beside the project and one engine per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DEMO_ASSETS = Path(__file__).resolve().parents[1] / "tryon" / "assets" / "demo"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``; tests that need it are skipped on machines without it."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real photos not available: {SHARED_DATA} is absent (it sits beside the "
                    "project on developer and CI machines)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def engine() -> Iterator[object]:
    from tryon.pipeline import TryOnEngine

    with TryOnEngine() as eng:
        yield eng


@pytest.fixture(scope="session")
def analyzer() -> Iterator[object]:
    from tryon.person import PersonAnalyzer

    with PersonAnalyzer() as an:
        yield an
