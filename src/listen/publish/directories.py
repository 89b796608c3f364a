"""What podcast directories (Apple Podcasts, Podcast Index and the apps that read them) check.

`listen publish` writes a valid feed whatever it is given; this module says what a
directory would still refuse, so the publisher can warn (and `--strict` can stop) before
anyone submits the feed and waits days for a rejection. The checks follow Apple Podcasts'
published feed requirements, which are the strictest: a category from Apple's list, an
owner e-mail address, artwork that is a square JPEG or PNG of 1400–3000 px, a language,
and the explicit flag. Podcast Index takes any valid RSS with enclosures.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from listen.errors import UsageError

# Apple Podcasts' categories and subcategories (the list Apple has used since 2019).
APPLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"),
    "Business": ("Careers", "Entrepreneurship", "Investing", "Management", "Marketing", "Non-Profit"),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "History": (),
    "Health & Fitness": ("Alternative Health", "Fitness", "Medicine", "Mental Health", "Nutrition", "Sexuality"),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": (
        "Animation & Manga",
        "Automotive",
        "Aviation",
        "Crafts",
        "Games",
        "Hobbies",
        "Home & Garden",
        "Video Games",
    ),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": (
        "Business News",
        "Daily News",
        "Entertainment News",
        "News Commentary",
        "Politics",
        "Sports News",
        "Tech News",
    ),
    "Religion & Spirituality": ("Buddhism", "Christianity", "Hinduism", "Islam", "Judaism", "Religion", "Spirituality"),
    "Science": (
        "Astronomy",
        "Chemistry",
        "Earth Sciences",
        "Life Sciences",
        "Mathematics",
        "Natural Sciences",
        "Nature",
        "Physics",
        "Social Sciences",
    ),
    "Society & Culture": ("Documentary", "Personal Journals", "Philosophy", "Places & Travel", "Relationships"),
    "Sports": (
        "Baseball",
        "Basketball",
        "Cricket",
        "Fantasy Sports",
        "Football",
        "Golf",
        "Hockey",
        "Rugby",
        "Running",
        "Soccer",
        "Swimming",
        "Tennis",
        "Volleyball",
        "Wilderness",
        "Wrestling",
    ),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"),
}

IMAGE_MIN_PX, IMAGE_MAX_PX = 1400, 3000
IMAGE_FORMATS = ("JPEG", "PNG")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class Category:
    """An Apple Podcasts category, with a subcategory or not."""

    name: str
    sub: str = ""

    def __str__(self) -> str:
        return f"{self.name} > {self.sub}" if self.sub else self.name


def all_categories() -> list[str]:
    """Every category as `--category` accepts it: 'Science' and 'Science > Astronomy'."""
    names: list[str] = []
    for name, subs in APPLE_CATEGORIES.items():
        names.append(name)
        names.extend(f"{name} > {sub}" for sub in subs)
    return names


def parse_category(text: str) -> Category:
    """'News', 'News > Tech News', 'news/tech news' or just 'Tech News' → a Category.

    Case and the separator ('>', '/' or ':') do not matter; an unknown name stops the run
    with the closest names Apple knows.
    """
    wanted = " ".join(text.replace("&amp;", "&").split())
    parts = [p.strip() for p in re.split(r"\s*[>/:]\s*", wanted) if p.strip()]
    by_lower = {name.lower(): name for name in APPLE_CATEGORIES}
    if len(parts) == 1:
        top = by_lower.get(parts[0].lower())
        if top:
            return Category(top)
        for name, subs in APPLE_CATEGORIES.items():  # a subcategory alone names its parent
            sub = next((s for s in subs if s.lower() == parts[0].lower()), None)
            if sub:
                return Category(name, sub)
    elif len(parts) == 2 and parts[0].lower() in by_lower:
        top = by_lower[parts[0].lower()]
        sub = next((s for s in APPLE_CATEGORIES[top] if s.lower() == parts[1].lower()), None)
        if sub:
            return Category(top, sub)
    near = difflib.get_close_matches(wanted, all_categories(), n=3, cutoff=0.5)
    near += [c for c in difflib.get_close_matches(wanted.title(), all_categories(), n=3, cutoff=0.5) if c not in near]
    hint = f" Did you mean {', '.join(repr(n) for n in near[:3])}?" if near else ""
    raise UsageError(
        f"--category {text!r} is not an Apple Podcasts category.{hint} "
        "(e.g. 'News > Tech News'; see 'listen publish --help'.)"
    )


def image_problems(path: Path) -> list[str]:
    """What a directory would say about this artwork: format, shape and size."""
    try:
        with Image.open(path) as image:
            kind, (width, height), mode = image.format, image.size, image.mode
    except (OSError, UnidentifiedImageError) as exc:
        raise UsageError(f"--image {path} cannot be read as a picture ({exc}); give a JPEG or PNG file.") from exc
    problems = []
    if kind not in IMAGE_FORMATS:
        problems.append(f"the cover {path.name} is {kind or 'not an image'}, but directories take only JPEG or PNG")
    if width != height:
        problems.append(f"the cover {path.name} is {width}×{height}; directories want a square")
    if min(width, height) < IMAGE_MIN_PX or max(width, height) > IMAGE_MAX_PX:
        problems.append(
            f"the cover {path.name} is {width}×{height} px; directories want {IMAGE_MIN_PX}–{IMAGE_MAX_PX} px a side"
        )
    if mode not in ("RGB", "L", "P"):
        problems.append(f"the cover {path.name} is in {mode} colours; Apple asks for RGB")
    return problems


@dataclass(frozen=True)
class Readiness:
    """What the feed carries that directories look at; `problems()` lists what they would refuse."""

    category: Category | None
    owner_email: str
    owner_name: str
    author: str
    image_problems: tuple[str, ...]
    has_image: bool
    episodes: int

    def problems(self) -> list[str]:
        found = []
        if self.category is None:
            found.append("no category: Apple Podcasts requires one (--category, e.g. 'News > Tech News')")
        if not self.owner_email:
            found.append("no owner e-mail: Apple Podcasts requires one to verify the show (--owner-email)")
        elif not _EMAIL.fullmatch(self.owner_email):
            found.append(f"the owner e-mail {self.owner_email!r} does not look like an address")
        if not self.author:
            found.append("no author: Apple Podcasts shows one under the title (--author)")
        if not self.has_image:
            found.append("no cover image")
        found.extend(self.image_problems)
        if self.episodes == 0:
            found.append("no episodes: directories refuse an empty feed")
        return found
