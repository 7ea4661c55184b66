"""Throughput of :class:`tryon.tools.pool.EnginePool` with two concurrent callers (docs/ui.md).

Each configuration runs the same demo try-ons (a top and shoes on ``woman-studio.jpg``,
alternating): ``sequential`` (one caller, one engine), ``lock`` (two callers, one engine)
and ``pool2`` (two callers, two engines). Prints try-ons per second, the latency of a try-on
as a caller sees it (waiting included; mean and 90th percentile) and the process's peak
resident memory (cumulative: later configurations include the earlier ones' peak).

    .venv/bin/python scripts/bench_pool.py [--runs 20] [--rounds 2]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import threading
import time
from pathlib import Path

from tryon.tools.pool import EnginePool

DEMO = Path(__file__).resolve().parents[1] / "tryon" / "assets" / "demo"
PERSON = (DEMO / "people" / "woman-studio.jpg").read_bytes()
ITEMS = [((DEMO / "tops" / "denim-jacket.jpg").read_bytes(), "top"),
         ((DEMO / "shoes" / "blue-plimsolls.png").read_bytes(), "shoes")]


def _caller(pool: EnginePool, runs: int, offset: int, latencies: list[float]) -> None:
    for index in range(runs):
        item, kind = ITEMS[(index + offset) % len(ITEMS)]
        start = time.perf_counter()
        pool.run(PERSON, item, kind)
        latencies.append(time.perf_counter() - start)


def measure(size: int, callers: int, runs: int) -> dict[str, float]:
    """Run ``runs`` try-ons in each of ``callers`` threads on a pool of ``size`` engines."""
    with EnginePool(size) as pool:
        _caller(pool, 2, 0, [])  # warm caches (SciPy, OpenCV) outside the timing
        latencies: list[float] = []
        threads = [threading.Thread(target=_caller, args=(pool, runs, i, latencies))
                   for i in range(callers)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
    return {"tryons_per_s": callers * runs / elapsed,
            "mean_latency_s": statistics.fmean(latencies),
            "p90_latency_s": statistics.quantiles(latencies, n=10)[-1],
            "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="try-ons per caller")
    parser.add_argument("--rounds", type=int, default=2,
                        help="times each configuration is measured, interleaved")
    args = parser.parse_args()
    configs = (("sequential", 1, 1), ("lock", 1, 2), ("pool2", 2, 2))
    seen: dict[str, list[dict[str, float]]] = {}
    for name, size, callers in configs * args.rounds:
        numbers = measure(size, callers, args.runs)
        seen.setdefault(name, []).append(numbers)
        print(f"{name:10s} engines={size} callers={callers} "
              f"{numbers['tryons_per_s']:.2f} try-ons/s, latency mean "
              f"{numbers['mean_latency_s'] * 1000:.0f} ms, p90 "
              f"{numbers['p90_latency_s'] * 1000:.0f} ms, max RSS "
              f"{numbers['max_rss_mib']:.0f} MiB", flush=True)
    print(f"median over {args.rounds} rounds:")
    for name, rounds in seen.items():
        rate = statistics.median(r["tryons_per_s"] for r in rounds)
        mean = statistics.median(r["mean_latency_s"] for r in rounds) * 1000
        p90 = statistics.median(r["p90_latency_s"] for r in rounds) * 1000
        print(f"  {name:10s} {rate:.2f} try-ons/s, latency mean {mean:.0f} ms, p90 {p90:.0f} ms")


if __name__ == "__main__":
    main()
