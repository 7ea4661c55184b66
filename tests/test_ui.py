"""The front end's logic: sentences, configuration, session state, and the pages in AppTest:
the shopper page ("More like this" included), the kiosk, the staff's trends page, and both
with try-ons sent to a real ``tryon serve`` subprocess on a free local port.

The browser itself is exercised in ``test_ui_browser.py``.
"""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.conftest import DEMO_ASSETS
from tryon.errors import ErrorCode, TryOnError
from tryon.pipeline import NO_MODEL_WARNING
from ui import session
from ui.catalog import catalog_kinds, demo_catalog, find_item, supported_kinds, thumbnail
from ui.config import DEFAULT_IDLE_SECONDS, load_config
from ui.launch import APP, streamlit_command
from ui.messages import (
    GENERIC_MESSAGE,
    SERVER_MESSAGES,
    SHOPPER_MESSAGES,
    shopper_message,
    shopper_warning,
)
from ui.tryout import attempt_key

pytest.importorskip("streamlit", reason="the ui extra is not installed: pip install -e '.[ui]'")

from streamlit.testing.v1 import AppTest  # noqa: E402

from ui.components import element_data  # noqa: E402
from ui.page import TAKE_PHOTO, TRY_ANOTHER  # noqa: E402
from ui.widgets import page_icon  # noqa: E402

PERSON = DEMO_ASSETS / "people" / "woman-studio.jpg"
SELFIE = DEMO_ASSETS / "people" / "man-selfie.jpg"
SHOES = DEMO_ASSETS / "shoes" / "blue-plimsolls.png"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png(picture: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(picture).save(buffer, format="PNG")
    return buffer.getvalue()


class TestMessages:
    def test_every_error_code_has_a_plain_sentence(self) -> None:
        assert set(SHOPPER_MESSAGES) == set(ErrorCode)
        for code in ErrorCode:
            sentence = shopper_message(TryOnError(code, "person photo: details"))
            assert sentence.endswith(".") and "{" not in sentence and "_" not in sentence

    def test_feet_sentence_tells_what_to_do(self) -> None:
        sentence = shopper_message(TryOnError(ErrorCode.FEET_NOT_VISIBLE, "no feet"))
        assert sentence == ("We could not see your feet — step back so your whole body is in "
                            "the picture.")

    def test_the_sentence_names_the_picture_at_fault(self) -> None:
        item = shopper_message(TryOnError(ErrorCode.BAD_IMAGE, "item photo: not an image"))
        person = shopper_message(TryOnError(ErrorCode.IMAGE_TOO_SMALL, "person photo: 10 px"))
        assert "the product photo" in item
        assert person.startswith("Your photo is too small")

    def test_every_server_code_has_a_sentence_that_says_wait(self) -> None:
        from tryon.serve.errors import ServeError, ServeErrorCode

        assert set(SERVER_MESSAGES) == set(ServeErrorCode)
        for code in ServeErrorCode:
            sentence = shopper_message(ServeError(code, "HTTP 503 from http://127.0.0.1:1"))
            assert sentence.endswith(".") and "_" not in sentence and "http" not in sentence
        for code in ("busy", "rate_limited", "timeout", "server_unavailable", "unauthorized"):
            sentence = shopper_message(ServeError(ServeErrorCode(code), "details"))
            assert "try-on service" in sentence and "in a moment" in sentence, code
            assert "key" not in sentence.lower()  # nothing a shopper could act on

    def test_unsupported_item_sentence(self) -> None:
        sentence = shopper_message(TryOnError(ErrorCode.UNSUPPORTED_ITEM, "item photo: a scene"))
        assert sentence.startswith("This picture does not look like a top, trousers")

    def test_unknown_errors_get_the_generic_sentence(self) -> None:
        assert shopper_message(RuntimeError("boom")) == GENERIC_MESSAGE

    def test_warnings(self) -> None:
        assert "largest" in shopper_warning("2 people seen; using the largest")
        assert "one of your feet" in shopper_warning(
            "only the left foot is visible; one shoe was fitted")
        assert shopper_warning(NO_MODEL_WARNING) is None
        assert shopper_warning("no refinement model installed; showing the coarse") is None


class TestConfig:
    def test_defaults(self) -> None:
        config = load_config([], {}, {})
        assert not config.kiosk and config.idle_seconds == DEFAULT_IDLE_SECONDS
        assert config.engines >= 1

    def test_arguments_environment_and_query(self) -> None:
        assert load_config(["--kiosk", "--idle-seconds", "7"]).idle_seconds == 7
        assert load_config(["--kiosk"]).kiosk
        assert load_config([], {"TRYON_UI_KIOSK": "1", "TRYON_UI_IDLE_SECONDS": "30"}) \
            .idle_seconds == 30
        assert load_config([], {}, {"kiosk": "1"}).kiosk
        assert load_config([], {}, {"kiosk": ""}).kiosk
        assert not load_config([], {}, {"kiosk": "0"}).kiosk

    def test_query_cannot_turn_a_kiosk_off(self) -> None:
        assert load_config(["--kiosk"], {}, {"kiosk": "0"}).kiosk

    def test_pytest_style_arguments_are_ignored(self) -> None:
        assert not load_config(["-q", "tests/test_ui.py", "--k"]).kiosk

    def test_server_and_view(self) -> None:
        assert load_config([], {}).server == ""
        assert load_config([], {"TRYON_SERVER": " http://127.0.0.1:8080 "}).server == (
            "http://127.0.0.1:8080")
        assert load_config(["--server", "http://a:1"], {"TRYON_SERVER": "http://b:2"}) \
            .server == "http://a:1"
        assert load_config([], {}, {"view": "trends"}).view == "trends"
        assert load_config([], {}, {"view": "nonsense"}).view == "shop"
        assert load_config(["--kiosk"], {}, {"view": "trends"}).view == "shop"  # never there

    def test_bad_values(self) -> None:
        with pytest.raises(ValueError):
            load_config(["--idle-seconds", "0"])


class TestSession:
    def test_reset_drops_everything_and_renews_widget_keys(self) -> None:
        state: dict[str, object] = {}
        key = session.widget_key(state, "photo")
        state[key] = b"photo"
        session.choose_catalog_item(state, "tops/white-tee")
        assert session.has_customer_data(state)
        session.reset(state)
        assert state == {session.GENERATION: 1}
        assert session.widget_key(state, "photo") != key
        assert not session.has_customer_data(state)

    def test_a_fresh_picture_alone_is_not_kept_data(self) -> None:
        state: dict[str, object] = {session.widget_key({}, "camera"): b"shot"}
        assert session.has_customer_data(state)
        assert not session.has_customer_data(state, widgets=False)

    def test_views_change_the_token(self) -> None:
        state: dict[str, object] = {}
        assert session.view_token(state) == 0
        session.choose_catalog_item(state, "tops/white-tee")
        first = session.view_token(state)
        session.clear_result(state)
        assert session.view_token(state) > first > 0
        assert not session.item_chosen(state)

    def test_idle(self) -> None:
        state: dict[str, object] = {}
        assert not session.idle_expired(state, 10, now=100)
        session.touch(state, now=100)
        assert not session.idle_expired(state, 10, now=109)
        assert session.idle_expired(state, 10, now=110)

    def test_choices(self) -> None:
        state: dict[str, object] = {}
        session.choose_catalog_item(state, "shoes/dash-force")
        assert session.catalog_choice(state) == "shoes/dash-force"
        session.choose_uploaded_item(state)
        assert session.catalog_choice(state) is None


class TestCatalogAndLaunch:
    def test_catalog_has_tops_and_shoes_and_only_supported_kinds(self) -> None:
        items = demo_catalog()
        assert {"top", "shoes"} <= set(catalog_kinds()) <= set(supported_kinds())
        assert find_item("shoes/blue-plimsolls").kind == "shoes"
        assert find_item("nope") is None
        picture = Image.open(io.BytesIO(thumbnail(items[0].path, 64)))
        assert picture.size == (64, 64) and picture.format == "JPEG"

    def test_launch_command(self) -> None:
        command = streamlit_command(kiosk=True, port=8765, idle_seconds=30)
        assert command[1:5] == ["-m", "streamlit", "run", str(APP)]
        assert command[command.index("--server.port") + 1] == "8765"
        assert command[command.index("--server.headless") + 1] == "true"
        assert command[command.index("--browser.gatherUsageStats") + 1] == "false"
        assert command[command.index("--") + 1:] == ["--kiosk", "--idle-seconds", "30"]
        assert "--" not in streamlit_command()


# --- pages (AppTest) ------------------------------------------------------------------------

TEXT_AS_JPEG = ("photo.jpg", b"this is not a picture\n", "image/jpeg")


def _app(kiosk: bool = False) -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=120)
    if kiosk:
        app.query_params["kiosk"] = "1"
    app.run()
    assert not app.exception, app.exception
    return app


