"""``tryon serve``: a real server (``tryon serve`` in a subprocess) on a free local port, real
engines, real photos; normal and hostile requests. Needs the ``serve`` extra (skipped without).
"""

from __future__ import annotations

import base64
import io
import json
import os
import socket
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("fastapi", reason="tryon serve needs the serve extra")
httpx = pytest.importorskip("httpx", reason="the serve tests need httpx (test extra)")

from PIL import Image  # noqa: E402

from tryon.errors import ErrorCode, TryOnError  # noqa: E402
from tryon.serve.errors import ServeError, ServeErrorCode, http_status  # noqa: E402
from tryon.serve.ratelimit import RateLimiter  # noqa: E402
from tryon.serve.settings import ServeSettings, check_bind, is_loopback  # noqa: E402
from ui.harness import SERVER_STOP_SECONDS, stop_process  # noqa: E402

PROJECT = Path(__file__).resolve().parents[1]
DEMO = PROJECT / "tryon" / "assets" / "demo"
PERSON = DEMO / "people" / "woman-studio.jpg"
TOP = DEMO / "tops" / "white-tee.jpg"
KEYS = ("test-key-alpha-0123456789", "test-key-bravo-0123456789",
        "test-key-charlie-012345678", "test-key-delta-0123456789")
MAX_PHOTO_MB = 2
MIB = 1024 * 1024
BODY_LIMIT = 2 * MAX_PHOTO_MB * MIB + 64 * 1024  # tryon.serve.settings.body_limit
QUEUE = 4
START_TIMEOUT_S = 240
REQUEST_TIMEOUT_S = 120
CONCURRENT = 20


