"""`manage.py check_tone`: one text a line in, one JSON object a line out."""

import io
import json

import pytest
import time_machine
from django.core.management import call_command


def run(lang: str, text: str, *args) -> list[dict]:
    out = io.StringIO()
    call_command(
        "check_tone", "--lang", lang, *args, stdin=io.StringIO(text), stdout=out
    )
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.django_db
def test_each_line_gets_its_own_findings_with_offsets_in_that_line():
    lines = run("ar", "شكرًا لصبرك.\nهذا مُستَحِيل، ولم تقم بالدفع.\n")

    assert lines[0] == {"findings": []}
    found = [(f["kind"], f["start"], f["end"]) for f in lines[1]["findings"]]
    assert found == [("negative", 4, 13), ("negative", 16, 29)]
    assert lines[1]["findings"][0]["message"]  # why, in Arabic
    assert "ما يمكننا فعله هو" in lines[1]["findings"][0]["suggestions"]


@pytest.mark.django_db
def test_a_promise_dated_in_the_past_is_flagged_against_today():
    with time_machine.travel("2026-12-07 09:00 +03:00", tick=False):
        (late,) = run("en", "We will refund you by 1 December.\n")
        (fine,) = run("en", "We will refund you by 9 December.\n")

    assert [f["kind"] for f in late["findings"]] == ["promise"]
    assert fine == {"findings": []}


@pytest.mark.django_db
def test_letters_are_checked_for_a_greeting_and_a_closing():
    (letter,) = run("en", "Your card is on its way.\n", "--context", "letter")

    assert [f["kind"] for f in letter["findings"]] == ["greeting", "closing"]
