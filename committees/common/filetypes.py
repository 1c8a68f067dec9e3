"""What a file really is, judged by its content: never by its name or the browser's word.

Only the office formats that calls accept are recognised: PDF, ODT (OpenDocument text)
and DOCX (Office Open XML word processing).
"""

from __future__ import annotations

import io
import zipfile
from typing import NamedTuple

PDF_MIME = "application/pdf"
ODT_MIME = "application/vnd.oasis.opendocument.text"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#: a ZIP archive starts with a local file header
_ZIP_MAGIC = b"PK\x03\x04"


class FileKind(NamedTuple):
    """A recognised kind of file: short name (pdf, odt, docx) and MIME type."""

    kind: str
    content_type: str


def _zip_kind(data: bytes) -> FileKind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            # ODF puts an uncompressed "mimetype" entry first, naming the document type;
            # it is a few dozen bytes, so reading it cannot inflate anything large.
            first = entries[0] if entries else None
            if (
                first is not None
                and first.filename == "mimetype"
                and first.file_size < 200
                and archive.read(first).strip() == ODT_MIME.encode()
            ):
                return FileKind("odt", ODT_MIME)
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return FileKind("docx", DOCX_MIME)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError):
        # RuntimeError: an encrypted entry; OSError/EOFError: a truncated archive.
        return None
    return None


def sniff(data: bytes) -> FileKind | None:
    """The kind of ``data`` (PDF, ODT or DOCX) recognised from its bytes, or None."""
    if data.startswith(b"%PDF-"):
        return FileKind("pdf", PDF_MIME)
    if data.startswith(_ZIP_MAGIC):
        return _zip_kind(data)
    return None
