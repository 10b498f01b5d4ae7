"""The footer: the keys that matter most right now, as many as fit, and the palette's key last.

Textual's `Footer` lays its keys out as widgets in a scrolling row and docks the palette's key
over its right end: when the keys do not fit, what is under the palette's cell shows through
its padding (`^p palettef`) and the last key is cut (`^q Q▏`). This bar is one line of text
laid out here: keys are dropped whole from the end of the screen's list until the rest fit, so
no label is ever cut, and the palette hint is always the last cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from msgspec import Struct
from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import RenderResult
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget

from screens.commands import key_label

GAPS = (2, 1)
"""Blank cells between two keys: two where that leaves out no key, else one."""
PALETTE_ACTIONS = {"command_palette"}


class Cell(Struct, frozen=True):
    """One key in the bar: what to press and what it does."""

    key: str
    """The key as Textual names it (what a click on the cell presses)."""
    shown: str
    label: str
    enabled: bool = True

    @property
    def width(self) -> int:
        return cell_len(self.shown) + 1 + cell_len(self.label)


def fit(cells: Sequence[Cell], last: Cell | None, width: int, gap: int) -> list[Cell]:
    """The first of `cells` that fit in `width` with `last` after them, dropping whole cells from
    the end (the order is the priority)."""
    room = width - (last.width + gap if last is not None else 0)
    kept: list[Cell] = []
    used = 0
    for cell in cells:
        used += cell.width + (gap if kept else 0)
        if used > room:
            break
        kept.append(cell)
    return kept


def layout(cells: Sequence[Cell], last: Cell | None, width: int) -> list[tuple[int, Cell]]:
    """Each shown cell with its first column: the kept cells from the left, `last` flush right."""
    wide, narrow = (fit(cells, last, width, gap) for gap in GAPS)
    gap, kept = (GAPS[0], wide) if len(wide) == len(narrow) else (GAPS[1], narrow)
    placed: list[tuple[int, Cell]] = []
    x = 0
    for cell in kept:
        placed.append((x, cell))
        x += cell.width + gap
    if last is not None and last.width <= width:
        placed.append((width - last.width, last))
    return placed


def screen_cells(screen: Screen) -> tuple[list[Cell], Cell | None]:
    """The keys a screen shows (its own first, in its `ACTIONS` order, then the app's) and the
    palette's key."""
    app = screen.app
    ranked: list[tuple[tuple[int, int], Cell]] = []
    actions: set[str] = set()
    nodes: dict[DOMNode, int] = {}
    palette: Cell | None = None
    for key, active in screen.active_bindings.items():
        binding = active.binding
        action = binding.action.removeprefix("app.")  # a screen's `q` for app.quit is the app's ctrl+q's twin
        if not binding.show or action in actions or action in PALETTE_ACTIONS:
            continue
        actions.add(action)
        # Bindings a node inherits (the App's own ctrl+q) come first in its map: its ACTIONS say the order.
        declared = [a.action for a in getattr(active.node, "ACTIONS", ())]
        rank = declared.index(binding.action) if binding.action in declared else len(declared)
        shown = binding.key_display or key_label(key, compact=True)
        ranked.append(((nodes.setdefault(active.node, len(nodes)), rank),
                       Cell(key, shown, binding.description, active.enabled)))
    cells = [cell for _, cell in sorted(ranked, key=lambda item: item[0])]
    if app.ENABLE_COMMAND_PALETTE and app.use_command_palette:
        key = app.COMMAND_PALETTE_BINDING
        palette = Cell(key, app.COMMAND_PALETTE_DISPLAY or key_label(key, compact=True), "palette")
    return cells, palette


class KeyBar(Widget, can_focus=False):
    """The footer of every coach screen."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--label"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        &> .key-bar--key {
            color: $footer-key-foreground;
            text-style: bold;
        }
        &> .key-bar--label {
            color: $footer-description-foreground;
        }
    }
    """

    _placed: list[tuple[int, Cell]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: Screen) -> None:
        self.refresh()

    def shown(self) -> list[Cell]:
        """The cells on screen now, left to right (the palette's last)."""
        cells, palette = screen_cells(self.screen)
        return [cell for _, cell in layout(cells, palette, self.size.width)]

    def render(self) -> RenderResult:
        cells, palette = screen_cells(self.screen)
        self._placed = layout(cells, palette, self.size.width)
        return self._draw(self._placed)

    def _draw(self, placed: Iterable[tuple[int, Cell]]) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        label_style = self.get_component_rich_style("key-bar--label")
        text = Text(no_wrap=True, overflow="crop", end="")
        for x, cell in placed:
            text.append(" " * (x - text.cell_len))
            dim = Style(dim=not cell.enabled)
            text.append(cell.shown, key_style + dim)
            text.append(" ")
            text.append(cell.label, label_style + dim)
        return text

    def on_click(self, event: events.Click) -> None:
        """A click on a key presses it."""
        for x, cell in self._placed:
            if x <= event.x < x + cell.width and cell.enabled:
                self.app.simulate_key(cell.key)
                return
