"""Filling a canned response's placeholders: pure, no database."""

import re

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(body: str, values: dict[str, str]) -> str:
    """`body` with each known {placeholder} replaced; unknown ones stay as typed."""
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), body)
