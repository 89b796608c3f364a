"""Language detection answers as py3langid does, whether its model comes from the package
or from listen's cache folder, and a damaged cache is rebuilt rather than trusted."""

from __future__ import annotations

from pathlib import Path

import py3langid
import pytest

from listen.articles import language

SAMPLES = [
    "The night bus skipped our stop again, so we walked home along the canal in the rain.",
    "Le boulanger du coin ferme le lundi, alors nous achetons le pain la veille au soir.",
    "Der Zug nach Norden fiel heute aus, und niemand auf dem Bahnsteig wusste warum.",
    "La biblioteca del barrio abre los domingos por la tarde desde el mes pasado.",
    "Il mercato del sabato ha perso metà dei banchi dopo l'aumento degli affitti.",
    "De fietsenmaker aan de overkant repareert nu ook elektrische steps en scooters.",
    "O barco das sete chegou atrasado porque o nevoeiro cobria todo o rio.",
    "Kirjasto on suljettu remontin ajan, mutta lainat voi palauttaa postin kautta.",
    "Ночной автобус снова не остановился, и мы пошли домой пешком.",
    "Der  er  ikke  mere  kaffe  i  kantinen  før  på  mandag.",
    "ok so the ferry is late AGAIN lol see u at 6?? bring snacks",
]


def _cache_folder(root: Path) -> Path:
    [folder] = (root / "listen" / "langid").iterdir()
    return folder


@pytest.fixture
def fresh(isolated_dirs: Path):
    language.identifier.cache_clear()
    yield isolated_dirs / "xdg_cache_home"
    language.identifier.cache_clear()


@pytest.mark.parametrize("text", SAMPLES)
def test_detect_matches_py3langid_cold_and_warm(fresh: Path, text: str) -> None:
    expected, _ = py3langid.classify(text)
    assert language.detect(text) == expected  # decompressed from the package, cache written
    language.identifier.cache_clear()
    assert (_cache_folder(fresh) / "ptc.npy").exists()
    assert language.detect(text) == expected  # mapped from the cache


def test_scores_from_the_cache_equal_py3langid_scores(fresh: Path) -> None:
    language.identifier()
    language.identifier.cache_clear()
    cached = language.identifier()
    for text in SAMPLES:
        assert cached.rank(text) == py3langid.rank(text)


def test_a_damaged_cache_is_rebuilt_not_trusted(fresh: Path) -> None:
    language.detect(SAMPLES[1])
    folder = _cache_folder(fresh)
    table = folder / "ptc.npy"
    table.write_bytes(table.read_bytes()[:1000])  # cut short, as a full disk might leave it
    language.identifier.cache_clear()
    with pytest.raises(ValueError):
        language._read(folder)
    assert language.detect(SAMPLES[1]) == "fr"
    assert len(language._read(folder)["ptc"]) > 1000  # written again, whole


def test_an_unwritable_cache_folder_still_detects(fresh: Path) -> None:
    fresh.mkdir(parents=True, exist_ok=True)
    (fresh / "listen").write_text("a file where the folder should be")
    assert language.detect(SAMPLES[2]) == "de"


def test_declared_language_needs_no_model(fresh: Path) -> None:
    assert language.language_of("en-GB", "Le boulanger du coin ferme le lundi, alors nous achetons.") == "en"
    assert language.identifier.cache_info().currsize == 0
