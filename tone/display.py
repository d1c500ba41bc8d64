"""A checked text cut into plain and marked pieces, for the mirror the
composer lays under its box (the marks show through where findings are)."""

from .engine import Finding


def pieces(text: str, findings: list[Finding]) -> list[tuple[str, int | None]]:
    """(text, finding number or None) in order; where findings overlap, the
    mark runs to the end of the last one and carries the first's number."""
    out: list[tuple[str, int | None]] = []
    position = 0
    marks = sorted(
        (finding.start, finding.end, number)
        for number, finding in enumerate(findings)
        if finding.end > finding.start
    )
    for start, end, number in marks:
        if end <= position:
            continue
        start = max(start, position)
        if start > position:
            out.append((text[position:start], None))
        out.append((text[start:end], number))
        position = end
    if position < len(text):
        out.append((text[position:], None))
    return out
