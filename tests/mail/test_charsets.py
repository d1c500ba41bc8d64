"""Decoding mail text: trusted when the bytes fit the label, guessed and
flagged when they do not."""

import pytest

from mail.charsets import decode

ARABIC = "الفاتورة لم تصل بعد، أرجو إرسالها مرة أخرى."
FRENCH = "Je n'ai pas reçu la facture de décembre, merci."


@pytest.mark.parametrize(
    ("data", "declared", "text", "uncertain"),
    [
        (ARABIC.encode(), "utf-8", ARABIC, False),
        (ARABIC.encode(), "UTF8", ARABIC, False),
        (ARABIC.encode(), None, ARABIC, False),  # no label: UTF-8 is usual
        (ARABIC.encode("cp1256"), "windows-1256", ARABIC, False),
        (ARABIC.encode("iso-8859-6"), "ISO-8859-6", ARABIC, False),
        (ARABIC.encode("iso-8859-6"), '"arabic"', ARABIC, False),
        (FRENCH.encode("latin-1"), "iso-8859-1", FRENCH, False),
        (FRENCH.encode("cp1252"), "windows-1252", FRENCH, False),
        (b"plain ascii", "x-unknown", "plain ascii", False),
        # Mislabelled: the bytes decide, and the guess is flagged.
        (ARABIC.encode("cp1256"), "iso-8859-1", ARABIC, True),
        (ARABIC.encode("iso-8859-6"), "iso-8859-1", ARABIC, True),
        (ARABIC.encode("cp1256"), "us-ascii", ARABIC, True),
        (ARABIC.encode("cp1256"), "utf-8", ARABIC, True),
        (ARABIC.encode(), "iso-8859-1", ARABIC, True),
        (ARABIC.encode("cp1256"), "x-unknown", ARABIC, True),
        (ARABIC.encode("iso-8859-6"), "foo", ARABIC, True),
        (ARABIC.encode("cp1256"), None, ARABIC, True),
    ],
)
def test_text_is_decoded_by_label_or_by_its_bytes(data, declared, text, uncertain):
    assert decode(data, declared) == (text, uncertain)


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)),
        b"\xff\xfe\x00garbage\x80\x81",
        "日本語のテキスト".encode("shift_jis"),
    ],
)
def test_anything_else_decodes_without_an_error_and_is_flagged(data):
    text, uncertain = decode(data, "utf-8")

    assert isinstance(text, str)
    assert uncertain


@pytest.mark.parametrize("label", ["base64", "rot13", "zlib", "\x00"])
def test_codecs_that_are_not_charsets_are_unknown_charsets(label):
    assert decode("شكوى".encode(), label) == ("شكوى", True)
