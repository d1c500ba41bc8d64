from knowledge.rendering import article_html, article_plain_text


def test_paragraphs_lists_and_headings_from_plain_text():
    html = article_html(
        "## Before you start\n\nHave your number.\nIt is on the bill.\n\n"
        "- one\n- two\n\n1. first\n2. second"
    )

    assert html == (
        '<h2 class="h5">Before you start</h2>'
        "<p>Have your number.<br>It is on the bill.</p>"
        "<ul><li>one</li><li>two</li></ul>"
        "<ol><li>first</li><li>second</li></ol>"
    )


def test_what_staff_type_is_escaped_and_links_become_links():
    html = article_html("<script>x</script> see https://example.com/help")

    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="https://example.com/help"' in html


def test_plain_text_for_a_reply_starts_with_the_title():
    assert (
        article_plain_text("Refunds", "## Steps\nAsk us.")
        == "Refunds\n\nSteps\nAsk us."
    )
