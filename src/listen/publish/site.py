"""What the listener sees as the publication: its name, owner, artwork and public address."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from listen.errors import UsageError
from listen.publish.directories import Category


@dataclass(frozen=True)
class Site:
    """The settings `listen publish` was given; the feed and the pages read the same ones."""

    base_url: str
    title: str = "Narrated articles"
    author: str = ""
    image: str = ""  # a file name inside the published folder, or ""
    owner_name: str = ""
    owner_email: str = ""
    category: Category | None = None
    explicit: bool = False

    def url(self, name: str) -> str:
        """The absolute address of a file in the published folder, as podcast apps need it."""
        return self.base_url + quote(name)


def checked_base_url(url: str | None) -> str:
    """An http(s) address ending in '/', so file names can simply be appended."""
    if not url:
        raise UsageError("publish needs --base-url, the address listeners will fetch the files from.")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"--base-url {url!r} is not an http(s) address; try --base-url https://example.org/audio/.")
    if parts.query or parts.fragment:
        raise UsageError(f"--base-url {url!r} has a query or fragment; give just the folder's address.")
    return url.strip().rstrip("/") + "/"
