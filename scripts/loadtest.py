"""Load test of ``tryon serve``: latency, throughput, errors and memory, only on 127.0.0.1.

A bounded async client (httpx): at each concurrency level (default 1, 2, 4, 8 clients) it
sends at most ``--requests`` try-ons or stops issuing after ``--seconds``, then reports p50/p95
latency, throughput and the answers by status; a soak (``--soak-seconds``) then runs at
``--soak-clients`` and samples the server's resident memory (RSS) every ``--sample-seconds``.
Every request carries a person photo no request before it had (one pixel changed,
re-encoded), so the engine's per-photo cache never answers for MediaPipe.

By default it starts its own server (``tryon serve`` on a free port, rate limit off, niced);
``--url http://127.0.0.1:PORT`` measures one already running (loopback addresses only; RSS
then needs ``--pid``). Exit status 1 when any answer was a 5xx (or a transport error).

    .venv/bin/python scripts/loadtest.py --requests 16 --soak-seconds 600 --json out.json
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from PIL import Image

PROJECT = Path(__file__).resolve().parents[1]
DEMO = PROJECT / "tryon" / "assets" / "demo"
PEOPLE = ("woman-studio.jpg", "man-living-room.jpg")
ITEM_IDS = ("white-tee", "denim-jacket", "bandana-shirt")
LEVELS = (1, 2, 4, 8)
REQUEST_TIMEOUT_S = 120.0
START_TIMEOUT_S = 300.0
JPEG_QUALITY = 92
MAX_REQUESTS = 10_000
MAX_SECONDS = 3600.0
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass
class Level:
    """One concurrency level's figures (latencies in ms of the 200 answers)."""

    clients: int
    requests: int = 0
    seconds: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)
    p50_ms: float | None = None
    p95_ms: float | None = None
    per_second: float = 0.0
    transport_errors: int = 0


@dataclass
class Soak:
    """The soak: a level's figures plus RSS samples (MiB) over time (s)."""

    level: Level
    rss_mib: list[tuple[float, float]] = field(default_factory=list)


def _percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))], 1)


class PhotoMaker:
    """Person photos no request has sent before: a demo photo with one pixel changed."""

    def __init__(self, seed: int = 0) -> None:
        self._photos = [Image.open(DEMO / "people" / name).convert("RGB") for name in PEOPLE]
        self._random = random.Random(seed)
        self._count = 0

    def next(self) -> bytes:
        photo = self._photos[self._count % len(self._photos)].copy()
        self._count += 1
        x, y = self._random.randrange(photo.width), self._random.randrange(photo.height)
        photo.putpixel((x, y), tuple(self._random.randrange(256) for _ in range(3)))
        buffer = io.BytesIO()
        photo.save(buffer, format="JPEG", quality=JPEG_QUALITY)
        return buffer.getvalue()


async def run_level(client: httpx.AsyncClient, clients: int, max_requests: int,
                    max_seconds: float, photos: PhotoMaker, key: str | None) -> Level:
    """``clients`` workers send try-ons until ``max_requests`` are sent or ``max_seconds``
    have passed (requests in flight then finish)."""
    level = Level(clients)
    latencies: list[float] = []
    issued = 0
    start = time.perf_counter()
    headers = {"Authorization": f"Bearer {key}"} if key else {}

    async def worker() -> None:
        nonlocal issued
        while issued < max_requests and time.perf_counter() - start < max_seconds:
            index = issued
            issued += 1
            photo = await asyncio.to_thread(photos.next)
            begin = time.perf_counter()
            try:
                answer = await client.post(
                    "/v1/tryon", headers=headers, files={"person": ("p.jpg", photo)},
                    data={"item_id": ITEM_IDS[index % len(ITEM_IDS)], "kind": "top"})
            except httpx.HTTPError:
                level.transport_errors += 1
                continue
            status = str(answer.status_code)
            level.statuses[status] = level.statuses.get(status, 0) + 1
            if answer.status_code == 200:
                latencies.append((time.perf_counter() - begin) * 1000)

    await asyncio.gather(*(worker() for _ in range(clients)))
    level.seconds = round(time.perf_counter() - start, 2)
    level.requests = issued
    level.p50_ms = _percentile(latencies, 0.5)
    level.p95_ms = _percentile(latencies, 0.95)
    level.per_second = round(len(latencies) / level.seconds, 3) if level.seconds else 0.0
    return level


