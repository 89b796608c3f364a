"""`listen voices add NAME` against a Piper voice repository served on 127.0.0.1 by the test.

The model is fake bytes (a real one is 60 MB and cannot ship with the tests); what is tested
is the download: the repository layout, the index's checksums (good and bad), a repository
without an index, an unknown name, a transfer cut short, being offline, and that the voice
is listed by `listen voices` afterwards. Nothing here touches the network.
"""

from __future__ import annotations

import hashlib
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from listen.cli import main
from listen.errors import EngineError, NetworkError
from listen.speech import voices
from listen.speech.voices import add_voice, added_models, natural_voice_notice, resolve

NAME = "fr_FR-brume-medium"
FOLDER = "fr/fr_FR/brume/medium"
MODEL = b"\x08\x07fake onnx model for the download test, not a network" * 200
CONFIG = json.dumps(
    {
        "audio": {"sample_rate": 22050, "quality": "medium"},
        "espeak": {"voice": "fr"},
        "language": {
            "code": "fr_FR",
            "family": "fr",
            "region": "FR",
            "name_english": "French",
            "country_english": "France",
        },
        "num_speakers": 1,
        "phoneme_id_map": {"_": [0]},
    }
).encode()


def index(model_digest: dict | None = None, config_digest: dict | None = None) -> bytes:
    files = {
        f"{FOLDER}/{NAME}.onnx": model_digest
        if model_digest is not None
        else {"size_bytes": len(MODEL), "md5_digest": hashlib.md5(MODEL).hexdigest()},
        f"{FOLDER}/{NAME}.onnx.json": config_digest
        if config_digest is not None
        else {"size_bytes": len(CONFIG), "md5_digest": hashlib.md5(CONFIG).hexdigest()},
        f"{FOLDER}/MODEL_CARD": {"size_bytes": 10, "md5_digest": "0" * 32},
    }
    return json.dumps({NAME: {"key": NAME, "name": "brume", "quality": "medium", "files": files}}).encode()


