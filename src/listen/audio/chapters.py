"""Chapter marks in milliseconds, computed from sample counts.

The rule, used by the ID3 CHAP frames and both sidecars alike:

- a chapter starts at floor(first_sample × 1000 / SAMPLE_RATE) ms — the sample count of
  everything before it, never a sum of rounded block lengths, so no error accumulates;
  flooring means seeking to a mark lands at or just before the chapter's first sample and
  never clips its first word;
- a chapter ends where the next one starts, and the last one ends at the total length
  rounded up, so the marks are contiguous and cover every sample.

Three chapters of 22063 samples (1000.59 ms) each give 0, 1000, 2001 and an end at 3002 ms,
where summing rounded lengths would give 0, 1001, 2002, 3003.
"""

from __future__ import annotations

from listen.audio.pcm import samples_to_ms, samples_to_ms_ceil
from listen.manifest import ChapterMark  # the manifest owns the type: one ChapterMark from the encoder to the page


def chapter_marks(starts: tuple[tuple[str, int], ...], total_samples: int) -> tuple[ChapterMark, ...]:
    """Marks for chapters given as (title, first sample), in order, by the rule above."""
    ends = [first for _, first in starts[1:]]
    marks = []
    for number, ((title, first), end) in enumerate(zip(starts, [*ends, None]), start=1):
        end_ms = samples_to_ms(end) if end is not None else samples_to_ms_ceil(total_samples)
        marks.append(ChapterMark(clean_title(title) or f"Chapter {number}", samples_to_ms(first), end_ms))
    return tuple(marks)


def element_ids(marks: tuple[ChapterMark, ...]) -> list[str]:
    """The CHAP element ids, 'chp0', 'chp1', …, in chapter order."""
    return [f"chp{i}" for i in range(len(marks))]


def clean_title(title: str) -> str:
    """One line of text: players, JSON chapter lists and VTT cues all expect a single line."""
    return " ".join(str(title).split())
