"""Precision and recall of the tone checks on the labelled set.

The set (tests/tone/data/{en,ar}.jsonl) was written for the project: replies
and letters from customer-service situations, each with the spans a careful
supervisor would flag, and many that should not be flagged. A finding counts
as right when a labelled span of the same kind overlaps it (a missing
greeting or closing: when the text is labelled as missing it). Each labelled
span is matched at most once.

Run `python -m tests.tone.quality` for the table the README shows.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tone import kinds
from tone.engine import check

DATA = Path(__file__).parent / "data"
# The day the set's dates are read against ("the refund by 1 December" is late).
TODAY = date(2026, 12, 7)
WHOLE_TEXT = {kinds.GREETING, kinds.CLOSING}
# "tuning": the texts the rules were refined against; "held-out": written
# after the rules were settled and never tuned on.
SPLITS = ("tuning", "held-out")


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        labelled = self.true_positives + self.false_negatives
        return self.true_positives / labelled if labelled else 1.0

    def add(self, other: Score) -> None:
        self.true_positives += other.true_positives
        self.false_positives += other.false_positives
        self.false_negatives += other.false_negatives


def items(language: str) -> list[dict]:
    path = DATA / f"{language}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _overlaps(finding, span) -> bool:
    if finding.kind in WHOLE_TEXT:
        return True
    return finding.start < span["end"] and span["start"] < finding.end


def score(
    language: str, split: str | None = None
) -> tuple[dict[str, Score], list[str]]:
    """Scores per kind for `language` (on one `split` of the set, or all of
    it), and the disagreements in words."""
    scores = {kind: Score() for kind in kinds.KINDS}
    mistakes = []
    for item in items(language):
        if split and item["split"] != split:
            continue
        findings = check(
            item["text"], language=language, today=TODAY, context=item["context"]
        )
        unmatched = list(item["spans"])
        for finding in findings:
            match = next(
                (
                    span
                    for span in unmatched
                    if span["kind"] == finding.kind and _overlaps(finding, span)
                ),
                None,
            )
            if match is None:
                scores[finding.kind].false_positives += 1
                text = item["text"][finding.start : finding.end]
                mistakes.append(f"{item['id']} extra {finding.kind}: {text!r}")
            else:
                unmatched.remove(match)
                scores[finding.kind].true_positives += 1
        for span in unmatched:
            scores[span["kind"]].false_negatives += 1
            mistakes.append(f"{item['id']} missed {span['kind']}: {span['text']!r}")
    return scores, mistakes


def overall(scores: dict[str, Score]) -> Score:
    total = Score()
    for part in scores.values():
        total.add(part)
    return total


def table() -> str:
    """The report as a Markdown table: per kind and language, then overall."""
    results = {language: score(language)[0] for language in ("en", "ar")}
    sizes = {language: len(items(language)) for language in results}
    rows = [
        "| kind | English P | English R | Arabic P | Arabic R | labelled (en/ar) |",
        "|---|---|---|---|---|---|",
    ]

    def cells(part: Score) -> str:
        return f"{part.precision:.2f} | {part.recall:.2f}"

    for kind in kinds.KINDS:
        en, ar = results["en"][kind], results["ar"][kind]
        labelled = (
            f"{en.true_positives + en.false_negatives}/"
            f"{ar.true_positives + ar.false_negatives}"
        )
        rows.append(f"| {kind} | {cells(en)} | {cells(ar)} | {labelled} |")
    for split in SPLITS:
        en, ar = (overall(score(language, split)[0]) for language in ("en", "ar"))
        count = "/".join(
            str(sum(item["split"] == split for item in items(language)))
            for language in ("en", "ar")
        )
        rows.append(
            f"| {split} texts only | {cells(en)} | {cells(ar)} | {count} texts |"
        )
    en, ar = overall(results["en"]), overall(results["ar"])
    rows.append(
        f"| **overall** | **{en.precision:.2f}** | **{en.recall:.2f}** | "
        f"**{ar.precision:.2f}** | **{ar.recall:.2f}** | "
        f"{sizes['en']}/{sizes['ar']} texts |"
    )
    return "\n".join(rows)


def counts() -> Counter:
    return Counter(
        span["kind"]
        for language in ("en", "ar")
        for item in items(language)
        for span in item["spans"]
    )


if __name__ == "__main__":
    import django

    django.setup()
    print(table())
    for language in ("en", "ar"):
        for line in score(language)[1]:
            print(line)