class Repository:
    """A tiny Piper voice repository: path → bytes, with a log of what was asked for."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.requests: list[str] = []
        self.short: set[str] = set()  # paths served with a Content-Length larger than the body
        repository = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                repository.requests.append(self.path)
                body = repository.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                claimed = len(body) * 2 if self.path in repository.short else len(body)
                self.send_header("Content-Length", str(claimed))
                self.end_headers()
                self.wfile.write(body)
                if self.path in repository.short:
                    self.close_connection = True

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/piper"

    def serve(self, model: bytes = MODEL, config: bytes = CONFIG, index_bytes: bytes | None = None) -> None:
        self.files = {f"/piper/{FOLDER}/{NAME}.onnx": model, f"/piper/{FOLDER}/{NAME}.onnx.json": config}
        if index_bytes is not None:
            self.files["/piper/voices.json"] = index_bytes


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data" / "listen" / "voices"


@pytest.fixture
def repository(monkeypatch: pytest.MonkeyPatch) -> Iterator[Repository]:
    repo = Repository()
    thread = threading.Thread(target=repo.server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv(voices.VOICES_URL_VARIABLE, repo.url)
    try:
        yield repo
    finally:
        repo.server.shutdown()
        repo.server.server_close()
        thread.join()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_voice_is_fetched_from_the_repository_layout_checked_and_kept(
    repository: Repository, data_home: Path
) -> None:
    repository.serve(index_bytes=index())
    voice = add_voice(NAME)
    assert repository.requests == [
        "/piper/voices.json",
        f"/piper/{FOLDER}/{NAME}.onnx.json",
        f"/piper/{FOLDER}/{NAME}.onnx",
    ]
    assert (data_home / f"{NAME}.onnx").read_bytes() == MODEL
    assert (data_home / f"{NAME}.onnx.json").read_bytes() == CONFIG
    assert leftovers(data_home) == [f"{NAME}.onnx", f"{NAME}.onnx.json"]
    assert (voice.name, voice.language, voice.engine, voice.quality) == (NAME, "fr-fr", "piper", "natural (medium)")
    assert added_models() == [data_home / f"{NAME}.onnx"]


def test_an_added_voice_is_listed_and_chosen_for_its_language(
    repository: Repository, data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repository.serve(index_bytes=index())
    assert natural_voice_notice("fr") is not None
    assert main(["voices", "add", NAME]) == 0
    assert f"Added {NAME}" in capsys.readouterr().out
    assert main(["voices", "--lang", "fr"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{NAME}: fr-fr, French (France), piper, natural (medium), from {data_home}"
    assert any(line.startswith("fr-fr: fr-fr, French (France), espeak, robotic") for line in lines)
    assert resolve("fr") == ("piper", str(data_home / f"{NAME}.onnx"))
    assert resolve(NAME) == ("piper", str(data_home / f"{NAME}.onnx"))
    assert resolve("fr", "espeak") == ("espeak", "fr-fr")
    assert natural_voice_notice("fr-FR") is None


@pytest.mark.parametrize(
    ("model_digest", "problem"),
    [
        ({"size_bytes": len(MODEL), "md5_digest": hashlib.md5(b"another model").hexdigest()}, "md5 differs"),
        ({"size_bytes": len(MODEL), "sha256_digest": hashlib.sha256(b"another model").hexdigest()}, "sha256 differs"),
        ({"size_bytes": len(MODEL) + 1, "md5_digest": hashlib.md5(MODEL).hexdigest()}, "bytes instead of"),
    ],
)
def test_a_download_that_does_not_match_the_index_is_refused_and_nothing_kept(
    repository: Repository, data_home: Path, model_digest: dict, problem: str
) -> None:
    repository.serve(index_bytes=index(model_digest=model_digest))
    with pytest.raises(EngineError, match=problem):
        add_voice(NAME)
    assert leftovers(data_home) == []


def test_a_sha256_in_the_index_is_checked_when_given(repository: Repository, data_home: Path) -> None:
    repository.serve(
        index_bytes=index(model_digest={"size_bytes": len(MODEL), "sha256_digest": hashlib.sha256(MODEL).hexdigest()})
    )
    assert add_voice(NAME).name == NAME


def test_a_repository_without_an_index_still_gives_the_voice(repository: Repository, data_home: Path) -> None:
    repository.serve(index_bytes=None)
    assert add_voice(NAME).model == data_home / f"{NAME}.onnx"


def test_an_unknown_name_is_refused_with_the_closest_names(repository: Repository, data_home: Path) -> None:
    repository.serve(index_bytes=index())
    with pytest.raises(EngineError, match=f"no voice 'fr_FR-brume-high'; did you mean {NAME}"):
        add_voice("fr_FR-brume-high")
    assert leftovers(data_home) == []


def test_a_transfer_cut_short_keeps_nothing(repository: Repository, data_home: Path) -> None:
    repository.serve(index_bytes=None)
    repository.short.add(f"/piper/{FOLDER}/{NAME}.onnx")
    with pytest.raises(NetworkError, match="broke off"):
        add_voice(NAME)
    assert leftovers(data_home) == []


def test_a_config_that_is_not_a_piper_config_is_refused(repository: Repository, data_home: Path) -> None:
    repository.serve(config=b"<html>Sign in to continue</html>", index_bytes=None)
    with pytest.raises(EngineError, match="not valid JSON"):
        add_voice(NAME)
    assert leftovers(data_home) == []


def test_offline_is_one_clear_line(
    data_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv(voices.VOICES_URL_VARIABLE, f"http://127.0.0.1:{port}/piper")
    assert main(["voices", "add", NAME]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1
    assert err[0].startswith("listen: cannot reach the Piper voice repository at 127.0.0.1") and "offline" in err[0]
    assert leftovers(data_home) == []


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("fr_FR-siwis-medium", "fr/fr_FR/siwis/medium/fr_FR-siwis-medium.onnx"),
        ("ca_ES-upc_ona-x_low", "ca/ca_ES/upc_ona/x_low/ca_ES-upc_ona-x_low.onnx"),
        ("en_GB-alan-low", "en/en_GB/alan/low/en_GB-alan-low.onnx"),
    ],
)
def test_voice_urls_follow_the_piper_repository_layout(name: str, path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(voices.VOICES_URL_VARIABLE, raising=False)
    model, config = voices.voice_url(name)
    assert model == f"https://huggingface.co/rhasspy/piper-voices/resolve/main/{path}"
    assert config == model + ".json"


@pytest.mark.parametrize("name", ["french", "fr-siwis-medium", "fr_FR-siwis", "fr_FR-siwis-ultra", "../../etc-x-low"])
def test_a_malformed_name_is_refused_before_any_request(
    name: str, data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["voices", "add", name]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not a Piper voice name" in err
    assert not data_home.exists()
