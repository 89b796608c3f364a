"""Text is data, never terminal control: what may reach a terminal, a feed or a page.

An article title holding ESC ] 52 ; c ; … wrote the clipboard when it was printed; OSC 0
retitled the terminal; an ESC or U+FFFE in a title crashed `publish` halfway, leaving
index.html and feed.xml disagreeing. Article text is loaded clean (articles/text.py), but
file names, manifests and older data are not, so every output boundary passes text through
`printable` once more: whole escape sequences (CSI, OSC, DCS, SOS, PM, APC and two-byte
ESC sequences) go, then every C0 and C1 control but newline and tab, the bidi embeddings,
overrides and isolates that can make a name read as another, the non-characters
(U+FDD0..U+FDEF and U+xFFFE/U+xFFFF, invalid in XML), and lone surrogates (file names that
were not UTF-8), which become U+FFFD so that printing them cannot fail.
"""

from __future__ import annotations

import re

# ESC [ … final byte; ESC ] … (BEL or ST); ESC P/X/^/_ … ST; any other ESC + one character.
# The 8-bit forms (CSI U+009B, OSC U+009D, DCS U+0090, …) are removed as C1 controls below,
# their parameters left as harmless text.
_SEQUENCES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, up to BEL or ST (or the end)
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC, up to ST (or the end)
    r"|\x1b[!-/]*[0-~]?"  # any other escape (ESC c, ESC ( B, …); a lone ESC alone
)
_BIDI = "\u202a-\u202e\u2066-\u2069"  # embeddings, overrides, isolates
_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)
)
_CONTROLS = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}{_NONCHARACTERS}]")
_SURROGATES = re.compile("[\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` without terminal controls, bidi overrides or non-characters; newline and tab kept."""
    if text.isprintable():  # the common case, at C speed
        return text
    text = _SEQUENCES.sub("", text)
    text = _CONTROLS.sub("", text)
    return _SURROGATES.sub("\ufffd", text)
