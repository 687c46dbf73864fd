"""Records: a roster row as a tuple of canonical values, from storage and back.

The importer and the services compare records field by field, so stored rows
are brought into exactly the form validation produces.
"""

from __future__ import annotations

import json
from typing import Any

from server.rosters.columns import OBJECTS, Lookups, RosterKind
from server.rosters.rules import json_list_text

JSON_TEXT_FIELDS = frozenset({"licences", "tags"})
"""Object fields held as JSON text (Text columns), see `InspectionObject`."""


def _canonical_json_list(text: str) -> str:
    return json_list_text(json.loads(text)) if text else "[]"


def stored_record(kind: RosterKind, row: dict[str, Any]) -> tuple[Any, ...]:
    """The record of a stored row (items and inspectors need `department_code` selected)."""
    if kind is OBJECTS:
        return tuple(
            _canonical_json_list(row[name]) if name in JSON_TEXT_FIELDS else row[name]
            for name in kind.fields
        )
    return tuple(
        row["department_code"] if name == "department" else row[name] for name in kind.fields
    )


def display(kind: RosterKind, name: str, value: Any) -> Any:
    """A value as change records and API answers show it (JSON text as a list)."""
    if kind is OBJECTS and name in JSON_TEXT_FIELDS:
        return json.loads(value)
    return value


def changes_between(
    kind: RosterKind, old: tuple[Any, ...], new: tuple[Any, ...]
) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field that differs."""
    return {
        name: [display(kind, name, was), display(kind, name, now)]
        for name, was, now in zip(kind.fields, old, new, strict=True)
        if was != now
    }


def db_values(
    kind: RosterKind, record: tuple[Any, ...], lookups: Lookups, names: Any = None
) -> dict[str, Any]:
    """Column values to store (department codes become ids); `names` limits the fields."""
    values = dict(zip(kind.fields, record, strict=True))
    if "department" in values:
        values["department"] = lookups.departments[values["department"]]
    if names is not None:
        values = {name: values[name] for name in names}
    return values
