"""Every error a user can cause, in one place.

A ListenError carries one line that says what happened and what to do. The CLI prints it
to stderr without a traceback and exits with `exit_code`; the TUI shows it in its status line.
Lower-level errors are translated at the boundary with ``raise ... from``.
"""

from __future__ import annotations


class ListenError(Exception):
    """A problem the user can fix; str(error) is the one line they see."""

    exit_code = 1


class UsageError(ListenError):
    """The command line asked for something impossible (bad option, bad combination)."""

    exit_code = 2


class ArticleError(ListenError):
    """An article could not be read: missing, empty, binary, undecodable or an unknown format."""


class EngineError(ListenError):
    """A speech engine is missing, has no fitting voice, or failed on some text."""


class NetworkError(EngineError):
    """An online engine could not reach its service (no network, timeouts, rate limits)."""


class OutputError(ListenError):
    """Output could not be written (disk full, no permission); nothing partial is left."""


class DiskFullError(OutputError):
    """The disk filled up while writing; a batch stops rather than fail every article after."""


class ManifestError(ListenError):
    """A narrated folder's manifest.json is missing, damaged or names files that are not there."""


class FetchError(ArticleError):
    """A page or feed could not be fetched (offline, refused, not found, not text, too large, TLS)."""