def rss_mib(pid: int) -> float | None:
    """Resident memory of process ``pid`` in MiB (None where /proc cannot tell)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


async def soak(client: httpx.AsyncClient, args: argparse.Namespace, photos: PhotoMaker,
               pid: int | None) -> Soak:
    """Run ``--soak-clients`` for ``--soak-seconds``, sampling RSS meanwhile."""
    result = Soak(Level(args.soak_clients))
    start = time.perf_counter()

    async def sample() -> None:
        while True:
            if pid is not None and (value := rss_mib(pid)) is not None:
                result.rss_mib.append((round(time.perf_counter() - start, 1), value))
            await asyncio.sleep(args.sample_seconds)

    sampler = asyncio.create_task(sample())
    result.level = await run_level(client, args.soak_clients, MAX_REQUESTS, args.soak_seconds,
                                   photos, args.key)
    sampler.cancel()
    if pid is not None and (value := rss_mib(pid)) is not None:
        result.rss_mib.append((round(time.perf_counter() - start, 1), value))
    return result


def start_server(args: argparse.Namespace) -> tuple[subprocess.Popen[bytes], str]:
    """``tryon serve`` on a free loopback port, niced, without a rate limit."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = ["nice", "-n", str(args.nice), sys.executable, "-m", "tryon.tools.cli", "serve",
               "--port", str(port), "--workers", str(args.workers), "--queue",
               str(args.queue), "--rate", "0", "--log-level", "warning"]
    env = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}
    env.pop("TRYON_API_KEYS", None)
    server = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with status {server.returncode}")
        try:
            if httpx.get(url + "/readyz", timeout=5).status_code == 200:
                return server, url
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"the server was not ready after {START_TIMEOUT_S:.0f} s")


def server_pid(server: subprocess.Popen[bytes]) -> int:
    """The Python process under ``nice`` (nice execs it, so the same pid)."""
    return server.pid


async def measure(args: argparse.Namespace, url: str, pid: int | None) -> dict[str, object]:
    photos = PhotoMaker(args.seed)
    limits = httpx.Limits(max_connections=max(LEVELS) * 2)
    async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT_S,
                                 limits=limits) as client:
        levels = []
        for clients in args.levels:
            level = await run_level(client, clients, args.requests, args.seconds, photos,
                                    args.key)
            levels.append(level)
            print(f"{clients} client(s): {level.statuses} p50 {level.p50_ms} ms, p95 "
                  f"{level.p95_ms} ms, {level.per_second} try-ons/s", file=sys.stderr)
        soaked = await soak(client, args, photos, pid) if args.soak_seconds > 0 else None
    report: dict[str, object] = {"url": url, "levels": [asdict(level) for level in levels],
                                 "cpus": os.cpu_count(), "workers": args.workers}
    if soaked is not None:
        rss = [value for _, value in soaked.rss_mib]
        report["soak"] = {**asdict(soaked.level), "rss_mib": soaked.rss_mib,
                          "rss_first_mib": rss[0] if rss else None,
                          "rss_last_mib": rss[-1] if rss else None,
                          "rss_max_mib": max(rss) if rss else None,
                          "rss_median_mib": statistics.median(rss) if rss else None}
    return report


def five_hundreds(report: dict[str, object]) -> int:
    """5xx answers plus transport errors over every level and the soak."""
    rows = list(report["levels"])  # type: ignore[call-overload]
    if "soak" in report:
        rows.append(report["soak"])
    return sum(count for row in rows for status, count in row["statuses"].items()
               if status.startswith("5")) + sum(row["transport_errors"] for row in rows)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server on 127.0.0.1 (default: start one)")
    parser.add_argument("--pid", type=int, help="with --url: the server's pid, for RSS")
    parser.add_argument("--key", default=os.environ.get("TRYON_API_KEY"),
                        help="API key for --url (default: $TRYON_API_KEY)")
    parser.add_argument("--levels", type=int, nargs="+", default=list(LEVELS))
    parser.add_argument("--requests", type=int, default=16, help="per level (default 16)")
    parser.add_argument("--seconds", type=float, default=120.0,
                        help="per level: no new request after this (default 120)")
    parser.add_argument("--soak-seconds", type=float, default=0.0, help="0: no soak")
    parser.add_argument("--soak-clients", type=int, default=2)
    parser.add_argument("--sample-seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=1, help="engines of a started server")
    parser.add_argument("--queue", type=int, default=8, help="queue of a started server")
    parser.add_argument("--nice", type=int, default=10, help="niceness of a started server")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", help="also write the report to this file")
    args = parser.parse_args(argv)
    if not 1 <= args.requests <= MAX_REQUESTS or not 0 < args.seconds <= MAX_SECONDS \
            or not 0 <= args.soak_seconds <= MAX_SECONDS \
            or not all(1 <= level <= 64 for level in args.levels):
        parser.error(f"bounds: --requests 1..{MAX_REQUESTS}, --seconds and --soak-seconds "
                     f"up to {MAX_SECONDS:.0f}, levels 1..64")
    if args.url is not None and urlsplit(args.url).hostname not in LOOPBACK:
        parser.error("--url must be a loopback address (127.0.0.1): this tool loads a server")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.nice(max(0, args.nice // 2))  # the client stays polite to other work too
    server = None
    if args.url is None:
        server, url = start_server(args)
        pid: int | None = server_pid(server)
    else:
        url, pid = args.url.rstrip("/"), args.pid
    try:
        report = asyncio.run(measure(args, url, pid))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)
    report["five_hundreds"] = five_hundreds(report)
    text = json.dumps(report, indent=2)
    if args.json:
        Path(args.json).write_text(text)
    print(text)
    return 1 if report["five_hundreds"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