def _upload(app: AppTest, name: str, photo: bytes, mime: str = "image/jpeg") -> None:
    app.file_uploader[0].set_value((name, photo, mime)).run()
    assert not app.exception, app.exception


def _pick(app: AppTest, item_id: str) -> None:
    app.button(key=f"pick-{item_id}").click().run()
    assert not app.exception, app.exception


def _images(app: AppTest) -> list[str]:
    return [caption for image in app.get("image") for caption in image.captions]


def _components(app: AppTest) -> dict[str, dict[str, object]]:
    """The page's own components (``ui.components``) by name, with their data."""
    found: dict[str, dict[str, object]] = {}

    def walk(node: object) -> None:
        data = element_data(node)
        if data is not None:
            found[str(data["component"])] = data
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(app.main)
    return found


def _shows_result(app: AppTest) -> bool:
    comparison = _components(app).get("tryon_comparison")
    return comparison is not None and comparison["labels"] == ["Before", "After"] and all(
        str(comparison[side]).startswith("data:image/jpeg;base64,")
        for side in ("before", "after"))


def _sentence(code: ErrorCode) -> str:
    return SHOPPER_MESSAGES[code].format(picture="your photo", Picture="Your photo")


def test_shopper_page_renders_uploaders_and_a_closed_catalog() -> None:
    app = _app()
    assert app.title[0].value == "Try it on"
    assert [button.label for button in app.button] == [item.name for item in demo_catalog()]
    assert all(button.disabled for button in app.button)  # no photo yet
    assert [uploader.label for uploader in app.file_uploader] == [
        "Drag and drop a photo of yourself", "…or upload a product photo"]
    assert "Add your photo above first" in app.info[0].value