@dataclass(frozen=True)
class Server:
    """A running ``tryon serve``: its URL, process, working folder, temp folder and log."""

    url: str
    port: int
    process: subprocess.Popen[bytes]
    cwd: Path
    tmpdir: Path
    log: Path

    def headers(self, key: str = KEYS[0]) -> dict[str, str]:
        return {"Authorization": f"Bearer {key}"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _listing(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*")}


def _server_env(tmpdir: Path, keys: tuple[str, ...]) -> dict[str, str]:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "TMPDIR": str(tmpdir),
           "PYTHONPATH": str(PROJECT)}
    env.pop("TRYON_API_KEYS", None)
    if keys:
        env["TRYON_API_KEYS"] = ",".join(keys)
    return env


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``tryon serve`` with keys, 1 engine, a queue of 4, 2 MiB photos, 2/s burst 10; its
    working folder and TMPDIR are empty folders (checked for files at the end)."""
    root = tmp_path_factory.mktemp("serve")
    cwd, tmpdir = root / "cwd", root / "tmp"
    cwd.mkdir()
    tmpdir.mkdir()
    log = root / "server.log"
    port = _free_port()
    command = [sys.executable, "-m", "tryon.tools.cli", "serve", "--port", str(port),
               "--workers", "1", "--queue", str(QUEUE), "--rate", "2", "--burst", "10",
               "--max-photo-mb", str(MAX_PHOTO_MB), "--timeout", "90"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=cwd, env=_server_env(tmpdir, KEYS),
                                   stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"tryon serve exited ({process.returncode}): {log.read_text()}")
            try:
                if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"tryon serve not ready after {START_TIMEOUT_S} s")
            time.sleep(0.5)
        yield Server(url, port, process, cwd, tmpdir, log)
    finally:
        stop_process(process, SERVER_STOP_SECONDS)


def _post(server: Server, files: dict[str, object], data: dict[str, str] | None = None,
          key: str = KEYS[0], **headers: str) -> httpx.Response:
    return httpx.post(f"{server.url}/v1/tryon", files=files, data=data or {},
                      headers={**server.headers(key), **headers}, timeout=REQUEST_TIMEOUT_S)


def _assert_error(response: httpx.Response, status: int, *codes: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] in codes and body["message"], body
    assert "Traceback" not in response.text


# ----------------------------------------------------------------------------- answers


def test_tryon_answers_a_png_the_size_of_the_photo(server: Server) -> None:
    response = _post(server, {"person": PERSON.read_bytes(), "item": TOP.read_bytes()},
                     {"kind": "top"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    assert response.headers["cache-control"] == "no-store"
    picture = Image.open(io.BytesIO(response.content))
    assert picture.format == "PNG"
    with Image.open(PERSON) as photo:
        assert picture.size == photo.size


def test_tryon_json_by_catalog_id(server: Server) -> None:
    catalog = httpx.get(f"{server.url}/v1/catalog", headers=server.headers(), timeout=10)
    assert catalog.status_code == 200
    items = {item["id"]: item for item in catalog.json()["items"]}
    assert items["white-tee"]["kind"] == "top"
    response = _post(server, {"person": PERSON.read_bytes()}, {"item_id": "white-tee"},
                     Accept="application/json")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["kind"] == "top" and isinstance(body["warnings"], list)
    assert body["timings_ms"]["total"] > 0
    picture = Image.open(io.BytesIO(base64.b64decode(body["image_png_base64"])))
    assert picture.size == (body["width"], body["height"])


def test_remote_engine_on_real_photos(server: Server, shared_data: Path) -> None:
    from tryon.serve.client import RemoteEngine

    person = (shared_data / "openvto" / "avatars" / "1.jpg").read_bytes()
    shirt = (shared_data / "openvto" / "clothes" / "shirts" / "1_front.jpg").read_bytes()
    with RemoteEngine(server.url, KEYS[0]) as remote:
        assert remote.ready()
        try:
            result = remote.run(person, shirt, "top")
        except ServeError:
            raise
        except TryOnError as exc:  # an engine code for this pair is an answer too
            assert isinstance(exc.code, ErrorCode)
        else:
            assert result.image.dtype == np.uint8
            assert result.image.shape[:2] == Image.open(io.BytesIO(person)).size[::-1]
            assert result.kind == "top"
        with pytest.raises(TryOnError) as bad:
            remote.run(b"just some text, not a photo\n" * 10, TOP.read_bytes(), "top")
        assert bad.value.code == ErrorCode.BAD_IMAGE
        assert [item["id"] for item in remote.catalog()]
    with RemoteEngine(server.url, "a-wrong-key-0123456789") as wrong, \
            pytest.raises(ServeError) as refused:
        wrong.run(person, shirt)
    assert refused.value.code == ServeErrorCode.UNAUTHORIZED
    with RemoteEngine(f"http://127.0.0.1:{_free_port()}", KEYS[0]) as nobody, \
            pytest.raises(ServeError) as gone:
        nobody.run(person, shirt)
    assert gone.value.code == ServeErrorCode.SERVER_UNAVAILABLE
    assert not RemoteEngine(f"http://127.0.0.1:{_free_port()}").ready()


# ----------------------------------------------------------------------------- keys


def test_keys_are_required(server: Server) -> None:
    files = {"person": PERSON.read_bytes(), "item": TOP.read_bytes()}
    for headers in ({}, {"Authorization": "Bearer not-a-key-0123456789"},
                    {"Authorization": f"Basic {KEYS[0]}"}, {"Authorization": "Bearer"},
                    {"Authorization": f"Bearer {KEYS[0]}x"}):
        response = httpx.post(f"{server.url}/v1/tryon", files=files, headers=headers,
                              timeout=REQUEST_TIMEOUT_S)
        _assert_error(response, 401, "unauthorized")
        assert response.headers["www-authenticate"] == "Bearer"
    for path in ("/v1/catalog", "/metrics"):
        _assert_error(httpx.get(server.url + path, timeout=10), 401, "unauthorized")
    for path in ("/healthz", "/readyz", "/openapi.json"):
        assert httpx.get(server.url + path, timeout=10).status_code == 200


# ----------------------------------------------------------------------------- hostile


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def _png(width: int, height: int, rows: bytes) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(rows, 9)) + _png_chunk(b"IEND", b""))


def test_decompression_bombs_are_refused(server: Server) -> None:
    side = 10_000  # 100 MP of zeros (100 MB decoded) in about 100 KB: over the 40 MP limit
    bomb = _png(side, side, b"\x00" * ((side + 1) * side))
    assert len(bomb) < 200 * 1024
    liar = _png(60_000, 60_000, b"\x00" * 61)  # a header claiming 3.6 GP
    for picture in (bomb, liar):
        for field in ("person", "item"):
            files = {"person": PERSON.read_bytes(), "item": TOP.read_bytes(), field: picture}
            response = _post(server, files, {"kind": "top"})
            assert response.status_code in (413, 422), response.text
            assert response.json()["code"] in ("image_too_large", "bad_image")


def test_a_text_file_is_a_bad_image(server: Server) -> None:
    text = b"name,size\nshirt,M\n" * 50
    for field in ("person", "item"):
        files = {"person": PERSON.read_bytes(), "item": TOP.read_bytes(), field: text}
        _assert_error(_post(server, files, {"kind": "top"}), 422, "bad_image")


def test_a_photo_over_the_limit_is_413(server: Server) -> None:
    big = b"\xff\xd8\xff" + b"\x00" * (MAX_PHOTO_MB * MIB + 10)
    _assert_error(_post(server, {"person": big, "item_id": (None, "white-tee")}), 413,
                  "image_too_large")


def _raw_request(port: int, head: bytes, body_chunks: Iterator[bytes],
                 timeout: float = 60) -> tuple[bytes, int]:
    """Send ``head`` then body chunks until the server answers (or closes); returns the
    answer and the number of body bytes sent."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(head)
        sock.setblocking(False)
        answer = b""
        for chunk in body_chunks:
            try:
                answer += sock.recv(65536)
            except BlockingIOError:
                pass
            if answer:
                break
            try:
                sock.setblocking(True)
                sock.settimeout(5)
                sock.sendall(chunk)
                sent += len(chunk)
                sock.setblocking(False)
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                break
        sock.setblocking(True)
        sock.settimeout(timeout)
        try:
            while b"\r\n\r\n" not in answer or len(answer) < answer.index(b"\r\n\r\n") + 20:
                more = sock.recv(65536)
                if not more:
                    break
                answer += more
        except (ConnectionResetError, TimeoutError):
            pass
    return answer, sent


def _status_and_json(answer: bytes) -> tuple[int, dict[str, str]]:
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, json.loads(body[: body.rindex(b"}") + 1])


def test_an_oversized_body_is_refused_before_it_is_read(server: Server) -> None:
    boundary = "b0undary"
    total = 200 * MIB
    head = (f"POST /v1/tryon HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {KEYS[3]}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
            f"Content-Length: {total}\r\n\r\n").encode()
    chunks = (b"\x00" * 65536 for _ in range(total // 65536))
    answer, sent = _raw_request(server.port, head, chunks)
    status, body = _status_and_json(answer)
    assert status == 413 and body["code"] == "request_too_large"
    assert sent < BODY_LIMIT  # answered from Content-Length, the body never read


def test_an_oversized_chunked_body_is_cut_off(server: Server) -> None:
    boundary = "b0undary"
    head = (f"POST /v1/tryon HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {KEYS[3]}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
            "Transfer-Encoding: chunked\r\n\r\n").encode()
    piece = 256 * 1024

    def part(name: str) -> bytes:  # a part just under the photo limit
        head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; "
                f"filename=\"{name}.jpg\"\r\n\r\n").encode()
        return head + b"\x00" * (MAX_PHOTO_MB * MIB - piece) + b"\r\n"

    def chunks() -> Iterator[bytes]:
        # Two photos within their limit, the closing boundary, then an endless epilogue:
        # only the body limit, counted while the chunks stream in, can stop it.
        for data in (part("person"), part("item"), f"--{boundary}--\r\n".encode()):
            yield f"{len(data):x}\r\n".encode() + data + b"\r\n"
        for _ in range(200 * MIB // piece):  # 200 MiB if nobody stopped it
            yield f"{piece:x}\r\n".encode() + b"\x00" * piece + b"\r\n"

    answer, sent = _raw_request(server.port, head, chunks())
    status, body = _status_and_json(answer)
    assert status == 413 and body["code"] == "request_too_large"
    assert sent < 60 * MIB  # stopped near the limit (plus socket buffers), not at 200 MiB


HOSTILE_FORMS: list[tuple[str, dict[str, object], dict[str, str]]] = [
    ("no item", {"person": b"x"}, {}),
    ("item and item_id", {"person": b"x", "item": b"y"}, {"item_id": "white-tee"}),
    ("unknown item_id", {"person": PERSON.read_bytes()}, {"item_id": "../../etc/passwd"}),
    ("unknown kind", {"person": b"x", "item": b"y"}, {"kind": "hat"}),
    ("kind with NUL", {"person": b"x", "item": b"y"}, {"kind": "top\x00"}),
    ("unknown field", {"person": b"x", "item": b"y", "extra": b"z"}, {}),
    ("no person", {"item": TOP.read_bytes()}, {}),
    ("long kind", {"person": b"x", "item": b"y"}, {"kind": "t" * 5000}),
]


def test_hostile_requests_get_4xx_codes_never_5xx(server: Server) -> None:
    url, key = f"{server.url}/v1/tryon", server.headers(KEYS[3])
    answers: list[httpx.Response] = []
    for _, files, data in HOSTILE_FORMS:
        answers.append(_post(server, files, data, key=KEYS[3]))
    raw_bodies = [
        ({"Content-Type": "application/json"}, b'{"person": "aGVsbG8="}'),
        ({"Content-Type": "application/x-www-form-urlencoded"}, b"item_id=white-tee"),
        ({"Content-Type": "multipart/form-data"}, b"--x\r\n"),
        ({"Content-Type": "multipart/form-data; boundary=x"}, b"garbage without parts"),
        ({"Content-Type": "multipart/form-data; boundary=x"},
         b"--x\r\nContent-Disposition: form-data; name=\"person\"\r\n\r\nabc"),  # truncated
        ({"Content-Type": "multipart/form-data; boundary=x"},
         b"--x\r\nContent-Disposition: form-data; name=\"person\"\r\n\r\na\r\n"
         b"--x\r\nContent-Disposition: form-data; name=\"person\"\r\n\r\nb\r\n--x--\r\n"),
        ({"Content-Type": "multipart/form-data; boundary=x"},
         b"--x\r\nContent-Disposition: form-data; name=\"item_id\"\r\n\r\n\xff\xfe\r\n--x--\r\n"),
        ({}, b""),
    ]
    for headers, body in raw_bodies:
        answers.append(httpx.post(url, content=body, headers={**key, **headers}, timeout=30))
    answers.append(httpx.get(url, headers=key, timeout=10))
    answers.append(httpx.put(f"{server.url}/v1/catalog", headers=key, timeout=10))
    answers.append(httpx.get(f"{server.url}/nothing/%0Ahere%00", timeout=10))
    answers.append(httpx.get(f"{server.url}/v1/catalog",
                             headers={**key, "Accept": "x/y;q=abc,*/*;q=-1,,;"}, timeout=10))
    # A header uvicorn's HTTP parser refuses itself (a control character): its own plain 400.
    protocol = httpx.get(f"{server.url}/v1/catalog", headers={**key, "Accept": "\x01"},
                         timeout=10)
    assert protocol.status_code == 400
    for response in answers:
        assert 400 <= response.status_code < 500 or response.status_code == 200, response.text
        if response.status_code != 200:
            body = response.json()
            assert set(body) == {"code", "message"}, body
            assert "Traceback" not in response.text
    assert httpx.get(f"{server.url}/healthz", timeout=10).status_code == 200
    assert "Traceback" not in server.log.read_text(errors="replace")


def test_twenty_concurrent_requests_no_5xx(server: Server) -> None:
    files = {"person": PERSON.read_bytes(), "item": TOP.read_bytes()}

    def one(_: int) -> httpx.Response:
        return _post(server, files, {"kind": "top"}, key=KEYS[1])

    with ThreadPoolExecutor(CONCURRENT) as pool:
        answers = list(pool.map(one, range(CONCURRENT)))
    statuses = [response.status_code for response in answers]
    assert set(statuses) <= {200, 429, 503}, statuses
    assert statuses.count(200) >= 1
    # 10 tokens for 20 requests: some are over the rate; a queue of 4: some are turned away.
    assert 429 in statuses, statuses
    for response in answers:
        if response.status_code in (429, 503):
            assert response.json()["code"] in ("rate_limited", "busy")
            assert int(response.headers["retry-after"]) >= 1
    assert httpx.get(f"{server.url}/healthz", timeout=10).status_code == 200
    after = _post(server, files, {"kind": "top"}, key=KEYS[2])
    assert after.status_code == 200, after.text


def test_metrics(server: Server) -> None:
    httpx.get(f"{server.url}/v1/catalog", timeout=10)  # a 401, counted
    text = httpx.get(f"{server.url}/metrics", headers=server.headers(), timeout=10).text
    for name in ("tryon_http_requests_total{", "tryon_http_request_duration_seconds_bucket{",
                 'tryon_errors_total{code="unauthorized"}', "tryon_queue_length ",
                 "tryon_engines 1.0", "tryon_ready 1.0"):
        assert name in text, name


def test_nothing_written_to_disk_and_nothing_private_logged(server: Server) -> None:
    _post(server, {"person": PERSON.read_bytes(), "item": TOP.read_bytes()}, {"kind": "top"},
          key=KEYS[2])
    assert _listing(server.cwd) == set()
    assert _listing(server.tmpdir) == set()
    fd_dir = Path(f"/proc/{server.process.pid}/fd")
    if fd_dir.is_dir():
        targets = []
        for fd in fd_dir.iterdir():
            try:
                targets.append(os.readlink(fd))
            except OSError:
                continue
        files = [t for t in targets if t.startswith("/") and not t.startswith(("/dev/",
                                                                               "/proc/"))]
        assert not [t for t in files if t.startswith((str(server.cwd), str(server.tmpdir)))]
        assert not [t for t in files if t.endswith("(deleted)") and "memfd" not in t], files
    log = server.log.read_text(errors="replace")
    assert "POST /v1/tryon 200" in log
    for key in KEYS:
        assert key not in log
    assert "JFIF" not in log and "Exif" not in log and "IHDR" not in log


# ----------------------------------------------------------------------------- startup


def test_refuses_a_public_address_without_keys(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "tryon.tools.cli", "serve", "--host", "0.0.0.0",
               "--port", str(_free_port())]
    done = subprocess.run(command, cwd=tmp_path, env=_server_env(tmp_path, ()),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith("error: insecure_bind: refusing to serve on 0.0.0.0")
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1


def test_check_bind() -> None:
    for host in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"):
        assert is_loopback(host)
        check_bind(ServeSettings(host=host))
    for host in ("0.0.0.0", "::", "192.168.1.10", "example.com", ""):
        assert not is_loopback(host)
        with pytest.raises(ServeError) as refused:
            check_bind(ServeSettings(host=host))
        assert refused.value.code == ServeErrorCode.INSECURE_BIND
        check_bind(ServeSettings(host=host).with_keys([KEYS[0]]))
    with pytest.raises(ValueError):
        ServeSettings.from_env({"TRYON_API_KEYS": "short"})
    settings = ServeSettings.from_env({"TRYON_API_KEYS": f" {KEYS[0]} ,,{KEYS[1]}"})
    assert len(settings.key_digests) == 2 and KEYS[0] not in repr(settings)


def test_every_code_has_a_status() -> None:
    for code in (*ErrorCode, *ServeErrorCode):
        if code not in (ServeErrorCode.INSECURE_BIND, ErrorCode.EXPORT_FAILED,
                        ServeErrorCode.INTERNAL_ERROR):
            assert 400 <= http_status(code) < 500 or http_status(code) == 503, code


def test_token_bucket() -> None:
    now = [0.0]
    limiter = RateLimiter(rate_per_s=2.0, burst=3, clock=lambda: now[0])
    assert [limiter.take("a") for _ in range(3)] == [None, None, None]
    wait = limiter.take("a")
    assert wait == pytest.approx(0.5)
    assert limiter.take("b") is None  # each key its own bucket
    now[0] = 0.5
    assert limiter.take("a") is None and limiter.take("a") is not None
    now[0] = 100.0
    assert [limiter.take("a") for _ in range(4)].count(None) == 3  # refilled to the burst
    assert RateLimiter(0, 1).take("a") is None


def test_accept_negotiation() -> None:
    from tryon.serve.app import wants_json

    assert wants_json("application/json")
    assert wants_json("application/json, */*")
    assert wants_json("image/png;q=0.5, application/json")
    assert not wants_json(None) and not wants_json("*/*") and not wants_json("image/png")
    assert not wants_json("application/json;q=0, */*")
    assert not wants_json("image/*, application/json;q=0.9")
    assert not wants_json("application/json;q=x")


def test_back_pressure_and_timeout_with_a_real_engine() -> None:
    """One engine, no queue: of two try-ons at once one runs, the other is ``busy``; a
    try-on over its time is ``timeout`` and keeps its engine until it is done."""
    import asyncio

    from tryon.serve.workers import EngineWorkers

    person, item = PERSON.read_bytes(), TOP.read_bytes()
    workers = EngineWorkers(ServeSettings(workers=1, queue=0, warm=False, timeout_s=120))
    workers.start_blocking()
    try:
        async def two_at_once() -> list[object]:
            return await asyncio.gather(workers.run(person, item, "top"),
                                        workers.run(person, item, "top"),
                                        return_exceptions=True)

        first, second = asyncio.run(two_at_once())
        assert getattr(first, "kind", None) == "top"
        assert isinstance(second, ServeError) and second.code == ServeErrorCode.BUSY
        assert second.retry_after is not None
        impatient = EngineWorkers(ServeSettings(workers=1, queue=0, warm=False,
                                                timeout_s=0.001))
        impatient.start_blocking()
        try:
            with pytest.raises(ServeError) as late:
                asyncio.run(impatient.run(person, item, "top"))
            assert late.value.code == ServeErrorCode.TIMEOUT
            deadline = time.monotonic() + 120
            while impatient.queue_length or impatient.running:  # finishing in the background
                assert time.monotonic() < deadline
                time.sleep(0.1)
        finally:
            impatient.close()
    finally:
        workers.close()


# ----------------------------------------------------------------------------- Ray Serve

RAY_SCRIPT = r"""
import json, os, sys, time
result = {}
t0 = time.monotonic()
try:
    import ray
    from ray import serve
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             configure_logging=False)
    serve.start(http_options={"host": "127.0.0.1", "port": int(sys.argv[1])})
except Exception as exc:
    print(json.dumps({"skip": f"{type(exc).__name__}: {exc}"[:300],
                      "seconds": round(time.monotonic() - t0, 1)}))
    sys.exit(0)
import httpx
from tryon.serve.ray_app import TryOnDeployment, settings_from_args
app = TryOnDeployment.options(num_replicas=1, autoscaling_config=None,
                              ray_actor_options={"num_cpus": 0.5}).bind(
    settings_from_args({"workers": 1, "queue": 2}))
serve.run(app, name="tryon", route_prefix="/", blocking=False)
url = f"http://127.0.0.1:{sys.argv[1]}"
deadline = time.monotonic() + 300
while time.monotonic() < deadline:
    try:
        if httpx.get(url + "/readyz", timeout=5).status_code == 200:
            break
    except httpx.HTTPError:
        pass
    time.sleep(1)
person = open(sys.argv[2], "rb").read()
key = {"Authorization": "Bearer " + os.environ["TRYON_API_KEYS"].split(",")[0]}
answer = httpx.post(url + "/v1/tryon", files={"person": person},
                    data={"item_id": "white-tee"}, headers=key, timeout=120)
refused = httpx.post(url + "/v1/tryon", files={"person": person},
                     data={"item_id": "white-tee"}, timeout=120)
result = {"status": answer.status_code, "type": answer.headers.get("content-type"),
          "png": len(answer.content),
          "refused": refused.status_code, "refused_code": refused.json().get("code"),
          "seconds": round(time.monotonic() - t0, 1)}
serve.shutdown()
ray.shutdown()
print(json.dumps(result))
"""


def test_ray_serve_deployment_answers(tmp_path: Path) -> None:
    pytest.importorskip("ray.serve", reason="Ray Serve is not installed (serve extra)")
    from tryon.serve.ray_app import settings_from_args

    with pytest.raises(ServeError) as no_keys:
        settings_from_args({}, environ={})
    assert no_keys.value.code == ServeErrorCode.INSECURE_BIND
    # Ray keeps its session (sockets, logs) under the system temp folder: a pytest folder's
    # path is too long for its socket names.
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(PROJECT),
           "TRYON_API_KEYS": KEYS[0], "RAY_USAGE_STATS_ENABLED": "0"}
    done = subprocess.run([sys.executable, "-c", RAY_SCRIPT, str(_free_port()), str(PERSON)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=540)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert done.returncode == 0 and lines, done.stderr[-3000:]
    result = json.loads(lines[-1])
    if "skip" in result:
        pytest.skip(f"Ray Serve cannot start here ({result['seconds']} s): {result['skip']}")
    assert result["status"] == 200 and result["type"] == "image/png", result
    assert result["png"] > 1000
    assert result["refused"] == 401 and result["refused_code"] == "unauthorized"
