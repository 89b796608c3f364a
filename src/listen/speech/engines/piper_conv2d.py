"""A piper voice's model with every 1-D convolution as a 2-D one of height 1, made once and cached.

Why (bench/bench_piper_runtimes.py, bench/README.md): onnxruntime runs 2-D convolutions with
its blocked NCHWc direct kernels, 1-D ones without; the same fp32 weights in 2-D cost 1.15-1.21x
less CPU per second of speech and give the same sound (largest sample difference 3.3e-5 of
full scale). The VITS decoder (convs, transposed convs, adds, leaky ReLUs) is made 2-D from its
input to its tanh; other 1-D convs are each wrapped in Unsqueeze/Conv/Squeeze.

The rewrite needs the `onnx` package and takes a few seconds, so it is done once per voice file
and kept in listen's cache folder under the source model's sha256 and REWRITE_VERSION. It is
checked before it is kept: a probe sentence, noise off, must give as many samples as the original
model and the same sound within PROBE_TOLERANCE. Anything else (no onnx, another export's node
names, a failed rewrite or probe) gives None and the caller uses the original model: the sound is
the same either way, so this never becomes the user's problem.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import platformdirs

from listen.atomic import atomic_path

REWRITE_VERSION = 1
PROBE_TOLERANCE = 1e-3  # of full scale; the measured difference is 3.3e-5
# The decoder may hold only these (shape-agnostic or rewritten) ops to be made 2-D as a whole.
DECODER_OPS = frozenset({"Conv", "ConvTranspose", "Add", "LeakyRelu", "Tanh", "Mul", "Div", "Identity"})
DECODER_IN = "/dec/conv_pre/Conv"
DECODER_OUT = "/dec/Tanh"
_AXIS = "listen_conv2d_axis_h"

log = logging.getLogger(__name__)

Session = Callable[[Path], Any]


def conv2d_model(source: Path, sha256: str, make_session: Session, cache: Path | None = None) -> Path | None:
    """The cached 2-D model for `source` (made and probed on first use), or None to use `source`.

    `make_session` opens an onnxruntime session on a model path (the caller's options), so the
    probe runs the models as the engine will. Two processes racing both write a complete file
    under a temporary name and rename it into place; either result is the same model.
    """
    target = (cache or default_cache()) / f"{sha256}-conv2d-v{REWRITE_VERSION}.onnx"
    if target.is_file():
        return target
    try:
        import onnx  # noqa: F401  (only checks it is installed; conv2d_rewrite imports what it uses)
    except ImportError:
        log.info("piper: onnx is not installed; using the 1-D model %s", source)
        return None
    try:
        with atomic_path(target) as temporary:
            conv2d_rewrite(source, temporary)
            _probe(make_session(source), make_session(temporary))
    except Exception as error:  # onnx, onnxruntime and the file system raise many unrelated types
        log.info("piper: no 2-D model for %s (%s: %s); using the 1-D model", source, type(error).__name__, error)
        return None
    return target


def default_cache() -> Path:
    """listen's cache folder, as the library index uses it, with a folder for piper models."""
    return Path(platformdirs.user_cache_dir("listen")) / "piper"


class UnsupportedGraph(ValueError):
    """The model is not a VITS export this rewrite knows (another exporter's names or ops)."""


def conv2d_rewrite(source: Path, target: Path) -> Path:
    """Write `source` with every 1-D Conv as a 2-D Conv of height 1 to `target`."""
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(source))
    graph = model.graph
    names = {node.name for node in graph.node}
    if DECODER_IN not in names or DECODER_OUT not in names:
        raise UnsupportedGraph(f"no {DECODER_IN} and {DECODER_OUT} nodes")
    weights = {t.name: t for t in graph.initializer}
    foreign = {n.op_type for n in graph.node if n.name.startswith("/dec/") and n.op_type not in DECODER_OPS}
    if foreign:
        raise UnsupportedGraph(f"the decoder holds {', '.join(sorted(foreign))}")
    graph.initializer.append(numpy_helper.from_array(np.array([2], dtype=np.int64), _AXIS))

    def flat_weight(name: str) -> str:
        if name not in weights or len(weights[name].dims) != 3:
            raise UnsupportedGraph(f"the convolution weight {name} is not a 3-D constant")
        array = numpy_helper.to_array(weights[name])[:, :, None, :]
        graph.initializer.append(numpy_helper.from_array(array, name + "_2d"))
        return name + "_2d"

    def as_2d(node: Any, x: str, y: str) -> Any:
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        if "kernel_shape" not in attrs or attrs.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
            raise UnsupportedGraph(f"{node.name} has no kernel_shape or pads automatically")
        pads = attrs.get("pads", [0, 0])
        extra: dict[str, Any] = {"output_padding": [0, attrs["output_padding"][0]]} if "output_padding" in attrs else {}
        return helper.make_node(
            node.op_type,
            [x, flat_weight(node.input[1]), *node.input[2:]],
            [y],
            name=node.name + "_2d",
            kernel_shape=[1, attrs["kernel_shape"][0]],
            strides=[1, attrs.get("strides", [1])[0]],
            dilations=[1, attrs.get("dilations", [1])[0]],
            group=attrs.get("group", 1),
            pads=[0, pads[0], 0, pads[1]],
            **extra,
        )

    nodes = []
    for n, node in enumerate(graph.node):
        if node.name == DECODER_IN:
            nodes.append(helper.make_node("Unsqueeze", [node.input[0], _AXIS], ["listen_dec_in"]))
            nodes.append(as_2d(node, "listen_dec_in", node.output[0]))
        elif node.name == DECODER_OUT:
            nodes.append(helper.make_node("Tanh", list(node.input), ["listen_dec_out"], name=node.name))
            nodes.append(helper.make_node("Squeeze", ["listen_dec_out", _AXIS], [node.output[0]]))
        elif node.name.startswith("/dec/") and node.op_type in ("Conv", "ConvTranspose"):
            nodes.append(as_2d(node, node.input[0], node.output[0]))
        elif node.op_type == "Conv" and node.input[1] in weights and len(weights[node.input[1]].dims) == 3:
            wide_in, wide_out = f"listen_in_{n}", f"listen_out_{n}"
            nodes.append(helper.make_node("Unsqueeze", [node.input[0], _AXIS], [wide_in]))
            nodes.append(as_2d(node, wide_in, wide_out))
            nodes.append(helper.make_node("Squeeze", [wide_out, _AXIS], [node.output[0]]))
        else:
            nodes.append(node)
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.value_info[:]  # the decoder's recorded 3-D shapes no longer hold
    used = {name for node in graph.node for name in node.input}
    kept = [t for t in graph.initializer if t.name in used]  # drops the 3-D weights, now unused
    del graph.initializer[:]
    graph.initializer.extend(kept)
    onnx.checker.check_model(model)
    onnx.save(model, str(target))
    return target