def test_a_text_file_named_photo_jpg_is_refused_at_upload() -> None:
    app = _app()
    _upload(app, *TEXT_AS_JPEG)
    assert [error.value for error in app.error] == [_sentence(ErrorCode.BAD_IMAGE)]
    assert [expander.label for expander in app.expander] == ["Show details"]
    shown = [m.value for m in app.markdown] + [c.value for c in app.caption]
    assert any("bad_image" in text for text in shown)  # inside "Show details" only
    assert not any("Reference for staff" in text for text in shown)
    assert all(button.disabled for button in app.button)
    assert app.session_state[session.PHOTO_CHECK].code == "bad_image"


@pytest.mark.parametrize(("photo", "code"), [
    (_png(np.full((20, 20, 3), 255, np.uint8)), ErrorCode.IMAGE_TOO_SMALL),
    (_png(np.full((480, 360, 3), 200, np.uint8)), ErrorCode.NO_PERSON),
])
def test_photo_problems_are_said_at_once(photo: bytes, code: ErrorCode) -> None:
    app = _app()
    _upload(app, "me.png", photo, "image/png")
    assert [error.value for error in app.error] == [_sentence(code)]
    assert not _shows_result(app)


def test_a_selfie_greys_out_shoes_and_bottoms_with_the_reason() -> None:
    app = _app()
    _upload(app, "me.jpg", SELFIE.read_bytes())
    assert not app.error and "Your photo is ready" in app.success[0].value

    def greyed(plural: str, code: ErrorCode) -> str:
        return f"{plural} are greyed out because " + _sentence(code)[0].lower() + _sentence(
            code)[1:]

    assert [warning.value for warning in app.warning] == [
        greyed("Trousers and skirts", ErrorCode.LEGS_NOT_VISIBLE),
        greyed("Shoes", ErrorCode.FEET_NOT_VISIBLE)]
    disabled = {button.key.removeprefix("pick-"): button.disabled for button in app.button}
    for item in demo_catalog():
        assert disabled[item.id] == (item.kind in ("bottom", "shoes")), item.id


def test_shopper_tries_on_a_catalog_top_and_downloads_a_clean_png() -> None:
    app = _app()
    _upload(app, "me.jpg", PERSON.read_bytes())
    _pick(app, "tops/white-tee")
    assert _shows_result(app)
    assert _components(app)["tryon_scroll_here"]["name"] == "result"  # the view moves
    assert app.button[0].label == TRY_ANOTHER  # the catalog's place
    assert not [b for b in app.button if b.key.startswith("pick-")]
    assert app.get("download_button")[0].label == "Download"
    attempt = app.session_state[session.ATTEMPT]
    assert attempt.ok and attempt.result.kind == "top"
    assert attempt.png.startswith(PNG_SIGNATURE)
    downloaded = Image.open(io.BytesIO(attempt.png))
    assert downloaded.size == Image.open(PERSON).size
    assert not downloaded.getexif() and b"eXIf" not in attempt.png and b"GPS" not in attempt.png
    assert not app.error
    app.toggle[0].set_value(True).run()
    captions = _images(app)
    assert "Pose (skeleton, fit targets in yellow)" in captions and "Person mask" in captions
    assert any("Stage timings" in markdown.value for markdown in app.markdown)
    app.button(key="another").click().run()  # back to the catalog, photo kept
    assert not _shows_result(app) and session.ATTEMPT not in app.session_state
    assert _components(app)["tryon_scroll_here"]["name"] == "catalog"
    assert not app.button(key="pick-shoes/blue-plimsolls").disabled


def test_uploaded_product_kind_is_automatic_with_override() -> None:
    app = _app()
    _upload(app, "me.jpg", PERSON.read_bytes())
    app.file_uploader[1].set_value(("shoe.png", SHOES.read_bytes(), "image/png")).run()
    assert not app.exception, app.exception
    assert app.session_state[session.ATTEMPT].result.kind == "shoes"
    assert _shows_result(app)
    assert any("We tried it on as **shoes**" in caption.value for caption in app.caption)
    assert app.segmented_control[-1].value == "auto"
    app.segmented_control[-1].set_value("top").run()
    attempt = app.session_state[session.ATTEMPT]
    assert attempt.key == attempt_key(PERSON.read_bytes(), SHOES.read_bytes(), "top")
    assert not app.exception and (not attempt.ok or attempt.result.kind == "top")


def test_try_on_errors_show_the_sentence_and_details_not_a_code() -> None:
    app = _app()
    _upload(app, "me.jpg", PERSON.read_bytes())
    app.file_uploader[1].set_value(("shoe.png", b"not a product", "image/png")).run()
    attempt = app.session_state[session.ATTEMPT]
    assert not attempt.ok and attempt.code == "bad_image"
    assert [error.value for error in app.error] == [attempt.message]
    assert "the product photo" in attempt.message
    assert "Show details" in [expander.label for expander in app.expander]
    assert not app.exception and not app.get("download_button") and not _shows_result(app)
    assert [button.label for button in app.button] == [TRY_ANOTHER]  # no "More like this"


