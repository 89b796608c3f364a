"""Pilot test: Ctrl+O in the library fetches a page from a local site (127.0.0.1 only) through
listen.articles.sources, caches it, and opens it in the reader."""

from __future__ import annotations

from pathlib import Path

from sources_site import TOPICS, article_page, no_other_hosts, paragraphs, site  # noqa: F401  (fixtures)
from tui_support import make_app, pilot_test, settle, wait_for

from listen.tui.screens.reader import ReaderScreen


@pilot_test
async def test_ctrl_o_fetches_the_page_caches_it_and_opens_it(tmp_path: Path, site) -> None:  # noqa: F811
    title, _, lede = TOPICS[0]
    site.page("/news/night-bus.html", article_page(title, lede, paragraphs(4, 1)))
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o", *site.url("/gone.html"), "enter")
        await wait_for(lambda: "not found (404)" in app.status_text, pilot, timeout=15)
        assert app.status_text == f"{site.url('/gone.html')}: not found (404); check the address."
        await pilot.press("ctrl+o", *site.url("/news/night-bus.html"), "enter")
        try:
            await wait_for(lambda: isinstance(app.screen, ReaderScreen), pilot, timeout=15)
        except AssertionError:
            raise AssertionError(list(app.announcements)) from None
        await settle(pilot)
        assert app.status_text.startswith("Opened: The night bus learns a new route")
        assert "tannery" in " ".join(block.text for block in app.screen.blocks)
        assert Path(app.screen.key).is_file(), "read from the cached copy"
