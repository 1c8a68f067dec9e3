"""PDF files for session-pack tests and the bench: pages with a visible label, optionally
padded with an incompressible image to reach a given size."""

from __future__ import annotations

import io
import os
import zipfile

ODT_MIME = "application/vnd.oasis.opendocument.text"


def make_pdf(pages: int, *, pad_bytes: int = 0) -> bytes:
    """A valid PDF of ``pages`` blank A4 pages; ``pad_bytes`` of random grey image on the
    first page make it as large as wanted (a real file's weight, not compressible)."""
    from pypdf import PdfWriter
    from pypdf.generic import (
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        StreamObject,
    )

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if pad_bytes:
        side = max(1, int(pad_bytes**0.5))
        image = StreamObject()
        image.set_data(os.urandom(side * side))
        image.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Image"),
                NameObject("/Width"): NumberObject(side),
                NameObject("/Height"): NumberObject(side),
                NameObject("/ColorSpace"): NameObject("/DeviceGray"),
                NameObject("/BitsPerComponent"): NumberObject(8),
            }
        )
        page = writer.pages[0]
        page[NameObject("/Resources")] = DictionaryObject(
            {
                NameObject("/XObject"): DictionaryObject(
                    {NameObject("/Im0"): writer._add_object(image)}
                )
            }
        )
        content = DecodedStreamObject()
        content.set_data(b"q 200 0 0 200 100 400 cm /Im0 Do Q")
        page[NameObject("/Contents")] = writer._add_object(content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_odt() -> bytes:
    """A minimal OpenDocument text file (recognised by its ``mimetype`` member)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", ODT_MIME)
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()
