"""Header values as mail programs write them."""

import base64
import binascii

import pytest

from mail.headers import decode_text, message_ids


def _b(data: bytes, charset="utf-8") -> str:
    return f"=?{charset}?B?{base64.b64encode(data).decode()}?="


def _q(data: bytes, charset="utf-8") -> str:
    return f"=?{charset}?Q?{binascii.b2a_qp(data, header=True).decode()}?="


WORD = "الفاتورة".encode()


@pytest.mark.parametrize("cut", range(1, len(WORD)))
def test_a_word_split_anywhere_between_encoded_words_comes_out_whole(cut):
    assert decode_text(f"{_b(WORD[:cut])}\r\n {_q(WORD[cut:])}") == ("الفاتورة", False)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (f"Re: {_b(WORD)} [HD-1]", "Re: الفاتورة [HD-1]"),
        (f"{_b('طلب'.encode('cp1256'), 'windows-1256')} {_b(WORD)}", "طلبالفاتورة"),
        (f"{_b('طلب '.encode('iso-8859-6'), 'ISO-8859-6')}{_b(WORD)}", "طلب الفاتورة"),
        (_q("café".encode("latin-1"), "iso-8859-1*fr"), "café"),  # RFC 2231 language
        ("=?utf-8?B?not base64!?=", "=?utf-8?B?not base64!?="),
        ("=?utf-8?B?2YXYsdit2Kg?=", "مرحب"),  # padding missing
        ("plain subject", "plain subject"),
    ],
)
def test_header_text_is_decoded(value, text):
    assert decode_text(value)[0] == text


def test_an_unknown_charset_is_guessed_and_flagged():
    assert decode_text(_b("شكوى".encode("cp1256"), "x-unknown")) == ("شكوى", True)


def test_raw_utf8_in_a_header_is_read_as_utf8():
    raw = "شكوى".encode().decode("ascii", "surrogateescape")

    assert decode_text(raw) == ("شكوى", False)


@pytest.mark.parametrize(
    ("value", "ids"),
    [
        ("<a@x.example>", ["<a@x.example>"]),
        ("a@x.example", ["<a@x.example>"]),
        (
            "<a@x.example>\r\n\t<b@x.example> <a@x.example>",
            ["<a@x.example>", "<b@x.example>"],
        ),
        ("<a@x.example> (comment) junk", ["<a@x.example>"]),
        ("a@x.example, b@x.example", ["<a@x.example>", "<b@x.example>"]),
        ("garbage without ids", []),
        ("<" + "x" * 300 + "@x.example>", []),
        ("", []),
        (None, []),
    ],
)
def test_message_ids_are_found_in_any_spelling(value, ids):
    assert message_ids(value) == ids
