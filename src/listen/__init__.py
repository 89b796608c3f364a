"""listen: read articles in the terminal, by keyboard and screen reader, and narrate them to MP3."""

__version__ = "0.1.0"
