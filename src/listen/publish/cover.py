"""The default podcast cover: the feed's title in large, high-contrast letters on a square.

Podcast directories refuse a feed without artwork, and listeners pick a show from a grid of
small squares, so the cover is 3000×3000 (the largest size directories take, which they
scale down well), near-white letters on a near-black field (contrast about 17:1), the title
wrapped on word boundaries and sized as large as fits. Pillow draws it; a bold system font
(DejaVu Sans, which covers Latin, Greek and Cyrillic) is used when there is one, else the
font Pillow bundles. The PNG depends only on the title and the font, so rebuilding gives
the same bytes.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, PngImagePlugin

from listen.atomic import atomic_path

COVER_SIZE = 3000
COVER_NAME = "listen-cover.png"  # not cover.png: that name holds a copied --image
BACKGROUND = (18, 18, 18)
FOREGROUND = (243, 243, 243)
MARGIN = 240  # px kept clear on every side: apps round the corners and overlay badges
FONT_FILES = ("DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def write_cover(title: str, dest: Path) -> Path:
    """Draw the cover for `title` and write it atomically to `dest` (a .png); return `dest`.

    The title goes into the PNG's text too, so `drawn_for` can tell a later run that the
    cover is already the right one (drawing it takes about a second)."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Title", title)
    with atomic_path(dest) as tmp:
        cover_image(title).save(tmp, format="PNG", optimize=True, pnginfo=info)
    return dest


def drawn_for(path: Path) -> str | None:
    """The title a cover written by `write_cover` shows; None if there is no such file."""
    try:
        with Image.open(path) as image:
            title = image.info.get("Title")
    except (OSError, ValueError):
        return None
    return title if isinstance(title, str) else None


def cover_image(title: str) -> Image.Image:
    """The cover as an RGB image, COVER_SIZE square."""
    image = Image.new("RGB", (COVER_SIZE, COVER_SIZE), BACKGROUND)
    draw = ImageDraw.Draw(image)
    words = " ".join(title.split()) or "Narrated articles"
    lines, font, spacing = _fitted(draw, words)
    text = "\n".join(lines)
    box = draw.multiline_textbbox((0, 0), text, font=font, spacing=spacing, align="center")
    x = (COVER_SIZE - (box[2] - box[0])) // 2 - box[0]
    y = (COVER_SIZE - (box[3] - box[1])) // 2 - box[1]
    draw.multiline_text((x, y), text, font=font, fill=FOREGROUND, spacing=spacing, align="center")
    return image


def _fitted(draw: ImageDraw.ImageDraw, words: str) -> tuple[list[str], Font, int]:
    """The largest font size (and its line breaks) at which the title fits inside the margins."""
    room = COVER_SIZE - 2 * MARGIN
    for size in range(640, 40, -20):
        font = _font(size)
        spacing = size // 5
        for width in range(8, 41, 2):  # characters per line: fewer lines first, as large as fits
            lines = textwrap.wrap(words, width=width, break_long_words=True) or [words]
            box = draw.multiline_textbbox((0, 0), "\n".join(lines), font=font, spacing=spacing, align="center")
            if box[2] - box[0] <= room and box[3] - box[1] <= room:
                return lines, font, spacing
    font = _font(40)
    return textwrap.wrap(words, width=60) or [words], font, 8


def _font(size: int) -> Font:
    for name in FONT_FILES:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)