def test_kiosk_shows_the_camera_with_a_countdown_and_no_upload() -> None:
    app = _app(kiosk=True)
    assert app.get("camera_input") and not app.file_uploader
    assert not app.get("download_button")
    countdown = _components(app)["tryon_countdown"]
    assert countdown["label"] == TAKE_PHOTO and countdown["seconds"] >= 3
    assert f"then tap **{TAKE_PHOTO}**" in app.markdown[0].value


def test_kiosk_photo_problem_returns_to_the_camera_with_the_sentence() -> None:
    app = _app(kiosk=True)
    app.session_state[session.PHOTO] = TEXT_AS_JPEG[1]  # what a broken camera could give
    app.run()
    assert not app.exception and app.get("camera_input")
    assert [error.value for error in app.error] == [_sentence(ErrorCode.BAD_IMAGE)]
    assert session.PHOTO not in app.session_state


def _kiosk_with_result() -> AppTest:
    app = _app(kiosk=True)
    app.session_state[session.PHOTO] = PERSON.read_bytes()  # what the camera would give
    app.run()
    assert app.title[0].value == "Pick something to try on" and not app.file_uploader
    _pick(app, "shoes/blue-plimsolls")
    assert _shows_result(app)
    assert [button.label for button in app.button] == [TRY_ANOTHER, "Finish"]
    assert not app.get("download_button") and not app.get("camera_input")
    return app


def test_kiosk_result_then_another_item_then_finish() -> None:
    app = _kiosk_with_result()
    app.button(key="again").click().run()
    assert app.title[0].value == "Pick something to try on"
    assert session.ATTEMPT not in app.session_state
    app.button(key="retake").click().run()
    assert app.get("camera_input") and session.PHOTO not in app.session_state


def test_the_kiosk_idle_time_runs_from_when_the_result_is_shown() -> None:
    """The idle clock ran from the tap that started a try-on: one slower than the idle
    time (the first of an app on a slow, busy machine) was cleared as soon as it appeared.
    It runs from when the page with the result is shown now, after the try-on."""
    app = _app(kiosk=True)
    app.session_state[session.PHOTO] = PERSON.read_bytes()
    app.run()
    tapped = time.monotonic()
    _pick(app, "shoes/blue-plimsolls")
    shown = time.monotonic()
    assert _shows_result(app)
    last = app.session_state[session.LAST_ACTIVITY]
    assert shown - last < last - tapped  # nearer the result than the tap


def test_kiosk_session_is_cleared_after_idle_time() -> None:
    app = _kiosk_with_result()
    app.session_state[session.LAST_ACTIVITY] = -1e9  # long ago on the monotonic clock
    app.run()
    assert not app.exception
    assert app.get("camera_input") and app.title[0].value == "Try it on"
    for key in (session.ATTEMPT, session.PHOTO, session.ITEM_CHOICE, session.PHOTO_CHECK):
        assert key not in app.session_state
    assert app.session_state[session.GENERATION] == 1  # widgets renewed, camera empty


def test_page_icon_is_served_by_the_app() -> None:
    icon = page_icon()
    assert isinstance(icon, Image.Image) and icon.size == (64, 64)  # not a font-host name


def test_app_source_stays_thin() -> None:
    assert len(Path(APP).read_text().splitlines()) < 30


UI_START_SECONDS = 60.0
UI_STOP_SECONDS = 30.0  # launcher.STOP_SECONDS (10) plus room on a busy machine


@contextmanager
def _tryon_ui(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """``tryon ui`` on 127.0.0.1 and a free port, healthy; yields the launcher process and
    the port. Afterwards the launcher and every process it started are ended."""
    from ui.harness import free_port

    port = free_port()
    command = [sys.executable, "-m", "tryon.tools.cli", "ui", "--port", str(port),
               "--address", "127.0.0.1"]
    log_path = tmp_path / "ui.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        servers: list[int] = []
        try:
            deadline, healthy = time.monotonic() + UI_START_SECONDS, False
            while time.monotonic() < deadline and process.poll() is None and not healthy:
                servers = sorted(set(servers) | set(_children(process.pid)))
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                                timeout=2) as answer:
                        healthy = answer.read().strip() == b"ok"
                except OSError:
                    time.sleep(0.3)
            assert healthy, log_path.read_text(errors="replace")[-2000:]
            yield process, port
        finally:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=UI_STOP_SECONDS)
            for pid in servers + _children(process.pid):  # a server left behind by a failure
                if _running(pid):
                    os.kill(pid, signal.SIGKILL)


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    """``pid`` is a process that has not ended (a zombie has)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def _answers(port: int) -> bool:
    """Something accepts connections on 127.0.0.1:``port``."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def test_tryon_ui_serves_the_app(tmp_path: Path) -> None:
    """``tryon ui --port N`` starts Streamlit on the page; its health endpoint answers."""
    with _tryon_ui(tmp_path) as (_, port):
        assert _answers(port)


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(),
                    reason="needs Linux /proc to find the Streamlit server process")
