"""Small valid files made in code, for demo and bench emails: a PDF and a PNG
that a viewer opens and the upload checks recognise by their content."""

from __future__ import annotations

import struct
import zlib


def _pdf_text(line: str) -> str:
    safe = line.encode("latin-1", "replace").decode("latin-1")
    return safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_document(lines: list[str], *, size: int = 0) -> bytes:
    """A one-page PDF showing `lines` (Latin letters), padded with comment
    lines in its content stream up to about `size` bytes."""
    shown = " ".join(f"({_pdf_text(line)}) '" for line in lines)
    content = f"BT /F1 12 Tf 72 770 Td 16 TL {shown} ET\n".encode("latin-1")
    filler, n = [], 0
    while len(content) + sum(map(len, filler)) < size - 700:
        filler.append(f"% layout note {n:06d}: line kept for the page's history\n")
        n += 1
    content += "".join(filler).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_image(width: int = 96, height: int = 64) -> bytes:
    """A PNG of a brown parcel on a pale background, crushed at one corner."""
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")  # filter: none
        for x in range(width):
            inside = width // 6 < x < width * 5 // 6 and height // 5 < y < height - 6
            crushed = (width * 5 // 6 - x) + (y - height // 5) < height // 4
            if inside and not crushed:
                row += bytes((150 - y // 2, 100 - y // 3, 50))
            else:
                row += bytes((235, 238, 242))
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _png_chunk(b"IEND", b"")
    )
