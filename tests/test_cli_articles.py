"""`listen show` and `listen list` as a user runs them: the installed command, in a subprocess."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

LISTEN = shutil.which("listen", path=str(Path(sys.executable).parent)) or "listen"
NEWS = 'Gulls Return To The Pier\n\n"Noisy, and welcome."\n\nThe gulls came\u00a0back on Sunday.\n\nSubscribe to our newsletter.\n'


def listen(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([LISTEN, *args], capture_output=True, text=True, cwd=cwd, timeout=60)


def test_show_prints_title_standfirst_and_clean_body(write) -> None:
    result = listen("show", str(write("gulls.txt", NEWS)))
    assert result.returncode == 0, result.stderr
    assert result.stdout == 'Gulls Return To The Pier\n\n"Noisy, and welcome."\n\nThe gulls came back on Sunday.\n'


def test_show_json_is_the_model(write) -> None:
    data = json.loads(listen("show", str(write("gulls.txt", NEWS)), "--format", "json").stdout)
    assert data["title"] == "Gulls Return To The Pier"
    assert data["standfirst"] == '"Noisy, and welcome."'
    assert data["language"] == "en"
    assert data["words"] == 14  # title 5 + standfirst 3 + body 6
    assert data["sections"] == [
        {"heading": "Gulls Return To The Pier", "level": 1, "paragraphs": ["The gulls came back on Sunday."]}
    ]


def test_show_markdown_can_be_shown_again(write, tmp_path: Path) -> None:
    md = listen("show", str(write("gulls.txt", NEWS)), "-f", "markdown").stdout
    again = tmp_path / "again.md"
    again.write_text(md, encoding="utf-8")
    first = json.loads(listen("show", str(tmp_path / "gulls.txt"), "-f", "json").stdout)
    second = json.loads(listen("show", str(again), "-f", "json").stdout)
    assert {k: v for k, v in first.items() if k != "path"} == {k: v for k, v in second.items() if k != "path"}


def test_list_prints_a_line_per_article_and_json(write, tmp_path: Path) -> None:
    write("gulls.txt", NEWS)
    write("sub/ferry.md", "# Ferry Times\n\nBoats leave hourly.")
    lines = listen("list", str(tmp_path)).stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("Ferry Times — 5 words, 1 min, en, ")
    rows = json.loads(listen("list", str(tmp_path), "--format", "json").stdout)
    assert [r["title"] for r in rows] == ["Ferry Times", "Gulls Return To The Pier"]


def test_list_marks_a_file_show_refuses_as_refused_with_why(write, tmp_path: Path) -> None:
    write("ferry.md", "# Ferry Times\n\nBoats leave hourly.")
    write("home.html", "<html><head><title>Home</title></head><body><nav><a href='/'>Home</a></nav></body></html>")
    lines = listen("list", str(tmp_path)).stdout.splitlines()
    assert lines[0].startswith("Ferry Times — 5 words, 1 min, en, ")
    assert lines[1].startswith("home.html — refused: no article text found in this page")
    assert not any("Home —" in line for line in lines)
    rows = json.loads(listen("list", str(tmp_path), "--format", "json").stdout)
    assert rows[1]["refused"].startswith("no article text found") and rows[1]["words"] == 0


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda w, t: t / "missing.txt", "no such file"),
        (lambda w, t: t, "is a folder"),
        (lambda w, t: w("empty.txt", " \n\n "), "is empty"),
        (lambda w, t: w("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8), "binary file"),
        (lambda w, t: w("bad16.txt", b"\xff\xfe" + b"\x00\xd8" + b"a\x00"), "not valid UTF-16"),
        (lambda w, t: w("slides.pptx", b"PK\x03\x04"), "listen reads plain text (.txt), Markdown (.md) or HTML"),
        (lambda w, t: w("page.html", "<html><body><nav>Home</nav></body></html>"), "no article text"),
    ],
    ids=["missing", "folder", "empty", "binary", "bad-utf16", "unknown-format", "no-content-html"],
)
def test_bad_input_is_one_line_on_stderr_and_exit_1(write, tmp_path: Path, make, message: str) -> None:
    result = listen("show", str(make(write, tmp_path)))
    assert result.returncode == 1
    assert result.stdout == ""
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_bad_option_is_one_line_and_exit_2(write) -> None:
    result = listen("show", str(write("gulls.txt", NEWS)), "--format", "pdf")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_list_of_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    result = listen("list", str(tmp_path / "nope"))
    assert result.returncode == 1 and result.stderr.count("\n") == 1


def test_a_command_imports_only_what_it_needs(write) -> None:
    """`listen show` must not pay for the reader, the narrator or the network stack."""
    code = (
        "import sys\n"
        "from listen.cli import main\n"
        f"main(['show', {str(write('gulls.txt', NEWS))!r}])\n"
        "print(sorted(m for m in ('textual', 'requests', 'gtts', 'distributed', 'listen.audio') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.splitlines()[-1] == "[]"


TITLE_PAGES = ("html-blog-site-title-h1", "html-es-glued-site", "html-ja-fullwidth-bar", "html-news-kicker-escaped")


def test_list_and_show_give_a_page_the_same_title_words_and_minutes(tmp_path: Path) -> None:
    """One summary (issue 11): the title the list shows is the one `show` prints and the
    narration opens with, the article's own, with no site name or kicker on it."""
    fixtures = Path(__file__).parent / "fixtures" / "fidelity"
    for name in TITLE_PAGES:
        shutil.copy(fixtures / f"{name}.html", tmp_path / f"{name}.html")
    rows = json.loads(listen("list", str(tmp_path), "--format", "json").stdout)
    assert len(rows) == len(TITLE_PAGES)
    for row in rows:
        page = Path(row["path"])
        shown = json.loads(listen("show", str(page), "--format", "json").stdout)
        wanted = json.loads((fixtures / f"{page.stem}.expected.json").read_text(encoding="utf-8"))["title"]
        assert (row["title"], row["words"], row["minutes"]) == (wanted, shown["words"], shown["listening_minutes"])
        assert shown["title"] == wanted
        script = listen("show", str(page), "--format", "script").stdout.splitlines()
        assert script[0].endswith(f": {wanted}")
