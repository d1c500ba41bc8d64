"""Tone checks per reply length, on one core, without a database.

Builds replies of 500, 2,000 and 5,000 characters from the labelled set's
texts (tests/tone/data, flagged and clean sentences mixed as they come), in
Arabic and English, as a reply and as a letter, and times `tone.engine.check`
on each: the median, the 95th percentile and the slowest of N checks. The aim
is well under 20 ms for a 2,000-character reply. Prints a markdown table.
Usage: ``python bench/tone_bench.py [-n CHECKS]``.
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from tone.bank import PhraseBank  # noqa: E402
from tone.engine import check  # noqa: E402

TARGET_MS = 20.0
LENGTHS = (500, 2000, 5000)
TODAY = date(2026, 12, 7)
# A bank the size a department keeps, so suggestions cost what they will.
BANK = PhraseBank(
    [
        (language, kind, trigger, f"{language} {kind} wording {n}")
        for language in ("ar", "en")
        for kind in ("negative", "refusal", "promise", "vague_time", "jargon")
        for n, trigger in enumerate(["", "not", "لم", "we", "سن", "", "x", "y"] * 4)
    ]
)


def reply(language: str, length: int) -> str:
    path = ROOT / "tests" / "tone" / "data" / f"{language}.jsonl"
    texts = [json.loads(line)["text"] for line in path.read_text().splitlines()]
    out, index = "", 0
    while len(out) < length:
        out += texts[index % len(texts)] + " "
        index += 1
    return out[:length]


def measure(text: str, language: str, context: str, checks: int) -> list[float]:
    check(text, language=language, today=TODAY, context=context, bank=BANK)
    times = []
    for _ in range(checks):
        start = time.process_time()
        check(text, language=language, today=TODAY, context=context, bank=BANK)
        times.append((time.process_time() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", "--checks", type=int, default=200)
    args = parser.parse_args()
    print("| language | kind | characters | findings | median ms | p95 ms | max ms |")
    print("|---|---|---|---|---|---|---|")
    worst = 0.0
    for language in ("ar", "en"):
        for context in ("reply", "letter"):
            for length in LENGTHS:
                text = reply(language, length)
                found = len(
                    check(text, language=language, today=TODAY, context=context)
                )
                times = sorted(measure(text, language, context, args.checks))
                p95 = times[int(len(times) * 0.95) - 1]
                if length == 2000:
                    worst = max(worst, p95)
                print(
                    f"| {language} | {context} | {length:,} | {found} | "
                    f"{statistics.median(times):.2f} | {p95:.2f} | {times[-1]:.2f} |"
                )
    verdict = "met" if worst < TARGET_MS else "MISSED"
    print(
        f"\n2,000 characters, slowest p95: {worst:.2f} ms "
        f"(target {TARGET_MS:.0f} ms: {verdict})"
    )


if __name__ == "__main__":
    main()
