"""`coach history`, `coach show`, `coach export`: past meetings from the shell, without Textual."""

from __future__ import annotations

import argparse


def add_history_commands(commands: argparse._SubParsersAction) -> None:
    """Register the history subcommands (they arrive with the history work)."""
