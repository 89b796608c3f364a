"""Settings, saved as they change: theme, text size, screen-reader mode, self-voicing, engine, voice, rate.

On/off settings are choices that read "On" or "Off" rather than switches: a switch shows its
state only as a picture, which a screen reader cannot read.

In screen-reader mode the settings are one list, one setting a line ("Text size: Normal"),
read one at a time (item_list.py): Up and Down move, Left and Right (or Enter) change the
value in place, so the reader hears the new value on the same line; no drop-down opens, and
nothing else on the screen changes. The engine and voice are typed: Enter opens a one-line
box for them, and Ctrl+G closes that box only.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from listen.errors import ListenError
from listen.speech.engines.base import ENGINE_NAMES
from listen.state import ReaderSettings
from listen.tui import themes
from listen.tui.bindings import dialog_bindings
from listen.tui.screens.base import ListenModalScreen
from listen.tui.listening import RATES
from listen.tui.screens.voices import TYPE_ONE, VoiceChoice, VoiceScreen
from listen.tui.widgets.item_list import ItemList
from listen.tui.widgets.key_hints import KeyHints
from listen.tui.widgets.status_line import StatusLine

SIZES = (("Normal", "normal"), ("Large (letters 5 rows tall)", "large"), ("Larger (letters 7 rows tall)", "larger"))
ON_OFF = (("On", True), ("Off", False))

# Screen-reader mode's list: (field, label, choices); no choices: the value is typed.
ROWS: tuple[tuple[str, str, tuple[tuple[str, object], ...]], ...] = (
    ("theme", "Theme", tuple((name, name) for name in themes.NAMES)),
    ("text_size", "Text size", SIZES),
    ("screen_reader", "Screen-reader mode", ON_OFF),
    ("self_voicing", "Speak announcements", ON_OFF),
    ("rate", "Speaking rate", tuple((f"{rate:g}×", rate) for rate in RATES)),
    ("engine", "Speech engine", (("auto", "auto"), *((name, name) for name in ENGINE_NAMES))),
    ("voice", "Voice", ()),
)


def setting_line(field: str, value: object) -> str:
    """'Text size: Normal': a setting and its value as one line, as it is read."""
    label, choices = next((label, choices) for name, label, choices in ROWS if name == field)
    shown = next((name for name, choice in choices if choice == value), None)
    if shown is None:
        shown = str(value) if value not in ("", None) else "default"
    return f"{label}: {shown}"


def next_value(field: str, value: object, step: int) -> object:
    """The choice after (or before) `value`, round the list: Left and Right cycle a setting."""
    choices = [choice for name, label, options in ROWS if name == field for _, choice in options]
    if not choices:
        return value
    if field == "rate":
        value = min(choices, key=lambda r: abs(float(r) - float(value)))  # type: ignore[arg-type]
    index = choices.index(value) if value in choices else -step
    return choices[(index + step) % len(choices)]


def with_setting(settings: ReaderSettings, field: str, value: object) -> ReaderSettings:
    """`settings` with one field changed by name (each row of this screen names its field;
    `replace` refuses a name ReaderSettings does not have)."""
    changes: dict[str, Any] = {field: value}
    return replace(settings, **changes)


class SettingsScreen(ListenModalScreen[None]):
    KEY_SCOPE = "settings"
    BINDINGS = dialog_bindings("settings")

    def compose(self) -> ComposeResult:
        settings = self.app.settings
        if settings.screen_reader or self.app.large_text:  # one at a time; in large text, big letters
            with Vertical(classes="dialog-area"), Vertical(classes="dialog", id="settings-list"):
                yield ItemList([setting_line(field, getattr(settings, field)) for field, _, _ in ROWS], id="rows")
                yield Input(id="typed", classes="-hidden")
            yield StatusLine()
            yield KeyHints(self.KEY_SCOPE)
            return
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
            yield Button("Choose from the installed voices…", id="pick-voice")  # voices.py
            yield Label("Speaking rate")
            rate = min(RATES, key=lambda r: abs(r - settings.rate))
            yield Select([(f"{r:g}×", r) for r in RATES], value=rate, allow_blank=False, id="rate")
        yield StatusLine()
        yield KeyHints(self.KEY_SCOPE)

    def on_mount(self) -> None:
        if self.app.settings.screen_reader or self.app.large_text:
            self.query_one("#rows").focus()
            self.app.announce(f"Settings, {len(ROWS)} in all; Left and Right change a setting, Ctrl+G closes")
            return
        self.query_one("#theme").focus()
        self.app.announce("Settings; Tab moves between them, Escape closes")

    # Screen-reader mode: one list ------------------------------------------------------

    @property
    def rows(self) -> ItemList:
        return self.query_one("#rows", ItemList)

    def current_field(self) -> str:
        return ROWS[self.rows.highlighted or 0][0]

    def action_cycle(self, step: int) -> None:
        """Left, Right: the next value of the setting in focus, said on its own line."""
        if not self.query("#rows") or self.focused is not self.rows:  # the form: a drop-down has focus
            self.app.announce("Left and Right change a setting in the list; in this form, Enter opens its choices")
            return
        field = self.current_field()
        if not next((choices for name, _, choices in ROWS if name == field)):
            return
        value = next_value(field, getattr(self.app.settings, field), step)
        self.app.apply_settings(with_setting(self.app.settings, field, value))
        self.rows.show(text=setting_line(field, value))

    def on_item_list_chosen(self, event: ItemList.Chosen) -> None:
        event.stop()
        field = self.current_field()
        if next((choices for name, _, choices in ROWS if name == field)):
            self.action_cycle(1)
            return
        if field == "voice":
            self.pick_voice()
            return
        self.open_box(field)

    def open_box(self, field: str) -> None:
        box = self.query_one("#typed", Input)
        box.value = str(getattr(self.app.settings, field))
        box.remove_class("-hidden")
        box.focus()
        self.app.announce(f"Type the {field}, then Enter; Ctrl+G keeps it as it was")

    def close_box(self) -> None:
        box = self.query_one("#typed", Input)
        box.add_class("-hidden")
        self.rows.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "typed":
            return
        field = self.current_field()
        value = event.value.strip() or ("auto" if field == "engine" else "")
        self.close_box()
        if value != getattr(self.app.settings, field):
            self.app.apply_settings(with_setting(self.app.settings, field, value))
        self.rows.show(text=setting_line(field, value))

    def change(self, field: str, value: object, spoken: str) -> None:
        if getattr(self.app.settings, field) == value:
            return
        self.app.apply_settings(with_setting(self.app.settings, field, value))
        self.app.announce(spoken)

    def on_select_changed(self, event: Select.Changed) -> None:
        field = event.select.id or ""
        if field == "rate" and isinstance(event.value, float):
            self.change("rate", event.value, f"Speaking rate {event.value:g}×")
        elif field in ("theme", "text_size"):
            self.change(field, str(event.value), f"{field.replace('_', ' ').capitalize()}: {event.value}")
        elif field == "screen_reader":
            self.change(field, bool(event.value), f"Screen-reader mode {'on' if event.value else 'off'}")
        elif field == "self_voicing":
            self.change(field, bool(event.value), f"Speaking announcements {'on' if event.value else 'off'}")

    def on_input_changed(self, event: Input.Changed) -> None:
        field = event.input.id or ""  # the form's boxes save as they change; "typed" on Enter
        if field in ("engine", "voice"):
            value = event.value.strip() or ("auto" if field == "engine" else "")
            self.change(field, value, f"{field.capitalize()}: {value or 'default'}")

    def action_close(self) -> None:
        """Ctrl+G or Escape: the innermost thing only (the typing box, else the settings)."""
        for select in self.query(Select):
            if select.expanded:  # a drop-down open (the sighted form): close it, keep the screen
                select.expanded = False
                select.focus()
                return
        boxes = self.query("#typed")
        if boxes and not boxes.first().has_class("-hidden"):
            self.close_box()
            self.app.announce(setting_line(self.current_field(), getattr(self.app.settings, self.current_field())))
            return
        self.dismiss(None)

    # The voice picker (voices.py) ----------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "pick-voice":
            event.stop()
            self.pick_voice()

    def pick_voice(self) -> None:
        """Enter on Voice: list the voices (a few seconds: espeak-ng is asked) off the UI thread."""
        self.app.announce("Finding the installed voices…")
        self.run_worker(self._list_voices, thread=True, exclusive=True, group="voices")

    def _list_voices(self) -> None:
        try:
            voices = self.app.services.voices()
        except ListenError as error:
            self.app.call_from_thread(self.app.announce, f"No voices to choose from: {error}")
            return
        settings = self.app.settings
        self.app.call_from_thread(
            self.app.push_screen, VoiceScreen(voices, settings.engine, settings.voice), self._voice_chosen
        )

    def _voice_chosen(self, choice: VoiceChoice | str | None) -> None:
        if choice == TYPE_ONE:
            if self.query("#rows"):
                self.open_box("voice")
            else:
                self.query_one("#voice", Input).focus()
                self.app.announce("Type the voice, a name or a Piper model path")
            return
        if not isinstance(choice, VoiceChoice):
            self.app.announce(f"{setting_line('voice', self.app.settings.voice)}, unchanged")
            return
        self.app.apply_settings(replace(self.app.settings, engine=choice.engine, voice=choice.voice))
        if self.query("#rows"):
            for index, (field, _, _) in enumerate(ROWS):
                if field in ("engine", "voice"):
                    self.rows.items[index] = setting_line(field, getattr(self.app.settings, field))
            self.rows.show()
        else:
            self.query_one("#engine", Input).value = choice.engine
            self.query_one("#voice", Input).value = choice.voice
        self.app.announce(f"Voice: {choice.spoken}")
