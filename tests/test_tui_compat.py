"""Textual's private names listen uses are all in tui/compat.py; when a Textual release moves
one, this fails and names it, before a user finds a reader that no longer shows its cursor."""

from __future__ import annotations

import ast
import asyncio
import inspect
from pathlib import Path

import pytest
from textual.app import App
from textual.driver import Driver
from textual.drivers.headless_driver import HeadlessDriver

from listen.tui import compat

TUI = Path(compat.__file__).parent


def instance_of(owner: type) -> object:
    """A real instance, made without running anything: instance attributes are set in __init__."""
    app = App()
    if owner is App:
        return app
    if owner is Driver:

        async def make() -> Driver:  # a driver takes the running loop
            return HeadlessDriver(app)

        return asyncio.run(make())
    raise AssertionError(f"no instance recipe for {owner.__name__}")


@pytest.mark.parametrize(
    ("owner", "name"), compat.PRIVATE_NAMES, ids=[f"{owner.__name__}.{name}" for owner, name in compat.PRIVATE_NAMES]
)
def test_each_private_textual_name_listen_uses_still_exists(owner: type, name: str) -> None:
    where = instance_of(owner) if (owner, name) in compat.INSTANCE_ATTRIBUTES else owner
    assert hasattr(where, name), (
        f"Textual no longer has {owner.__name__}.{name}, which listen uses in tui/compat.py; "
        "find its new name or a public replacement there."
    )


def test_the_gutter_hook_listen_overrides_is_still_called_by_textual() -> None:
    source = inspect.getsource(inspect.getmodule(compat.OptionList))  # type: ignore[arg-type]
    assert "self._get_left_gutter_width()" in source, (
        "Textual's OptionList no longer calls _get_left_gutter_width(); ChoiceList's '> ' marker "
        "would be drawn over the options' text (tui/compat.py GutterOptionList)."
    )


def private_textual_uses(path: Path) -> list[str]:
    """`x._name` reads and `textual._module` imports in one module, other than the names that
    module defines itself (its functions, methods, and the attributes and names it assigns)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    for node in ast.walk(tree):
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        for target in targets:
            for one in target.elts if isinstance(target, ast.Tuple) else [target]:
                if isinstance(one, ast.Attribute):
                    own.add(one.attr)
                elif isinstance(one, ast.Name):
                    own.add(one.id)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("textual"):
            parts = node.module.split(".") + [alias.name for alias in node.names]
            found += [f"{path.name}:{node.lineno} import {node.module}" for p in parts if p.startswith("_")]
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            if node.attr not in own:
                found.append(f"{path.name}:{node.lineno} .{node.attr}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("getattr", "hasattr"):
            name = node.args[1] if len(node.args) > 1 else None
            if isinstance(name, ast.Constant) and str(name.value).startswith("_") and name.value not in own:
                found.append(f"{path.name}:{node.lineno} {node.func.id} {name.value}")
    return found


def test_no_module_but_compat_reaches_into_textuals_private_names() -> None:
    uses = [use for path in sorted(TUI.rglob("*.py")) if path.name != "compat.py" for use in private_textual_uses(path)]
    assert uses == [], "private Textual names outside tui/compat.py: " + ", ".join(uses)
