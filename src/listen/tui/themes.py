"""The reader's themes. Each names its own highlight colours, so a contrast check has one
place to look; the high-contrast theme keeps every pair of colours at 7:1 or more (WCAG AAA).
"""

from __future__ import annotations

from textual.theme import Theme

THEMES = (
    Theme(
        name="listen-dark",
        primary="#5FAFFF",
        accent="#FFD75F",
        foreground="#E4E4E4",
        background="#121212",
        surface="#1C1C1C",
        panel="#262626",
        boost="#303030",
        dark=True,
        variables={"listen-highlight": "#FFD75F", "listen-on-highlight": "#000000"},
    ),
    Theme(
        name="listen-light",
        primary="#005FAF",
        accent="#00005F",
        foreground="#121212",
        background="#FAFAFA",
        surface="#F0F0F0",
        panel="#E4E4E4",
        boost="#DADADA",
        dark=False,
        variables={"listen-highlight": "#00005F", "listen-on-highlight": "#FFFFFF"},
    ),
    Theme(
        name="listen-high-contrast",
        primary="#FFFF00",
        accent="#FFFF00",
        foreground="#FFFFFF",
        background="#000000",
        surface="#000000",
        panel="#000000",
        boost="#000000",
        dark=True,
        variables={"listen-highlight": "#FFFF00", "listen-on-highlight": "#000000"},
    ),
)

NAMES = tuple(theme.name for theme in THEMES)
DEFAULT = "listen-dark"