@pytest.mark.parametrize("stop", ["SIGTERM", "SIGINT", "SIGKILL"])
def test_stopping_tryon_ui_stops_the_server(tmp_path: Path, stop: str) -> None:
    """The Streamlit server ends with its launcher and frees the port: SIGTERM and SIGINT
    are passed on, and a launcher killed outright takes the server with it (Linux)."""
    with _tryon_ui(tmp_path) as (launcher, port):
        servers = _children(launcher.pid)
        assert servers, "tryon ui started no server process"
        launcher.send_signal(getattr(signal, stop))
        launcher.wait(timeout=UI_STOP_SECONDS)
        deadline = time.monotonic() + UI_STOP_SECONDS
        while time.monotonic() < deadline and (
                any(_running(pid) for pid in servers) or _answers(port)):
            time.sleep(0.2)
        assert not [pid for pid in servers if _running(pid)], "the server outlived tryon ui"
        assert not _answers(port), f"port {port} still answers after tryon ui ended"
        if stop != "SIGKILL":
            assert launcher.returncode == 0, "a stop asked for is a clean exit"


# --- "More like this" and the trends page (issue 15) ----------------------------------------

def _like_buttons(app: AppTest) -> dict[str, bool]:
    """The "More like this" row: item id → disabled, in the row's order."""
    return {button.key.removeprefix("like-"): button.disabled for button in app.button
            if button.key.startswith("like-")}


@pytest.fixture(scope="module")
def catalog_search_once() -> object:
    from ui.similar import build_search

    return build_search()


def test_more_like_this_is_one_tap_from_its_try_on(catalog_search_once: object) -> None:
    from ui.similar import SIMILAR_COUNT, similar_items
    from ui.widgets import MORE_LIKE_THIS

    app = _app()
    _upload(app, "me.jpg", PERSON.read_bytes())
    _pick(app, "tops/white-tee")
    expected = [item.id for item in similar_items(catalog_search_once, "tops/white-tee")]
    assert len(expected) == SIMILAR_COUNT and "tops/white-tee" not in expected
    assert list(_like_buttons(app)) == expected  # nearest by the catalog model, in order
    assert f"**{MORE_LIKE_THIS}**" in [markdown.value for markdown in app.markdown]
    assert not any(_like_buttons(app).values())  # a full-body photo takes every kind
    first = expected[0]
    app.button(key=f"like-{first}").click().run()
    assert not app.exception, app.exception
    assert app.session_state[session.ITEM_CHOICE] == f"catalog:{first}" and _shows_result(app)
    attempt = app.session_state[session.ATTEMPT]
    assert attempt.ok and attempt.key == attempt_key(
        PERSON.read_bytes(), find_item(first).read(), find_item(first).kind)
    assert "tops/white-tee" in _like_buttons(app)  # and back again from there


def test_more_like_this_greys_out_what_the_photo_cannot_take() -> None:
    app = _app()
    _upload(app, "me.jpg", SELFIE.read_bytes())
    _pick(app, "tops/white-tee")
    row = _like_buttons(app)
    assert row
    for item_id, disabled in row.items():
        assert disabled == (find_item(item_id).kind in ("bottom", "shoes")), item_id


def test_more_like_this_for_an_uploaded_product() -> None:
    app = _app()
    _upload(app, "me.jpg", PERSON.read_bytes())
    app.file_uploader[1].set_value(("shoe.png", SHOES.read_bytes(), "image/png")).run()
    assert not app.exception, app.exception
    row = list(_like_buttons(app))
    assert row[0] in ("shoes/blue-plimsolls", "shoes/dash-force")  # the same picture, or a shoe
    assert find_item(row[0]).kind == "shoes"


TRENDS_CSV_HEADER = "file,date\n"


def _dates_csv(growing: str, steady: str, months: int = 6) -> bytes:
    """Events: ``growing`` (a file name) seen more every month, ``steady`` once a month."""
    rows = [f"{growing},2026-{m:02d}-{d:02d}" for m in range(1, months + 1)
            for d in range(1, m + 1)]
    rows += [f"{steady},2026-{m:02d}-01" for m in range(1, months + 1)]
    return (TRENDS_CSV_HEADER + "\n".join(rows) + "\n").encode()


def _trends_app() -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.query_params["view"] = "trends"
    app.run()
    assert not app.exception, app.exception
    return app


def test_trends_page_shows_the_clusters_of_tryon_trends(catalog_search_once: object) -> None:
    from tryon.catalog.classifier import default_models
    from tryon.catalog.clusters import cluster_index
    from ui.trends import DATES_LABEL, TRENDS_TITLE

    app = _trends_app()
    assert app.title[0].value == TRENDS_TITLE
    assert not app.get("camera_input") and not app.button  # no shopper page here
    clustering = cluster_index(catalog_search_once.index, default_models()[1])
    shown = [markdown.value for markdown in app.markdown]
    for cluster in clustering.clusters:
        assert f"**{cluster.number}: {cluster.name}** — {len(cluster.members)} items" in shown
    members = sum(len(cluster.members) for cluster in clustering.clusters)
    assert members == len(demo_catalog())
    assert len(_images(app)) == len(demo_catalog())  # every member's thumbnail, named
    assert {metric.label for metric in app.get("metric")} >= {"Style clusters", "Silhouette"}
    assert [uploader.label for uploader in app.file_uploader] == [DATES_LABEL]


