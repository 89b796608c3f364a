"""The reader's themes. Each names its own highlight colours, so a contrast check has one
place to look.

The three high-contrast themes (high-contrast-dark, high-contrast-light, yellow-on-black)
keep every pair of text and background colours at 7:1 or more (WCAG AAA), including focus,
selection, find hits, the current paragraph, the footer and the status line; and whatever
has focus is drawn inverted, so it differs from its unfocused self by far more than 3:1.
tests/test_a11y_contrast.py measures every cell of every screen in each of them.
Colour is never the only sign: the selected row and current paragraph are also marked in
text, and find hits are underlined.
"""

from __future__ import annotations

from textual.theme import Theme


def high_contrast(name: str, foreground: str, background: str, highlight: str, on_highlight: str) -> Theme:
    """A theme of two colours plus an inverted highlight: nothing half-tone, nothing tinted."""
    dark = background == "#000000"
    return Theme(
        name=name,
        primary=foreground,
        secondary=foreground,
        accent=foreground,
        warning=foreground,
        error=foreground,
        success=foreground,
        foreground=foreground,
        background=background,
        surface=background,
        panel=background,
        boost=background,
        dark=dark,
        variables={
            "listen-highlight": highlight,
            "listen-on-highlight": on_highlight,
            "listen-current": highlight,
            "listen-on-current": on_highlight,
            "text-disabled": foreground,  # placeholders: told apart by being italic, not dimmer
            "text-muted": foreground,
            "input-cursor-background": foreground,
            "input-cursor-foreground": background,
            "input-selection-background": highlight,
            "input-selection-foreground": on_highlight,
            "border": foreground,
            "border-blurred": foreground,
            "scrollbar": foreground,
            "scrollbar-hover": foreground,
            "scrollbar-active": foreground,
            "scrollbar-background": background,
            "scrollbar-background-hover": background,
            "scrollbar-background-active": background,
            "scrollbar-corner-color": background,
            "block-cursor-background": highlight,
            "block-cursor-foreground": on_highlight,
            "block-cursor-blurred-background": foreground,
            "block-cursor-blurred-foreground": background,
            "block-hover-background": background,
            "footer-background": background,
            "footer-foreground": foreground,
        },
    )


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
        variables={
            "listen-highlight": "#FFD75F",
            "listen-on-highlight": "#000000",
            "listen-current": "#303030",
            "listen-on-current": "#E4E4E4",
        },
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
        variables={
            "listen-highlight": "#00005F",
            "listen-on-highlight": "#FFFFFF",
            "listen-current": "#DADADA",
            "listen-on-current": "#121212",
        },
    ),
    high_contrast("high-contrast-dark", "#FFFFFF", "#000000", "#FFFF00", "#000000"),
    high_contrast("high-contrast-light", "#000000", "#FFFFFF", "#00005F", "#FFFFFF"),
    high_contrast("yellow-on-black", "#FFFF00", "#000000", "#FFFF00", "#000000"),
)

NAMES = tuple(theme.name for theme in THEMES)
HIGH_CONTRAST = ("high-contrast-dark", "high-contrast-light", "yellow-on-black")
DEFAULT = "listen-dark"
ALIASES = {"listen-high-contrast": "high-contrast-dark"}  # the name saved by earlier versions


def canonical(name: str) -> str:
    """The theme a saved or typed name means now; an unknown one falls back to the default."""
    name = ALIASES.get(name, name)
    return name if name in NAMES else DEFAULT
