"""Following the app's privacy curtain and library from a screen or a widget.

`node.watch(app, "privacy", …)` leaves the watcher, and through it the whole node and everything
it holds, with the app until the watched value next changes: only then does Textual let go of the
watchers of nodes that have gone. A capture dialog opened thirty times in a meeting stayed thirty
times in memory (5.5 MiB) until the curtain moved. `follow` watches the same way, after letting
go of the watchers of every node that has gone, so at most the last screen closed waits for the
next one to open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from textual.dom import DOMNode


def follow(node: DOMNode, attribute: Literal["privacy", "library"], callback: Callable[..., Any], *,
           init: bool = True) -> None:
    """Call `callback` when the app's `attribute` changes (and now, with `init`), as `node.watch`."""
    let_go_of_gone(node.app)
    node.watch(node.app, attribute, callback, init=init)


def let_go_of_gone(app: DOMNode) -> None:
    """Drop the app's watchers held for nodes that have closed, as Textual does when the watched
    value changes (the same test, on its list: the `__watchers` attribute of the watched object)."""
    for watchers in getattr(app, "__watchers", {}).values():
        watchers[:] = [(owner, callback) for owner, callback in watchers if not owner._closing]
