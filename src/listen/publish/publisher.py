"""`listen publish`: turn a folder the batch builder filled into something listeners can use.

Transcripts are written first, then index.html, then feed.xml, each atomically, so a podcast
app that fetches the feed mid-run never finds an episode whose page is not there yet.

Before anything is written, what podcast directories would refuse (directories.py) is
worked out: it is returned as warnings, or with `strict` stops the run with nothing written.
Without --image a cover is drawn from the title (cover.py), so the feed always has artwork.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from pathlib import Path


from listen.atomic import atomic_path, clean_leftovers, write_text
from listen.controls import printable
from listen.errors import UsageError
from listen.publish.cover import COVER_NAME, drawn_for, write_cover
from listen.publish.directories import Readiness, image_problems, parse_category
from listen.publish.feed import build_feed, published
from listen.manifest import read_manifest
from listen.publish.page import TRANSCRIPT_FOLDER, render_index, render_transcript, transcript_name
from listen.publish.site import Site, checked_base_url
from listen.publish.transcript import Loader, load_transcript

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")  # what podcast apps accept as artwork


@dataclass(frozen=True)
class PublishResult:
    """What a run wrote, for the one line the command prints."""

    folder: Path
    articles: int
    transcripts: int
    manifest_only: tuple[str, ...]  # slugs whose transcript holds only the manifest's summary
    problems: tuple[str, ...] = ()  # what podcast directories would refuse

    def summary(self) -> str:
        noun = "article" if self.articles == 1 else "articles"
        line = (
            f"Published {self.articles} {noun} to {self.folder}/: feed.xml, index.html, "
            f"{self.transcripts} transcript{'' if self.transcripts == 1 else 's'}"
        )
        if self.manifest_only:
            line += f" ({len(self.manifest_only)} from the manifest only: source text not found)"
        return line + "."


def publish(
    folder: Path,
    base_url: str | None,
    *,
    title: str = "",
    author: str = "",
    image: Path | None = None,
    load: Loader | None = None,
    owner_name: str = "",
    owner_email: str = "",
    category: str = "",
    explicit: bool = False,
    strict: bool = False,
) -> PublishResult:
    """Write feed.xml, index.html and transcripts/SLUG.html into `folder` from its manifest.

    With `strict`, anything a podcast directory would refuse raises a UsageError first.
    """
    folder = Path(folder)
    site = Site(
        base_url=checked_base_url(base_url),
        title=" ".join(title.split()) or Site.title,
        author=author.strip(),
        owner_name=owner_name.strip(),
        owner_email=owner_email.strip(),
        category=parse_category(category) if category.strip() else None,
        explicit=explicit,
    )
    manifest = read_manifest(folder)
    if image is not None:
        _check_image_file(Path(image))
    readiness = Readiness(
        category=site.category,
        owner_email=site.owner_email,
        owner_name=site.owner_name,
        author=site.author,
        image_problems=tuple(image_problems(Path(image))) if image is not None else (),
        has_image=True,
        episodes=len(manifest.entries),
    )
    problems = tuple(readiness.problems())
    if strict and problems:
        raise UsageError(
            f"Podcast directories would refuse this feed ({'; '.join(problems)}); "
            "nothing was published (fix these, or drop --strict)."
        )
    clean_leftovers(folder)
    placed = _place_image(Path(image), folder) if image is not None else _default_cover(folder, site.title)
    site = replace(site, image=placed)
    entries = sorted(manifest.entries, key=lambda e: (published(e, folder), e.slug), reverse=True)
    transcripts = [load_transcript(entry, folder, load) for entry in entries]
    for transcript in transcripts:
        write_text(folder / transcript_name(transcript.entry), printable(render_transcript(transcript, site)))
    _remove_stale_transcripts(folder, {transcript_name(e) for e in entries})
    write_text(folder / "index.html", printable(render_index(entries, site)))
    write_text(folder / "feed.xml", printable(build_feed(entries, site, folder)))
    return PublishResult(
        folder=folder,
        articles=len(entries),
        transcripts=len(transcripts),
        manifest_only=tuple(t.entry.slug for t in transcripts if not t.complete),
        problems=problems,
    )


def _default_cover(folder: Path, title: str) -> str:
    """Draw the title cover into the folder, unless the one there was drawn for this title."""
    if drawn_for(folder / COVER_NAME) != title:
        write_cover(title, folder / COVER_NAME)
    return COVER_NAME


def _check_image_file(image: Path) -> None:
    if image.suffix.lower() not in IMAGE_SUFFIXES:
        raise UsageError(f"--image {image} is not a JPEG or PNG file; podcast apps need one of those.")
    if not image.is_file():
        raise UsageError(f"--image {image} does not exist; give the path of a JPEG or PNG file.")


def _place_image(image: Path, folder: Path) -> str:
    """Copy the artwork into the folder (unless it is already there); return its name there."""
    try:
        return image.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        pass
    name = "cover" + image.suffix.lower()
    with atomic_path(folder / name) as tmp:
        shutil.copyfile(image, tmp)
    return name


def _remove_stale_transcripts(folder: Path, keep: set[str]) -> None:
    """Transcripts of articles no longer in the manifest would be orphans nobody links to."""
    for page in (folder / TRANSCRIPT_FOLDER).glob("*.html"):
        if f"{TRANSCRIPT_FOLDER}/{page.name}" not in keep:
            page.unlink(missing_ok=True)
    clean_leftovers(folder / TRANSCRIPT_FOLDER)
