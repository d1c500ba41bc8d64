"""Ids and numbers typed into addresses, headers and forms.

`str.isdigit` is true of "¹" and "²", which `int` refuses, and of a
hundred-digit run, which no database column holds: either would reach the
database or crash. An id is ASCII digits that fit a bigint."""

# Enough for any bigint id (9,223,372,036,854,775,807 has 19 digits).
MAX_DIGITS = 18


def whole_number(text: str, *, max_digits: int = MAX_DIGITS) -> int | None:
    """The number `text` writes in ASCII digits, at most `max_digits` of
    them; None for anything else."""
    if not text.isascii() or not text.isdigit() or len(text) > max_digits:
        return None
    return int(text)
