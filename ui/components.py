"""Three small browser pieces written for this page, with their HTML, CSS and JavaScript
inline (Streamlit components v2): nothing is fetched from outside, so they work offline.

- :func:`comparison`: before and after stacked, a divider the shopper drags (touch, mouse
  or arrow keys) or taps to move; as wide as the column, at most ``max_height`` tall.
- :func:`scroll_here`: brings its place on the page into view whenever ``token`` changes
  (after a pick the result, after "Try another item" the catalog).
- :func:`countdown_button`: the kiosk's "Take photo" button: counts down over the camera
  preview, then presses the camera's own (hidden) shutter button.

In AppTest they are elements of an unknown type (``UnknownElement``); their data are in
the element's proto, as JSON (:func:`element_data`).
"""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import numpy as np
import streamlit as st
from PIL import Image

__all__ = ["COUNTDOWN_SECONDS", "DISPLAY_SIDE", "comparison", "countdown_button",
           "data_url", "element_data", "scroll_here"]

DISPLAY_SIDE = 1280  # the longest side the comparison's pictures are sent at, pixels
JPEG_QUALITY = 88
COUNTDOWN_SECONDS = 3

_COMPARISON_HTML = """<figure class="cmp" tabindex="0" role="slider" aria-valuemin="0"
  aria-valuemax="100" aria-label="Slide to compare before and after">
  <img class="after" alt="After"><img class="before" alt="Before">
  <div class="line"><span class="knob" aria-hidden="true">&#x2039;&#x203A;</span></div>
  <span class="tag left"></span><span class="tag right"></span>
</figure>"""

_COMPARISON_CSS = """
:host { display: block; }
.cmp { position: relative; margin: 0 auto; padding: 0; overflow: hidden;
  aspect-ratio: var(--ar); width: min(100%, calc(var(--max-h) * var(--ar)));
  touch-action: pan-y; user-select: none; -webkit-user-select: none; cursor: ew-resize;
  border-radius: 0.5rem; background: #eee; outline: none; }
.cmp:focus-visible { box-shadow: 0 0 0 3px #ff4b4b; }
.cmp img { position: absolute; inset: 0; width: 100%; height: 100%; display: block;
  pointer-events: none; -webkit-user-drag: none; }
.cmp .before { clip-path: inset(0 calc(100% - var(--pos)) 0 0); }
.line { position: absolute; top: 0; bottom: 0; left: var(--pos); width: 3px;
  margin-left: -1.5px; background: white; box-shadow: 0 0 4px rgba(0,0,0,.6);
  pointer-events: none; }
.knob { position: absolute; top: 50%; left: 50%; transform: translate(-50%, -50%);
  width: var(--knob); height: var(--knob); border-radius: 50%; background: white;
  box-shadow: 0 1px 6px rgba(0,0,0,.5); display: flex; align-items: center;
  justify-content: center; font: 700 calc(var(--knob) * 0.5)/1 sans-serif; color: #333; }
.tag { position: absolute; top: 0.6rem; padding: 0.2rem 0.6rem; border-radius: 1rem;
  background: rgba(0,0,0,.55); color: white; font: 600 var(--tag)/1.3 sans-serif;
  pointer-events: none; }
.tag.left { left: 0.6rem; } .tag.right { right: 0.6rem; }
"""

_COMPARISON_JS = """
export default function(component) {
  const { data, parentElement } = component;
  const root = parentElement.querySelector('.cmp');
  root.style.setProperty('--ar', String(data.aspect));
  root.style.setProperty('--max-h', data.max_height);
  root.style.setProperty('--knob', data.knob);
  root.style.setProperty('--tag', data.tag);
  root.querySelector('.before').src = data.before;
  root.querySelector('.after').src = data.after;
  root.querySelector('.tag.left').textContent = data.labels[0];
  root.querySelector('.tag.right').textContent = data.labels[1];
  const set = (pos) => {
    pos = Math.max(0, Math.min(100, pos));
    root.style.setProperty('--pos', pos + '%');
    root.setAttribute('aria-valuenow', String(Math.round(pos)));
    root.dataset.pos = String(pos);
  };
  if (root.dataset.pos === undefined) set(data.start);
  const fromEvent = (event) => {
    const box = root.getBoundingClientRect();
    set((event.clientX - box.left) / box.width * 100);
  };
  let dragging = false;
  const down = (event) => { dragging = true; root.setPointerCapture(event.pointerId);
                            fromEvent(event); };
  const move = (event) => { if (dragging) fromEvent(event); };
  const up = () => { dragging = false; };
  const key = (event) => {
    const step = { ArrowLeft: -5, ArrowRight: 5, Home: -100, End: 100 }[event.key];
    if (step !== undefined) { set(Number(root.dataset.pos) + step); event.preventDefault(); }
  };
  root.addEventListener('pointerdown', down);
  root.addEventListener('pointermove', move);
  root.addEventListener('pointerup', up);
  root.addEventListener('pointercancel', up);
  root.addEventListener('keydown', key);
  return () => {
    root.removeEventListener('pointerdown', down);
    root.removeEventListener('pointermove', move);
    root.removeEventListener('pointerup', up);
    root.removeEventListener('pointercancel', up);
    root.removeEventListener('keydown', key);
  };
}
"""

