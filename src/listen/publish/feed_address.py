"""The feed as served: its published addresses replaced by the one this listener reached us at.

`listen publish` writes the feed with --base-url; a podcast app on the local network must be
sent to this server instead, under the very name (Host) it used to reach it.
"""

from __future__ import annotations

import re

HOST_PATTERN = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?")
SELF_LINK = re.compile(rb'<atom:link href="(https?://[^"<>\s]+/feed\.xml)" rel="self"')


def feed_for_address(feed: bytes, address: str) -> bytes:
    """The published feed with its --base-url replaced by `address` (http://host:port/), so a
    podcast app on the local network fetches the episodes, artwork, chapters and transcripts
    from this server. The base is read from the feed's own rel="self" link; a feed without
    one is served as it is. Guids are not addresses (feed.episode_guid), so a listener who
    subscribed to the published feed does not get the episodes twice."""
    match = SELF_LINK.search(feed)
    if match is None:
        return feed
    base = match.group(1)[: -len(b"feed.xml")]
    return feed.replace(base, address.encode("ascii"))


def served_address(host: str | None, local: tuple) -> str:
    """The address this listener reached us at: the Host it asked for when that is a plain
    host[:port], else `local`, the local address of its connection."""
    host = (host or "").strip()
    if not HOST_PATTERN.fullmatch(host):
        name, port = local[:2]
        host = f"[{name}]:{port}" if ":" in name else f"{name}:{port}"
    return f"http://{host}/"
