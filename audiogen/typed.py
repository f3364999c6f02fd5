"""Untrusted data into the dataclasses audiogen works with, every field checked against its type.

A settings file (TOML) and a manifest an earlier build wrote (JSON) both come in as plain
tables; `typed` turns either into its dataclass or says, in a few words, which field is
wrong. Text is cleaned on the way in (characters.py), so nothing unspeakable or unprintable
gets past a loader.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

from .characters import clean

TYPE_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}


class Mistyped(ValueError):
    """A field that is not what its dataclass says: `name` (dotted, for nested tables) and why."""

    def __init__(self, name: str, reason: str):
        super().__init__(f"'{name}' {reason}")
        self.name, self.reason = name, reason


def typed(kind: type, data: object, table: str = "", unknown_allowed: bool = False):
    """A `kind` dataclass from `data`, a table (of table `table`, for nested ones). Names the
    dataclass does not have are refused, unless `unknown_allowed` (what a newer version wrote)."""
    if not isinstance(data, dict):
        raise Mistyped(table.rstrip(".") or kind.__name__, "must be a table")
    fields = {item.name: item for item in dataclasses.fields(kind)}
    unknown = sorted(set(data) - set(fields))
    if unknown and not unknown_allowed:
        raise Mistyped(f"{table}{unknown[0]}", "is not a name it knows")
    hints = typing.get_type_hints(kind)
    values = {}
    for name, item in fields.items():
        if name in data:
            values[name] = typed_value(hints[name], data[name], f"{table}{name}", unknown_allowed)
        elif item.default is dataclasses.MISSING and item.default_factory is dataclasses.MISSING:
            raise Mistyped(f"{table}{name}", "is missing")
    return kind(**values)


def typed_value(expected: Any, value: object, name: str, unknown_allowed: bool = False) -> Any:
    if dataclasses.is_dataclass(expected):
        return value if isinstance(value, expected) else typed(expected, value, f"{name}.", unknown_allowed)
    origin, arguments = typing.get_origin(expected), typing.get_args(expected)
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            raise Mistyped(name, f"must be a list, not {value!r}")
        return tuple(typed_value(arguments[0], item, name, unknown_allowed) for item in value)
    if origin is dict:
        if not isinstance(value, dict) or not all(isinstance(item, str) for item in value.values()):
            raise Mistyped(name, f'must be a table of text, as in [{name}] key = "text"')
        return {clean(str(key)): clean(item) for key, item in value.items()}
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, expected) or isinstance(value, bool) != (expected is bool):
        raise Mistyped(name, f"must be {TYPE_NAMES.get(expected, expected.__name__)}, not {value!r}")
    return clean(value) if isinstance(value, str) else value
