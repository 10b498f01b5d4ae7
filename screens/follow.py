"""Following the app's privacy curtain and library from a screen or a widget.

`node.watch(app, "privacy", …)` leaves the watcher, and through it the whole node and everything
it holds, with the app until the watched value next changes: only then does Textual let go of the
watchers of nodes that have gone. A capture dialog opened thirty times in a meeting stayed thirty
times in memory (5.5 MiB) until the curtain moved. `follow` watches the same way, after letting
go of the watchers of every node that has gone or whose screen has left the app's stack, so at
most the last screen closed waits for the next one to open.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal

from textual.dom import DOMNode
from textual.screen import Screen


def follow(node: DOMNode, attribute: Literal["privacy", "library"], callback: Callable[..., Any], *,
           init: bool = True) -> None:
    """Call `callback` when the app's `attribute` changes (and now, with `init`), as `node.watch`."""
    let_go_of_gone(node.app)
    node.watch(node.app, attribute, callback, init=init)


def let_go_of_gone(app: DOMNode) -> None:
    """Drop the app's watchers held for nodes that have closed, as Textual does when the watched
    value changes (its test, on its list: the `__watchers` attribute of the watched object), and
    for nodes of a screen no longer on the app's stack (prep, as the meeting replacing it opens)."""
    stack = getattr(app, "screen_stack", ())
    for watchers in getattr(app, "__watchers", {}).values():
        watchers[:] = [(owner, callback) for owner, callback in watchers
                       if not owner._closing and on_the_stack(owner, stack)]


def on_the_stack(node: DOMNode, stack: Sequence[DOMNode]) -> bool:
    """Whether `node` is the app itself, or a screen on its stack, or a widget of one."""
    if node is node.app:
        return True
    try:
        screen = node if isinstance(node, Screen) else node.screen
    except Exception:  # not on any screen (NoScreen): gone
        return False
    return screen in stack