def _probe(original: Any, rewritten: Any) -> None:
    """Raise unless both sessions give the same sound for a short phoneme sequence, noise off."""
    feed = probe_feed(original)
    ours, theirs = (np.asarray(s.run(None, feed)[0]).squeeze() for s in (original, rewritten))
    if ours.shape != theirs.shape:
        raise UnsupportedGraph(f"the 2-D model gave {theirs.shape} samples, the original {ours.shape}")
    worst = float(np.abs(ours - theirs).max()) if ours.size else 0.0
    if not worst <= PROBE_TOLERANCE:
        raise UnsupportedGraph(f"the 2-D model's sound differs by {worst:.2e}")


def probe_feed(session: Any) -> dict[str, np.ndarray]:
    """A short input for a piper VITS session: a few phoneme ids, noise scales 0, speaker 0."""
    ids = np.array([[1, 0, 20, 0, 14, 0, 26, 0, 32, 0, 59, 0, 2]], dtype=np.int64)
    feed: dict[str, np.ndarray] = {
        "input": ids,
        "input_lengths": np.array([ids.shape[1]], dtype=np.int64),
        "scales": np.array([0.0, 1.0, 0.0], dtype=np.float32),
    }
    if any(i.name == "sid" for i in session.get_inputs()):
        feed["sid"] = np.array([0], dtype=np.int64)
    return feed
