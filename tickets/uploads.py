"""Files customers upload: a size cap enforced while the upload streams, and
the type judged from the file's content, never from its name."""

from __future__ import annotations

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

# What customers may send: documents, scans and photos. Detected from the
# first bytes of the file (filetype); plain text has no signature and is
# checked separately.
ALLOWED_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WebP",
    "image/heic": "HEIC",
    "image/tiff": "TIFF",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.oasis.opendocument.text": "OpenDocument",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument",
    "application/rtf": "RTF",
    "text/plain": gettext_lazy("text"),
}
SNIFF_BYTES = 8192


class TooLargeUpload(UploadedFile):
    """What the form receives instead of a file over the cap."""

    def __init__(self, name: str, size: int):
        super().__init__(file=None, name=name, size=size)
        self.too_large = True


class SizeLimitUploadHandler(FileUploadHandler):
    """Stop storing a file once it passes ATTACHMENT_MAX_BYTES.

    The rest of the request is still read, so the other fields of the form
    survive and the customer gets a form error instead of a broken page.
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.over = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.ATTACHMENT_MAX_BYTES:
            self.over = True
        # None keeps the chunk from the handlers after this one.
        return None if self.over else raw_data

    def file_complete(self, file_size):
        if self.over:
            return TooLargeUpload(self.file_name, self.received)
        return None


# What a file's name promises, to tell a file that only pretends to be a PDF
# from a kind of file we never accept.
EXTENSIONS = {
    "pdf": "PDF",
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "png": "PNG",
    "gif": "GIF",
    "webp": "WebP",
    "heic": "HEIC",
    "tif": "TIFF",
    "tiff": "TIFF",
    "doc": "Word",
    "docx": "Word",
    "xls": "Excel",
    "xlsx": "Excel",
    "odt": "OpenDocument",
    "ods": "OpenDocument",
    "rtf": "RTF",
}
# Unicode's isolates (what HTML's <bdi> does, in plain text too): each Latin
# name stays whole, and the list and its brackets follow the sentence's own
# direction instead of being scrambled on an Arabic page.
ISOLATE = "\u2068{}\u2069"


def allowed_types_text() -> str:
    """The accepted kinds of file, for help texts and errors."""
    names = sorted({str(label) for label in ALLOWED_TYPES.values()})
    separator = pgettext("list separator", ", ")
    return separator.join(ISOLATE.format(name) for name in names)


def human_size(size: int) -> str:
    """A file size as people write it, in the active language: "10 MB",
    "1.5 MB", "300 bytes", never with a trailing ",0"."""
    units = (
        pgettext("file size", "%(size)s KB"),
        pgettext("file size", "%(size)s MB"),
        pgettext("file size", "%(size)s GB"),
    )
    if size < 1024:
        return _together(pgettext("file size", "%(size)s bytes") % {"size": size})
    value = float(size)
    for unit in units:
        value /= 1024
        if value < 1024 or unit is units[-1]:
            break
    rounded = round(value, 1)
    places = 0 if rounded.is_integer() or rounded >= 100 else 1
    return _together(unit % {"size": number_format(rounded, decimal_pos=places)})


def _together(text: str) -> str:
    # A size never breaks between its number and its unit.
    return text.replace(" ", "\u00a0")


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "windows-1256"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the end of the sniffed bytes.
            if encoding == "utf-8" and error.start >= len(head) - 3:
                return True
            continue
        return True
    return False


def sniff_type(upload: UploadedFile) -> str | None:
    """The file's MIME type judged from its content, or None if not allowed."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime if kind.mime in ALLOWED_TYPES else None
    if head and _looks_like_text(head):
        return "text/plain"
    return None


def check_uploads(files: list[UploadedFile]) -> list[UploadedFile]:
    """Validate the files of one message: count, size and type.

    Sets `content_type` from the content on each accepted file; raises one
    ValidationError listing every problem found.
    """
    limit = settings.ATTACHMENT_MAX_BYTES
    errors = []
    if len(files) > settings.ATTACHMENT_MAX_COUNT:
        errors.append(
            _("Attach at most %(count)d files.")
            % {"count": settings.ATTACHMENT_MAX_COUNT}
        )
    for upload in files:
        if getattr(upload, "too_large", False) or upload.size > limit:
            errors.append(
                _("“%(name)s” is too large (%(size)s); the limit is %(limit)s.")
                % {
                    "name": upload.name,
                    "size": human_size(upload.size),
                    "limit": human_size(limit),
                }
            )
            continue
        if upload.size == 0:
            errors.append(_("“%(name)s” is empty.") % {"name": upload.name})
            continue
        mime = sniff_type(upload)
        if mime is None:
            errors.append(_refusal(upload.name))
            continue
        upload.content_type = mime
    if errors:
        raise ValidationError(errors)
    return files


def _refusal(name: str) -> str:
    """Why a file's content was refused. A file named like an accepted kind
    ("invoice.pdf") is told it is not really one, rather than that PDFs are
    refused while the same sentence lists PDF as accepted."""
    claimed = EXTENSIONS.get(name.rpartition(".")[2].lower()) if "." in name else None
    if claimed:
        return _(
            "“%(name)s” is named like a %(kind)s file, but its content is not "
            "%(kind)s. It may be damaged or another kind of file renamed: "
            "please attach the original document."
        ) % {"name": name, "kind": ISOLATE.format(claimed)}
    return _("“%(name)s” is not a kind of file we accept. We accept: %(types)s.") % {
        "name": name,
        "types": allowed_types_text(),
    }
