"""``python -m export.mobile.bench OUT_DIR [--runs N] [--threads T]``: speed of every variant of
a mobile package on this CPU (ONNX Runtime, CPU provider), on its first golden input.

Prints one line per file (.onnx and .ort) with the median and 90th percentile of ``runs``
timed calls after ``WARMUP`` untimed ones, and the machine (CPU model, cores seen).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

__all__ = ["main", "time_model"]

WARMUP = 3
RUNS = 20


def time_model(path: Path, feeds: dict[str, np.ndarray], runs: int = RUNS,
               threads: int = 2) -> tuple[float, float]:
    """(median, p90) milliseconds per call of ``path`` on ``feeds``."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(path), sess_options=options,
                                   providers=["CPUExecutionProvider"])
    for _ in range(WARMUP):
        session.run(None, feeds)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        session.run(None, feeds)
        times.append((time.perf_counter() - start) * 1000)
    return float(np.median(times)), float(np.percentile(times, 90))


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m export.mobile.bench")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    manifest = json.loads((args.folder / "manifest.json").read_text())
    print(f"machine: {_cpu()}, {len(os.sched_getaffinity(0))} cores seen, "
          f"{args.threads} threads, median/p90 of {args.runs} runs")
    for variant in manifest["variants"]:
        case = next(c for c in manifest["golden"][variant["golden"]]
                    if c["variant"] == variant["name"])
        (name,) = variant["inputs"]
        feeds = {name: np.load(args.folder / case["input"])}
        for kind in ("onnx", "ort"):
            path = args.folder / variant["files"][kind]
            median, p90 = time_model(path, feeds, args.runs, args.threads)
            size = path.stat().st_size / 1e6
            print(f"{variant['files'][kind]:48} {size:6.1f} MB {median:8.1f} ms {p90:8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
