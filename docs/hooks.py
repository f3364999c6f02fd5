"""MkDocs hooks: the settings reference, written from the settings' own definitions (config.py),
so that it cannot drift from them."""

from __future__ import annotations

import json

from audiogen.config import allowed, reference

MARKER = "<!-- settings reference -->"


def toml(value) -> str:
    """A default as audiogen.toml writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (tuple, list)):
        return json.dumps(list(value))
    if isinstance(value, dict):
        return "{}"
    return json.dumps(value, ensure_ascii=False)


def settings_table() -> str:
    rows = ["| Setting | Default | Allowed | What it does |", "|---|---|---|---|"]
    for name, default, text in reference():
        rows.append(f"| `{name}` | `{toml(default)}` | {allowed(name)} | {text} |")
    return "\n".join(rows)


def on_page_markdown(markdown: str, page, config, files) -> str:
    return markdown.replace(MARKER, settings_table()) if MARKER in markdown else markdown
