"""Precision and recall on the labelled set (tests/tone/quality.py): printed
as a table, and the build fails below precision 0.85 or recall 0.70 overall,
in either language."""

from tests.tone import quality

MIN_PRECISION = 0.85
MIN_RECALL = 0.70


def test_each_language_has_at_least_300_labelled_texts_of_every_kind():
    for language in ("en", "ar"):
        items = quality.items(language)
        assert len(items) >= 300
        labelled = {span["kind"] for item in items for span in item["spans"]}
        assert labelled == set(quality.kinds.KINDS)
        assert sum(not item["spans"] for item in items) >= 100  # clean texts too


def test_precision_and_recall_reach_the_bar_in_both_languages(capsys):
    report = quality.table()
    with capsys.disabled():
        print("\n" + report)

    for language in ("en", "ar"):
        scores, mistakes = quality.score(language)
        total = quality.overall(scores)
        assert total.precision >= MIN_PRECISION, mistakes
        assert total.recall >= MIN_RECALL, mistakes
