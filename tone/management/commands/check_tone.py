"""Check the tone of texts, one a line: `check_tone --lang ar < replies.txt`."""

import json
import sys

from django.core.management.base import BaseCommand
from django.utils import timezone, translation

from tone.engine import CONTEXTS, check
from tone.phrases import phrase_bank


class Command(BaseCommand):
    stealth_options = ("stdin",)
    help = (
        "Read one text per line on standard input and print one JSON object per "
        'line: {"findings": [{"kind", "start", "end", "message", "suggestions"}]}, '
        "offsets in characters of that line."
    )

    def add_arguments(self, parser):
        parser.add_argument("--lang", choices=["ar", "en"], required=True)
        parser.add_argument(
            "--context",
            choices=CONTEXTS,
            default="reply",
            help="reply (default), letter (greeting and closing checked) or memo",
        )

    def handle(self, *args, lang, context, **options):
        bank = phrase_bank()
        today = timezone.localdate()
        stdin = options.get("stdin") or sys.stdin
        # The messages are read in the language of the texts.
        with translation.override(lang):
            for line in stdin:
                text = line.rstrip("\r\n")
                findings = check(
                    text, language=lang, context=context, today=today, bank=bank
                )
                self.stdout.write(
                    json.dumps(
                        {"findings": [finding.as_dict() for finding in findings]},
                        ensure_ascii=False,
                    )
                )
