"""What the page loads once per process and shares between sessions (``st.cache_resource``):
the engines (local, or a try-on server's client), the catalog index for "More like this",
the catalog model, and the catalog's style clusters. None of them is changed after it is
made, and none holds anything of a customer.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

import streamlit as st

from tryon.catalog.classifier import KindClassifier, default_models
from tryon.catalog.clusters import Clustering, cluster_index
from tryon.catalog.model import CatalogEmbedder
from tryon.pipeline import TryOnEngine
from tryon.tools.pool import EnginePool
from ui.config import KEY_ENV, UiConfig
from ui.service import RemoteBackend, TryOnBackend, check_engines, remote_backend
from ui.similar import CatalogSearch, build_search

_LOG = logging.getLogger(__name__)

__all__ = ["Engines", "catalog_clusters", "catalog_models", "catalog_search", "check_pool",
           "engine_pool", "engines", "server_backend"]


@dataclass(frozen=True)
class Engines:
    """``checks``: the early photo check's engines (always local); ``try_ons``: where
    try-ons run (the same pool, or a server); ``server``: its URL ("" when local)."""

    checks: EnginePool
    try_ons: TryOnBackend
    server: str = ""


@st.cache_resource(show_spinner="Loading the try-on models…")
def engine_pool(size: int) -> EnginePool:
    """One pool per process and size, shared by every session (never changed after). Its
    engines keep no caches: nothing of one customer (pose, masks) outlives their try-on."""
    return EnginePool(size, factory=lambda: TryOnEngine(cache_size=0))


@st.cache_resource(show_spinner="Loading the photo check…")
def check_pool() -> EnginePool:
    """With a try-on server: one local engine for the early photo check only."""
    return check_engines()


@st.cache_resource(show_spinner=False)
def server_backend(url: str, key: str | None) -> RemoteBackend:
    """The client of the try-on server at ``url`` with API key ``key`` (one per process)."""
    _LOG.info("try-ons go to the try-on server at %s (photo checks stay local)", url)
    return remote_backend(url, key)


def engines(config: UiConfig) -> Engines:
    """The engines for this configuration: with ``config.server`` try-ons go to that server
    (key: ``$TRYON_API_KEY``) and only the photo check runs here."""
    if config.server:
        backend = server_backend(config.server, os.environ.get(KEY_ENV) or None)
        return Engines(check_pool(), backend, config.server)
    pool = engine_pool(config.engines)
    return Engines(pool, pool)


@st.cache_resource(show_spinner="Getting the catalog ready…")
def catalog_search() -> CatalogSearch:
    """The demo catalog's index (built once per process, about 4 s)."""
    return build_search()


@st.cache_resource(show_spinner=False)
def catalog_models() -> tuple[CatalogEmbedder, KindClassifier]:
    """The catalog model and its kind classifier (read-only; ONNX Runtime sessions may be
    run from several threads)."""
    return default_models()


@st.cache_resource(show_spinner="Grouping the catalog into styles…")
def catalog_clusters() -> Clustering:
    """The demo catalog's style clusters (k-means, k by silhouette: ``tryon trends``)."""
    return cluster_index(catalog_search().index, catalog_models()[1])
