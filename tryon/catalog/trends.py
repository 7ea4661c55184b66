"""Trends: each style cluster's share of dated events (items added, sold or viewed) over
time, and its slope (which clusters grow).

Dates come from a CSV with a ``file`` and a ``date`` column (ISO ``YYYY-MM-DD``, a time may
follow); ``file`` is a catalog-relative path or a bare file name. A file may appear on many
rows (one per event). Periods are months when the dates span at least
:data:`MONTHS_FROM_DAYS` days, else ISO weeks when they span at least :data:`WEEKS_FROM_DAYS`,
else days.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tryon.errors import ErrorCode, TryOnError

__all__ = ["GROWTH", "Trends", "cluster_trends", "read_dates"]

MONTHS_FROM_DAYS = 90
WEEKS_FROM_DAYS = 21
GROWTH = 0.01  # a cluster "grows" when its share rises by more than this per period
MAX_CSV_BYTES = 64 << 20


@dataclass(frozen=True)
class Trends:
    """``periods`` (P,) labels (``2026-03``, ``2026-W11`` or ``2026-03-14``); ``shares``
    (K, P) each cluster's share of the period's events (columns sum to 1; 0 for a period
    without events); ``counts`` (K, P) events; ``slopes`` (K,) least-squares share change per
    period; ``growing`` clusters with slope > :data:`GROWTH`, fastest first; ``unmatched``
    CSV rows whose file is not in the catalog."""

    periods: tuple[str, ...]
    shares: np.ndarray
    counts: np.ndarray
    slopes: np.ndarray
    growing: tuple[int, ...]
    unmatched: int


def read_dates(path: str | Path) -> list[tuple[str, dt.date]]:
    """(file, date) rows of a dates CSV. Raises ``bad_argument`` with the line of the first
    problem."""
    path = Path(path)
    if not path.is_file():
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--dates {path} is not a file")
    if path.stat().st_size > MAX_CSV_BYTES:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--dates {path} is larger than "
                         f"{MAX_CSV_BYTES >> 20} MB")
    rows: list[tuple[str, dt.date]] = []
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            fields = {name.strip().lower(): name for name in reader.fieldnames or []}
            if "file" not in fields or "date" not in fields:
                raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--dates {path} needs a header with "
                                 "'file' and 'date' columns")
            for line, row in enumerate(reader, start=2):
                name, text = (row.get(fields["file"]) or "").strip(), (
                    row.get(fields["date"]) or "").strip()
                try:
                    day = dt.date.fromisoformat(text[:10])
                except ValueError:
                    raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--dates {path} line {line}: "
                                     f"{text[:40]!r} is not a YYYY-MM-DD date") from None
                if not name:
                    raise TryOnError(ErrorCode.BAD_ARGUMENT,
                                     f"--dates {path} line {line}: no file")
                rows.append((name, day))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--dates {path} is not a UTF-8 CSV file: "
                         f"{exc}") from None
    if not rows:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--dates {path} has no rows")
    return rows


def _period(day: dt.date, unit: str) -> str:
    if unit == "month":
        return f"{day.year}-{day.month:02d}"
    if unit == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return day.isoformat()


def _all_periods(first: dt.date, last: dt.date, unit: str) -> list[str]:
    periods: list[str] = []
    day = first
    while day <= last:
        label = _period(day, unit)
        if not periods or periods[-1] != label:
            periods.append(label)
        day += dt.timedelta(days=1)
    return periods


def cluster_trends(paths: np.ndarray, labels: np.ndarray, k: int,
                   rows: list[tuple[str, dt.date]]) -> Trends:
    """Shares over time of ``k`` clusters (``labels`` (N,) for catalog ``paths`` (N,))."""
    by_path = {str(p): int(c) for p, c in zip(paths, labels, strict=True)}
    by_name: dict[str, int | None] = {}
    for path, cluster in by_path.items():
        name = Path(path).name
        by_name[name] = cluster if name not in by_name else None  # ambiguous names: no match
    events = []
    for name, day in rows:
        cluster = by_path.get(name.replace("\\", "/"), by_name.get(Path(name).name))
        if cluster is not None:
            events.append((cluster, day))
    unmatched = len(rows) - len(events)
    if not events:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, "no row of --dates names a picture of the "
                         "catalog (use catalog-relative paths or file names)")
    first, last = min(d for _, d in events), max(d for _, d in events)
    span = (last - first).days
    unit = ("month" if span >= MONTHS_FROM_DAYS else "week" if span >= WEEKS_FROM_DAYS
            else "day")
    periods = _all_periods(first, last, unit)
    column = {label: i for i, label in enumerate(periods)}
    counts = np.zeros((k, len(periods)), np.int64)
    for cluster, day in events:
        counts[cluster, column[_period(day, unit)]] += 1
    totals = counts.sum(axis=0, keepdims=True)
    shares = np.divide(counts, totals, out=np.zeros(counts.shape), where=totals > 0)
    slopes = np.zeros(k)
    filled = np.flatnonzero(totals[0] > 0)
    if len(filled) >= 2:
        steps = filled.astype(np.float64)
        for cluster in range(k):
            slopes[cluster] = np.polyfit(steps, shares[cluster, filled], 1)[0]
    growing = tuple(int(c) for c in np.argsort(-slopes, kind="stable") if slopes[c] > GROWTH)
    return Trends(tuple(periods), shares, counts, slopes, growing, unmatched)