def test_trends_page_with_dates_names_the_growing_cluster(catalog_search_once: object
                                                           ) -> None:
    from tryon.catalog.classifier import default_models
    from tryon.catalog.clusters import cluster_index

    clustering = cluster_index(catalog_search_once.index, default_models()[1])
    rows = {item.id: row for row, item in enumerate(catalog_search_once.items)}
    tee = clustering.labels[rows["tops/white-tee"]]
    assert tee != clustering.labels[rows["shoes/blue-plimsolls"]]
    app = _trends_app()
    app.file_uploader[0].set_value(
        ("dates.csv", _dates_csv("white-tee.jpg", "blue-plimsolls.png"), "text/csv")).run()
    assert not app.exception and not app.error
    text = " ".join(markdown.value for markdown in app.markdown)
    assert "2026-01 to 2026-06" in text and "0 rows named no catalog picture" in text
    assert f"**Growing:** {tee}: {clustering.clusters[tee].name} (+" in text
    assert "share +" in text and "share -" in text  # slopes beside each cluster


def test_trends_page_says_what_is_wrong_with_a_csv() -> None:
    app = _trends_app()
    app.file_uploader[0].set_value(("mine.csv", b"file,date\nwhite-tee.jpg,yesterday\n",
                                    "text/csv")).run()
    assert not app.exception
    assert [error.value for error in app.error] == [
        "mine.csv line 2: 'yesterday' is not a YYYY-MM-DD date"]


def test_the_trends_page_is_never_in_a_kiosk() -> None:
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.query_params["kiosk"] = "1"
    app.query_params["view"] = "trends"
    app.run()
    assert not app.exception and app.get("camera_input") and app.title[0].value == "Try it on"


# --- try-ons on a real `tryon serve` (issue 17) ---------------------------------------------

SERVER_KEY = "ui-test-key-0123456789abcdef"
SERVER_START_SECONDS = 240.0


