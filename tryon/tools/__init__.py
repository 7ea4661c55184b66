"""Tools around the engine: the CLI, batch runs, benchmarks, evaluation (paired metrics,
unpaired KID/FID) and the engine pool the UI uses."""

from pathlib import Path

__all__ = ["DEMO_ASSETS"]

DEMO_ASSETS = Path(__file__).resolve().parents[1] / "assets" / "demo"
