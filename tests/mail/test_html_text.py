"""Plain text from HTML-only mail."""

from mail.html_text import html_to_text


def test_paragraphs_breaks_and_list_items_become_lines():
    html = "<p>One</p><p>Two<br>Three</p><ul><li>Four</li><li>Five</li></ul>"

    assert html_to_text(html) == "One\nTwo\nThree\nFour\nFive"


def test_entities_are_decoded_and_white_space_collapsed():
    assert (
        html_to_text("<p>a &amp;   b&nbsp;&lt;c&gt;\n d &#1593;</p>") == "a & b <c> d ع"
    )


def test_scripts_styles_and_the_head_are_dropped():
    html = (
        "<head><title>T</title><style>p{}</style></head><script>x()</script><p>ok</p>"
    )

    assert html_to_text(html) == "ok"


def test_blockquotes_are_marked_as_quotes():
    html = "<p>new</p><div>On Mon, X wrote:</div><blockquote><p>old</p></blockquote>"

    assert html_to_text(html) == "new\nOn Mon, X wrote:\n> old"


def test_broken_markup_gives_what_it_can():
    assert html_to_text("<p>unclosed <b>bold <div>and <<<>>> more") == (
        "unclosed bold\nand <<<>>> more"
    )