@pytest.fixture(scope="module")
def tryon_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``tryon serve`` (one engine, key :data:`SERVER_KEY`) on 127.0.0.1 and a free port,
    ready; yields its URL and stops it afterwards."""
    pytest.importorskip("fastapi", reason="tryon serve needs the serve extra")
    pytest.importorskip("httpx", reason="the try-on server's client needs httpx")
    from ui.harness import SERVER_STOP_SECONDS, free_port, stop_process

    port = free_port()
    log_path = tmp_path_factory.mktemp("serve") / "server.log"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "TRYON_API_KEYS": SERVER_KEY}
    command = [sys.executable, "-m", "tryon.tools.cli", "serve", "--port", str(port),
               "--workers", "1", "--timeout", "120", "--log-level", "warning"]
    url = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while not _server_ready(url):
            assert process.poll() is None, log_path.read_text(errors="replace")[-2000:]
            assert time.monotonic() < deadline, f"tryon serve not ready after {deadline} s"
            time.sleep(0.5)
        yield url
    finally:
        stop_process(process, SERVER_STOP_SECONDS)


def _server_ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/readyz", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


def _tryons_answered(url: str) -> float:
    """How many ``POST /v1/tryon`` the server answered with 200 (from ``/metrics``)."""
    request = urllib.request.Request(f"{url}/metrics",
                                     headers={"Authorization": f"Bearer {SERVER_KEY}"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        text = answer.read().decode()
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith("tryon_http_requests_total{")
               and 'route="/v1/tryon"' in line and 'status="200"' in line)


def _use_server(monkeypatch: pytest.MonkeyPatch, url: str, key: str | None) -> None:
    monkeypatch.setenv("TRYON_SERVER", url)
    if key is None:
        monkeypatch.delenv("TRYON_API_KEY", raising=False)
    else:
        monkeypatch.setenv("TRYON_API_KEY", key)


def test_shopper_page_tries_on_through_a_tryon_server(tryon_server: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.service import RemoteTryOn

    _use_server(monkeypatch, tryon_server, SERVER_KEY)
    before = _tryons_answered(tryon_server)
    app = _app()
    _upload(app, "me.jpg", PERSON.read_bytes())
    assert "Your photo is ready" in app.success[0].value  # the photo check, here
    _pick(app, "tops/white-tee")
    attempt = app.session_state[session.ATTEMPT]
    assert isinstance(attempt.result, RemoteTryOn), attempt
    assert attempt.ok and attempt.result.kind == "top" and _shows_result(app)
    assert _tryons_answered(tryon_server) == before + 1  # the server did it
    assert attempt.result.photo.shape == attempt.result.image.shape
    assert Image.open(io.BytesIO(attempt.png)).size == Image.open(PERSON).size
    assert app.get("download_button") and _like_buttons(app)
    app.toggle[0].set_value(True).run()
    assert not app.exception
    assert any("try-on server" in caption.value for caption in app.caption)
    assert any("Stage timings" in markdown.value for markdown in app.markdown)


def test_kiosk_tries_on_through_a_tryon_server(tryon_server: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _use_server(monkeypatch, tryon_server, SERVER_KEY)
    before = _tryons_answered(tryon_server)
    _kiosk_with_result()
    assert _tryons_answered(tryon_server) == before + 1


def test_a_wrong_server_key_gets_the_service_sentence(tryon_server: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from tryon.serve.errors import ServeErrorCode

    _use_server(monkeypatch, tryon_server, "not-the-key-0123456789")
    app = _app()
    _upload(app, "me.jpg", PERSON.read_bytes())
    _pick(app, "tops/white-tee")
    attempt = app.session_state[session.ATTEMPT]
    assert not attempt.ok and attempt.code == "unauthorized"
    assert [error.value for error in app.error] == [
        SERVER_MESSAGES[ServeErrorCode.UNAUTHORIZED]]
    assert "Show details" in [expander.label for expander in app.expander]
    assert not _shows_result(app) and not app.exception


def test_a_server_that_cannot_be_reached_gets_the_service_sentence(
        monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("httpx", reason="the try-on server's client needs httpx")
    from tryon.serve.errors import ServeErrorCode
    from ui.harness import free_port

    _use_server(monkeypatch, f"http://127.0.0.1:{free_port()}", None)  # nothing listens
    app = _app()
    _upload(app, "me.jpg", PERSON.read_bytes())
    _pick(app, "shoes/blue-plimsolls")
    attempt = app.session_state[session.ATTEMPT]
    assert not attempt.ok and attempt.code == "server_unavailable"
    assert [error.value for error in app.error] == [
        SERVER_MESSAGES[ServeErrorCode.SERVER_UNAVAILABLE]]
    assert "busy" not in attempt.message and not app.exception


# --- the Studio page (issue 14) -------------------------------------------------------------

SKETCH = DEMO_ASSETS / "sketches" / "sneaker.png"


def test_studio_on_white_fits_a_transparent_picture_into_a_white_square() -> None:
    from ui.studio import on_white

    rgb = np.zeros((40, 80, 3), np.uint8)
    alpha = np.zeros((40, 80), np.uint8)
    alpha[:, :40] = 255  # left half opaque black, right half transparent
    square = on_white(rgb, alpha, side=64)
    assert square.shape == (64, 64, 3) and square.dtype == np.uint8
    assert (square[0] == 255).all() and (square[32, 48:] == 255).all()  # white around
    assert (square[32, 4:28] == 0).all()  # the opaque part, shrunk to 64 wide and centred
    small = on_white(np.full((8, 8, 3), 9, np.uint8), side=64)  # never enlarged
    assert (small[28:36, 28:36] == 9).all() and (small[27, 27] == 255).all()


def test_studio_make_colourway_and_design_or_say_what_is_wrong() -> None:
    from ui.studio import make_colourway, make_sketch_design

    made = make_colourway(SHOES.read_bytes(), "#7b1e2b", "main", "lab", "shoes")
    assert made.ok and made.kind == "shoes" and made.name == "colourway-7b1e2b.png"
    picture = Image.open(io.BytesIO(made.png))
    assert picture.mode == "RGBA" and picture.size == Image.open(SHOES).size
    assert made.before.shape == made.after.shape == (512, 512, 3)
    assert made.delta_e < 2 and "ΔE2000" in made.caption and "Lab recolouring" in made.caption

    refused = make_colourway(b"not a picture", "#7b1e2b")
    assert not refused.ok and refused.code == "bad_image"
    assert refused.message == SHOPPER_MESSAGES[ErrorCode.BAD_IMAGE].format(
        picture="the product photo", Picture="The product photo")

    design = make_sketch_design(SKETCH.read_bytes(), "#1f2a44")
    assert design.ok and design.kind == "shoes" and "ΔE2000" in design.caption
    blank = make_sketch_design(_png(np.full((64, 64, 3), 255, np.uint8)), "#1f2a44")
    assert not blank.ok and blank.code == "bad_item" and "sketch" in blank.message


def test_studio_demo_swatches_and_make_material_or_say_what_is_wrong() -> None:
    from tryon.tools.material_eval import cut_swatch
    from ui.studio import DEMO_SWATCHES, SWATCH_MESSAGES, demo_swatches, make_material

    swatches = demo_swatches()  # cut at run time from the MIT/BSD demo items
    assert list(swatches) == list(DEMO_SWATCHES)
    assert all(swatch.shape == (96, 96, 3) and swatch.dtype == np.uint8
               for swatch in swatches.values())
    made = make_material(SHOES.read_bytes(), swatches["Bandana print"], "main", "shoes",
                         "Bandana print")
    assert made.ok and made.kind == "shoes" and made.name == "material-bandana-print.png"
    assert made.label == "Material: Bandana print"
    picture = Image.open(io.BytesIO(made.png))
    assert picture.mode == "RGBA" and picture.size == Image.open(SHOES).size
    assert made.before.shape == made.after.shape == (512, 512, 3)
    assert not np.array_equal(made.before, made.after)
    assert "ΔE2000" in made.caption and "fine texture" in made.caption
    assert made.caption.count(".") <= 6 and "\n" not in made.caption  # one sentence
    uploaded = make_material(SHOES.read_bytes(), _png(swatches["Dark denim"]))
    assert uploaded.ok and uploaded.name == "material-your-swatch.png"

    # the black jeans' swatch has almost no texture: its own sentence, not "went wrong"
    plain, _ = cut_swatch(DEMO_ASSETS / "bottoms" / "black-jeans.jpg", kind="bottom")
    refused = make_material(SHOES.read_bytes(), plain)
    assert not refused.ok and refused.code == "bad_argument"
    assert refused.message == SWATCH_MESSAGES["texture"] and "texture" in refused.detail
    see_through = np.dstack([swatches["Dark denim"], np.zeros((96, 96), np.uint8)])
    assert make_material(SHOES.read_bytes(), see_through).message == SWATCH_MESSAGES[
        "transparent"]
    junk = make_material(SHOES.read_bytes(), b"not a picture")
    assert junk.code == "bad_image" and junk.message == SHOPPER_MESSAGES[
        ErrorCode.BAD_IMAGE].format(picture="the swatch photo", Picture="The swatch photo")
    tiny = make_material(SHOES.read_bytes(), np.zeros((10, 10, 3), np.uint8))
    assert tiny.code == "image_too_small" and "swatch photo" in tiny.message
    not_a_product = make_material(b"not a picture", swatches["Dark denim"])
    assert not_a_product.code == "bad_image" and "product photo" in not_a_product.message


def _studio_app(kiosk: bool = False) -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.query_params["view"] = "studio"
    if kiosk:
        app.query_params["kiosk"] = "1"
    app.run()
    assert not app.exception, app.exception
    return app


def test_studio_colourway_beside_its_original_then_a_try_on_sentence() -> None:
    from ui.studio import MAKE_COLOURWAY, STUDIO_TITLE, TRY_COLOURWAY

    app = _studio_app()
    assert app.title[0].value == STUDIO_TITLE and not app.get("camera_input")
    make = app.button(key="make-colourway")
    assert make.label == MAKE_COLOURWAY and make.disabled  # no product yet
    app.button(key="studio-pick-shoes/blue-plimsolls").click().run()
    app.segmented_control(key="studio-method").set_value("lab").run()
    app.button(key="make-colourway").click().run()
    assert not app.exception and not app.error
    assert [caption for caption in _images(app) if caption] == ["Original", "Colourway #7b1e2b"]
    assert any("ΔE2000" in caption.value for caption in app.caption)
    assert app.get("download_button")[0].proto.label == "Download colourway (PNG)"

    # a text file as the photo: the shopper's sentence, never a traceback
    app.segmented_control(key="studio-person-choice").set_value("upload").run()
    app.file_uploader(key="studio-photo").set_value(
        ("me.jpg", b"this is not a picture", "image/jpeg")).run()
    try_button = app.button(key="try-the-colourway-on")
    assert try_button.label == TRY_COLOURWAY and not try_button.disabled
    try_button.click().run()
    assert not app.exception
    assert [error.value for error in app.error] == [_sentence(ErrorCode.BAD_IMAGE)]


def test_studio_material_from_a_swatch_beside_its_original_then_tried_on() -> None:
    from ui.studio import MAKE_MATERIAL, MATERIAL, SWATCH_MESSAGES, TRY_MATERIAL, TRY_ON

    app = _studio_app()
    make = app.button(key="make-material")
    assert make.label == MAKE_MATERIAL and make.disabled  # no product yet
    assert app.button(key="studio-swatch-dark-denim").label == "✓ Dark denim"  # the default
    app.button(key="studio-pick-shoes/blue-plimsolls").click().run()
    app.button(key="studio-swatch-bandana-print").click().run()
    assert app.button(key="studio-swatch-bandana-print").label == "✓ Bandana print"
    assert app.button(key="try-the-material-on").disabled  # nothing made yet
    app.button(key="make-material").click().run()
    assert not app.exception and not app.error
    assert [caption for caption in _images(app) if caption] == [
        "Original", "Material: Bandana print"]
    assert any("fine texture" in caption.value for caption in app.caption)
    assert [button.proto.label for button in app.get("download_button")] == [
        "Download material (PNG)"]
    assert app.session_state[MATERIAL].ok

    try_button = app.button(key="try-the-material-on")  # the colourway's flow, one tap
    assert try_button.label == TRY_MATERIAL and not try_button.disabled
    app.segmented_control(key="studio-person-choice").set_value("upload").run()
    app.file_uploader(key="studio-photo").set_value(
        ("me.jpg", b"this is not a picture", "image/jpeg")).run()
    app.button(key="try-the-material-on").click().run()
    assert not app.exception
    label, attempt = app.session_state[TRY_ON]
    assert label == "Material: Bandana print" and attempt.code == "bad_image"
    assert [error.value for error in app.error] == [_sentence(ErrorCode.BAD_IMAGE)]

    # an uploaded swatch with no texture: the sentence in place of the result
    plain = _png(np.full((64, 64, 3), 128, np.uint8))
    app.file_uploader(key="studio-swatch").set_value(("grey.png", plain, "image/png")).run()
    assert not app.button(key="studio-swatch-bandana-print").label.startswith("✓")
    app.button(key="make-material").click().run()
    assert not app.exception
    assert SWATCH_MESSAGES["texture"] in [error.value for error in app.error]
    assert not app.session_state[MATERIAL].ok
    assert app.button(key="try-the-material-on").disabled


def test_the_studio_is_never_in_a_kiosk() -> None:
    assert load_config([], {}, {"view": "studio"}).view == "studio"
    assert load_config(["--kiosk"], {}, {"view": "studio"}).view == "shop"
    app = _studio_app(kiosk=True)
    assert app.get("camera_input") and app.title[0].value == "Try it on"
