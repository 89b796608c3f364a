"""Settings, saved as they change: theme, text size, screen-reader mode, self-voicing, engine, voice, rate.

On/off settings are choices that read "On" or "Off" rather than switches: a switch shows its
state only as a picture, which a screen reader cannot read.
"""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from listen.tui import themes
from listen.tui.bindings import bindings
from listen.tui.narration import RATES
from listen.tui.widgets.key_hints import KeyHints
from listen.tui.widgets.status_line import StatusLine

SIZES = (("Normal", "normal"), ("Large (letters 3 rows tall)", "large"), ("Larger", "larger"))
ON_OFF = (("On", True), ("Off", False))


class SettingsScreen(ModalScreen[None]):
    KEY_SCOPE = "settings"
    BINDINGS = bindings("settings")

    def compose(self) -> ComposeResult:
        settings = self.app.settings
        with Vertical(classes="dialog-area"), VerticalScroll(classes="dialog", id="settings-form"):
            yield Static("Settings", classes="dialog-title")
            yield Label("Theme")
            yield Select([(n, n) for n in themes.NAMES], value=settings.theme, allow_blank=False, id="theme")
            yield Label("Text size")
            yield Select(SIZES, value=settings.text_size, allow_blank=False, id="text_size")
            yield Label("Screen-reader mode")
            yield Select(ON_OFF, value=settings.screen_reader, allow_blank=False, id="screen_reader")
            yield Label("Speak announcements (Speech Dispatcher)")
            yield Select(ON_OFF, value=settings.self_voicing, allow_blank=False, id="self_voicing")
            yield Label("Speech engine (auto picks the best one installed)")
            yield Input(value=settings.engine, id="engine")
            yield Label("Voice (empty for the engine's default)")
            yield Input(value=settings.voice, id="voice")
            yield Label("Speaking rate")
            rate = min(RATES, key=lambda r: abs(r - settings.rate))
            yield Select([(f"{r:g}×", r) for r in RATES], value=rate, allow_blank=False, id="rate")
        yield StatusLine()
        yield KeyHints(self.KEY_SCOPE)

    def on_mount(self) -> None:
        self.query_one("#theme").focus()
        self.app.announce("Settings; Tab moves between them, Escape closes")

    def change(self, field: str, value: object, spoken: str) -> None:
        if getattr(self.app.settings, field) == value:
            return
        self.app.apply_settings(replace(self.app.settings, **{field: value}))
        self.app.announce(spoken)

    def on_select_changed(self, event: Select.Changed) -> None:
        field = event.select.id or ""
        if field == "rate":
            self.change("rate", float(event.value), f"Speaking rate {float(event.value):g}×")
        elif field in ("theme", "text_size"):
            self.change(field, str(event.value), f"{field.replace('_', ' ').capitalize()}: {event.value}")
        elif field == "screen_reader":
            self.change(field, bool(event.value), f"Screen-reader mode {'on' if event.value else 'off'}")
        elif field == "self_voicing":
            self.change(field, bool(event.value), f"Speaking announcements {'on' if event.value else 'off'}")

    def on_input_changed(self, event: Input.Changed) -> None:
        field = event.input.id or ""
        if field in ("engine", "voice"):
            value = event.value.strip() or ("auto" if field == "engine" else "")
            self.change(field, value, f"{field.capitalize()}: {value or 'default'}")

    def action_close(self) -> None:
        self.dismiss(None)
