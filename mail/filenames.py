"""Attachment names a sender chose, made safe to show and to save.

A name from an email is a string from a stranger: it may climb directories
(`../../etc/passwd`), hide its real extension behind a right-to-left override
(`invoice\u202efdp.exe` shows as "invoiceexe.pdf"), hide characters of zero
width, or be a dot-file that a web server would obey.
"""

from __future__ import annotations

import mimetypes
import re
import unicodedata

MAX_LENGTH = 200
FALLBACK = "attachment"
# Windows refuses these in names; elsewhere they confuse shells and headers.
_RESERVED = re.compile(r'[<>:"|?*]')
_SPACES = re.compile(r"\s+")
_DEVICE_NAMES = {
    "con", "prn", "aux", "nul",
    *(f"com{n}" for n in range(1, 10)),
    *(f"lpt{n}" for n in range(1, 10)),
}  # fmt: skip
# mimetypes' answer for these depends on the host's tables (.jpe, .ksh…).
_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "text/plain": ".txt",
    "text/html": ".html",
    "text/calendar": ".ics",
    "message/rfc822": ".eml",
    "message/delivery-status": ".txt",
    "text/rfc822-headers": ".txt",
}


def extension_for(content_type: str) -> str:
    """A usual extension for `content_type`, or "" when none is known."""
    content_type = content_type.lower()
    return _EXTENSIONS.get(content_type) or (
        mimetypes.guess_extension(content_type, strict=False) or ""
    )


def _visible(char: str) -> bool:
    # Cc: control characters. Cf: format characters, which include every bidi
    # embedding, override, isolate and mark (U+202A-E, U+2066-9, U+200E/F,
    # U+061C) and the zero-width ones (U+200B-D, U+2060, U+FEFF). Cs: lone
    # surrogates left by undecodable bytes.
    return unicodedata.category(char) not in {"Cc", "Cf", "Cs", "Co", "Cn"}


def safe_filename(name: str | None, content_type: str = "") -> str:
    """`name` with no directory, invisible or reserved characters, no leading
    dots and at most 200 characters (the extension kept); "attachment" plus
    an extension for `content_type` when nothing is left."""
    name = _SPACES.sub(" ", unicodedata.normalize("NFC", name or ""))
    name = "".join(char for char in name if _visible(char))
    name = re.split(r"[/\\]", name)[-1]
    name = _RESERVED.sub("_", name)
    name = name.lstrip(" .").rstrip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    if stem.lower() in _DEVICE_NAMES:
        name = f"_{name}"
    if not name:
        return FALLBACK + extension_for(content_type)
    if len(name) > MAX_LENGTH:
        suffix = f".{extension}" if dot and len(extension) < 20 else ""
        name = name[: MAX_LENGTH - len(suffix)].rstrip(" .") + suffix
    return name
