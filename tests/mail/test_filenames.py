"""Attachment names from strangers, made safe."""

import pytest

from mail.filenames import MAX_LENGTH, safe_filename


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\x\\y.pdf", "y.pdf"),
        ("/tmp/", "attachment"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("\u2067report\u2069.pdf", "report.pdf"),
        ("a\u200eb\u200fc\u061cd.txt", "abcd.txt"),
        ("zero\u200b\u200c\u200d\u2060\ufeffwidth.pdf", "zerowidth.pdf"),
        ("bell\x07\x00\x1b.txt", "bell.txt"),
        (".htaccess", "htaccess"),
        ("...hidden", "hidden"),
        ("trailing. . ", "trailing"),
        ('what?<is>"this"|*.pdf', "what__is__this___.pdf"),
        ("CON.txt", "_CON.txt"),
        ("فاتورة نوفمبر.pdf", "فاتورة نوفمبر.pdf"),
        ("two   spaces\tand tab.pdf", "two spaces and tab.pdf"),
    ],
)
def test_names_are_made_safe(name, safe):
    assert safe_filename(name) == safe


@pytest.mark.parametrize(
    ("content_type", "safe"),
    [
        ("image/png", "attachment.png"),
        ("application/pdf", "attachment.pdf"),
        ("message/rfc822", "attachment.eml"),
        ("application/x-unheard-of", "attachment"),
        ("", "attachment"),
    ],
)
def test_an_empty_name_gets_one_from_the_content_type(content_type, safe):
    assert safe_filename(None, content_type) == safe
    assert safe_filename("\u202e\u200b", content_type) == safe


def test_a_long_name_is_cut_keeping_its_extension():
    safe = safe_filename("ف" * 300 + ".pdf")

    assert len(safe) == MAX_LENGTH
    assert safe.endswith("ف.pdf")
