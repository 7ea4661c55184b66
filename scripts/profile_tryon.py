"""Where the time of a try-on goes: cProfile over cold runs on the demo photos.

    .venv/bin/python scripts/profile_tryon.py --kind top --size 512x384 --runs 3 [--top 25]
        [--catalog DIR]

Each run clears the engine's caches first (a new photo and a new product), after one warm-up
pass; prints the functions with the most own time and the most cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
from pathlib import Path

os.environ.setdefault("GLOG_minloglevel", "3")

from tryon.errors import TryOnError  # noqa: E402
from tryon.kinds import Kind  # noqa: E402
from tryon.pipeline import TryOnEngine  # noqa: E402
from tryon.tools.bench import demo_inputs, parse_size  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=[kind.value for kind in Kind], default="top")
    parser.add_argument("--size", default="512x384")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--catalog", type=Path, default=None,
                        help="more products, laid out like the demo's kind folders (as for "
                             "tryon bench --catalog; the demo has no dresses)")
    args = parser.parse_args()
    inputs = demo_inputs(parse_size(args.size), catalog=args.catalog)
    items = inputs.items.get(Kind(args.kind), ())
    with TryOnEngine() as engine:
        pairs = []
        for _, photo in inputs.people:
            for _, item in items:
                try:
                    engine.run(photo, item, args.kind)
                except TryOnError:
                    continue  # shoes on a photo without feet
                pairs.append((photo, item))
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.runs):
            for photo, item in pairs:
                engine.clear_caches()
                engine.run(photo, item, args.kind)
        profile.disable()
    print(f"{args.runs} × {len(pairs)} {args.kind} try-ons at {args.size}")
    stats = pstats.Stats(profile)
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