_SCROLL_JS = """
export default function(component) {
  const { data, parentElement } = component;
  const seen = window.__tryonScrolled || (window.__tryonScrolled = {});
  if (!data.token || seen[data.name] === data.token) return;
  seen[data.name] = data.token;
  parentElement.style.scrollMarginTop = data.margin;
  const go = () => parentElement.scrollIntoView({ block: 'start', behavior: 'instant' });
  requestAnimationFrame(go);
  // again while the elements above settle (stale ones go, pictures load)
  const timers = [150, 500, 1200].map((ms) => setTimeout(go, ms));
  return () => timers.forEach(clearTimeout);
}
"""

_COUNTDOWN_HTML = """<button class="take" type="button"></button>
<div class="count" hidden></div>"""

_COUNTDOWN_CSS = """
.take { width: 100%; min-height: 6rem; border: none; border-radius: 1rem; cursor: pointer;
  background: #ff4b4b; color: white; font: 600 2.2rem/1.2 sans-serif; }
.take:disabled { background: #999; }
.count { position: fixed; inset: 0; display: flex; align-items: center;
  justify-content: center; pointer-events: none; z-index: 1000;
  font: 700 40vmin/1 sans-serif; color: white; text-shadow: 0 0 2vmin rgba(0,0,0,.8); }
.count[hidden] { display: none; }
"""

_COUNTDOWN_JS = """
export default function(component) {
  const { data, parentElement } = component;
  const button = parentElement.querySelector('.take');
  const count = parentElement.querySelector('.count');
  button.textContent = data.label;
  const shutter = () => document.querySelector('[data-testid="stCameraInputButton"]');
  let timer = null;
  const SHUTTER_TRIES = 20;  // the camera may still be starting: try for 5 s
  const press = (tries) => {
    const camera = shutter();
    if (camera && !camera.disabled) { camera.click(); return; }
    if (tries > 0) setTimeout(() => press(tries - 1), 250);
  };
  const click = () => {
    if (timer !== null) return;
    let left = data.seconds;
    button.disabled = true;
    count.hidden = false;
    count.textContent = String(left);
    timer = setInterval(() => {
      left -= 1;
      if (left > 0) { count.textContent = String(left); return; }
      clearInterval(timer);
      timer = null;
      count.hidden = true;
      button.disabled = false;
      press(SHUTTER_TRIES);
    }, 1000);
  };
  button.addEventListener('click', click);
  return () => { button.removeEventListener('click', click); if (timer) clearInterval(timer); };
}
"""



def _comparison(**kwargs: Any) -> Any:
    # Registered on every call: the registry belongs to the running app, not to the module.
    return st.components.v2.component("tryon_comparison", html=_COMPARISON_HTML,
                                      css=_COMPARISON_CSS, js=_COMPARISON_JS)(**kwargs)


def _scroll(**kwargs: Any) -> Any:
    return st.components.v2.component("tryon_scroll_here", js=_SCROLL_JS,
                                      isolate_styles=False)(**kwargs)


def _countdown(**kwargs: Any) -> Any:
    return st.components.v2.component("tryon_countdown", html=_COUNTDOWN_HTML,
                                      css=_COUNTDOWN_CSS, js=_COUNTDOWN_JS)(**kwargs)


def data_url(picture: np.ndarray, side: int = DISPLAY_SIDE) -> str:
    """``picture`` ((H, W, 3) uint8 RGB) as a JPEG ``data:`` URL, longest side at most
    ``side`` pixels (in memory, no metadata)."""
    image = Image.fromarray(picture)
    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def comparison(before: np.ndarray, after: np.ndarray, *, key: str,
               labels: tuple[str, str] = ("Before", "After"), max_height: str = "72vh",
               knob: str = "3rem", tag: str = "1rem", start: float = 50.0) -> None:
    """Before and after (same size, (H, W, 3) uint8) with a divider at ``start`` percent;
    ``max_height`` and the knob and label sizes are CSS lengths."""
    height, width = after.shape[:2]
    _comparison(key=key, height="content", data={
        "before": data_url(before), "after": data_url(after), "labels": list(labels),
        "aspect": round(width / height, 5), "max_height": max_height, "knob": knob,
        "tag": tag, "start": start})


def scroll_here(name: str, token: int, margin: str = "0") -> None:
    """Scroll this place to the top of the window, ``margin`` (a CSS length: a header's
    height) below it, when ``token`` differs from the last one seen under ``name`` in this
    browser tab (0: never)."""
    _scroll(key=f"scroll-{name}", height="content",
            data={"name": name, "token": token, "margin": margin})


def countdown_button(label: str, *, key: str, seconds: int = COUNTDOWN_SECONDS) -> None:
    """A large button that counts ``seconds`` down over the screen, then takes the camera's
    picture (the page's ``st.camera_input``, whose own button may be hidden)."""
    _countdown(key=key, height="content", data={"label": label, "seconds": seconds})


def element_data(element: Any) -> dict[str, Any] | None:
    """The data a component above was given, from an AppTest element (None for others)."""
    proto = getattr(element, "proto", None)
    if getattr(proto, "component_name", None) is None:
        return None
    return {"component": proto.component_name, **json.loads(proto.json or "{}")}
