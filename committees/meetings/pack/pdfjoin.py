"""Joining PDF files into one, written object by object straight to a file.

pypdf's ``PdfWriter`` keeps every appended page and its resources in memory until it
writes; a pack of 40 documents of 5 MB would hold them all. ``PdfJoiner`` reads each
source with pypdf (lazily, from its file), copies the objects its pages reach, renumbered,
to the output as soon as they are read, then lets the source go: memory holds one
document at a time. It writes the page tree, the bookmarks and the cross-reference
table at the end.

The first file's tagged structure (``/StructTreeRoot``, ``/MarkInfo``, ``/Lang``) can be
carried over (``keep_structure``), so that the printed front matter stays tagged.
"""

from __future__ import annotations

import gc
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

#: catalog entries of a tagged file carried over with ``keep_structure``
STRUCTURE_KEYS = ("/StructTreeRoot", "/MarkInfo", "/Lang", "/ViewerPreferences")


@dataclass
class Bookmark:
    """An outline entry: its title, the (0-based) page it opens and its children."""

    title: str
    page: int
    children: list[Bookmark] = field(default_factory=list)


class PdfJoiner:
    """Write pages of several PDF files into ``out`` (a file opened for binary writing)."""

    def __init__(self, out: BinaryIO):
        self.out = out
        self.offsets: list[int | None] = [None]  # by object number; 0 is the free head
        self.page_ids: list[int] = []
        self.catalog: dict[str, PdfObject] = {}
        self.font_id: int | None = None
        self.save_id: int | None = None
        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self.pages_id = self._reserve()

    def _reserve(self) -> int:
        self.offsets.append(None)
        return len(self.offsets) - 1

    def _write(self, number: int, obj: PdfObject) -> None:
        self.offsets[number] = self.out.tell()
        self.out.write(f"{number} 0 obj\n".encode())
        obj.write_to_stream(self.out)
        self.out.write(b"\nendobj\n")

    def append(
        self, source: Path | BinaryIO, *, keep_structure: bool = False, stamp_total: int = 0
    ) -> int:
        """Copy every page of ``source``; return how many pages were added. With
        ``stamp_total`` (> 0, the page count of the result), each page is stamped with
        its number in the result, "n / total", bottom right (an artifact, not content).

        A path is read through an open file (pypdf would load a path whole), and the
        reader's reference cycles are collected afterwards, so memory goes back down.
        """
        if isinstance(source, Path):
            with open(source, "rb") as handle:
                return self.append(handle, keep_structure=keep_structure, stamp_total=stamp_total)
        try:
            return self._append(PdfReader(source), keep_structure, stamp_total)
        finally:
            gc.collect()

    def _font(self) -> int:
        """The object number of the stamps' font (Helvetica, written once)."""
        if self.font_id is None:
            self.font_id = self._reserve()
            self._write(
                self.font_id,
                DictionaryObject(
                    {
                        NameObject("/Type"): NameObject("/Font"),
                        NameObject("/Subtype"): NameObject("/Type1"),
                        NameObject("/BaseFont"): NameObject("/Helvetica"),
                        NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
                    }
                ),
            )
            self.save_id = self._reserve()
            save = DecodedStreamObject()
            save.set_data(b"q\n")
            self._write(self.save_id, save)
        return self.font_id

    def _stamp(self, page, copy: DictionaryObject, rewrite, label: str) -> None:
        """Draw ``label`` on ``copy`` (the rewritten ``page``): the page's content is
        wrapped in q/Q, the stamp's font added to a copy of its resources."""
        font = self._font()
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else DictionaryObject()
        new_resources = DictionaryObject({k: rewrite(v) for k, v in resources.items()})
        fonts = resources.get("/Font")
        fonts = fonts.get_object() if fonts is not None else DictionaryObject()
        new_fonts = DictionaryObject({k: rewrite(v) for k, v in fonts.items()})
        new_fonts[NameObject("/PackPageNumber")] = IndirectObject(font, 0, None)
        new_resources[NameObject("/Font")] = new_fonts
        copy[NameObject("/Resources")] = new_resources
        box = page.mediabox
        stamp = DecodedStreamObject()
        x, y = float(box.right) - 70, float(box.bottom) + 18
        text = (
            f"\nQ\n/Artifact BMC BT /PackPageNumber 8 Tf {x:.1f} {y:.1f} Td ({label}) Tj ET EMC\n"
        )
        stamp.set_data(text.encode("ascii"))
        stamp_id = self._reserve()
        self._write(stamp_id, stamp)
        contents = page.get("/Contents")
        parts: list = [IndirectObject(self.save_id, 0, None)]
        if contents is not None:
            raw = page.raw_get("/Contents")
            if isinstance(contents.get_object(), ArrayObject):
                parts += [rewrite(part) for part in contents.get_object()]
            else:
                parts.append(rewrite(raw))
        parts.append(IndirectObject(stamp_id, 0, None))
        copy[NameObject("/Contents")] = ArrayObject(parts)

    def _append(self, reader: PdfReader, keep_structure: bool, stamp_total: int) -> int:
        mapping: dict[int, int] = {}
        queue: deque[int] = deque()

        def rewrite(obj):
            if isinstance(obj, IndirectObject):
                if obj.idnum not in mapping:
                    mapping[obj.idnum] = self._reserve()
                    queue.append(obj.idnum)
                return IndirectObject(mapping[obj.idnum], 0, None)
            if isinstance(obj, StreamObject):
                copy = obj.__class__()
                copy._data = obj._data  # the encoded bytes, as in the file
                copy.update({k: rewrite(v) for k, v in obj.items() if k != "/Length"})
                return copy
            if isinstance(obj, DictionaryObject):
                return DictionaryObject({k: rewrite(v) for k, v in obj.items()})
            if isinstance(obj, ArrayObject):
                return ArrayObject(rewrite(v) for v in obj)
            return obj

        pages = list(reader.pages)  # inherited attributes are copied onto each page
        copy_done: list[int] = []
        numbers = []
        for page in pages:
            page_id = self._reserve()
            mapping[page.indirect_reference.idnum] = page_id
            numbers.append(page_id)
        if keep_structure:
            root = reader.trailer["/Root"].get_object()
            for key in STRUCTURE_KEYS:
                if key in root:
                    self.catalog[key] = rewrite(root.raw_get(key))
        for page, page_id in zip(pages, numbers, strict=True):
            copy = DictionaryObject({k: rewrite(v) for k, v in page.items() if k != "/Parent"})
            copy[NameObject("/Parent")] = IndirectObject(self.pages_id, 0, None)
            if stamp_total:
                label = f"{len(self.page_ids) + len(copy_done) + 1} / {stamp_total}"
                self._stamp(page, copy, rewrite, label)
            copy_done.append(page_id)
            self._write(page_id, copy)
        while queue:
            source_number = queue.popleft()
            obj = reader.get_object(source_number)
            self._write(mapping[source_number], NullObject() if obj is None else rewrite(obj))
        self.page_ids.extend(numbers)
        return len(numbers)

    def _outline(self, entries: list[Bookmark], parent: int) -> tuple[int, int, int]:
        """Write ``entries`` under ``parent``; return (first, last, count of descendants)."""
        numbers = [self._reserve() for _ in entries]
        total = len(entries)
        for index, (entry, number) in enumerate(zip(entries, numbers, strict=True)):
            item = DictionaryObject(
                {
                    NameObject("/Title"): TextStringObject(entry.title),
                    NameObject("/Parent"): IndirectObject(parent, 0, None),
                    NameObject("/Dest"): ArrayObject(
                        [IndirectObject(self.page_ids[entry.page], 0, None), NameObject("/Fit")]
                    ),
                }
            )
            if index:
                item[NameObject("/Prev")] = IndirectObject(numbers[index - 1], 0, None)
            if index + 1 < len(numbers):
                item[NameObject("/Next")] = IndirectObject(numbers[index + 1], 0, None)
            if entry.children:
                first, last, count = self._outline(entry.children, number)
                item[NameObject("/First")] = IndirectObject(first, 0, None)
                item[NameObject("/Last")] = IndirectObject(last, 0, None)
                item[NameObject("/Count")] = NumberObject(count)
                total += count
            self._write(number, item)
        return numbers[0], numbers[-1], total

    def finish(self, bookmarks: list[Bookmark], title: str) -> int:
        """Write the page tree, the bookmarks, the catalog and the cross-reference table;
        return the page count."""
        self._write(
            self.pages_id,
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Pages"),
                    NameObject("/Kids"): ArrayObject(
                        IndirectObject(n, 0, None) for n in self.page_ids
                    ),
                    NameObject("/Count"): NumberObject(len(self.page_ids)),
                }
            ),
        )
        catalog = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Catalog"),
                NameObject("/Pages"): IndirectObject(self.pages_id, 0, None),
                NameObject("/PageMode"): NameObject("/UseOutlines"),
                **{NameObject(k): v for k, v in self.catalog.items()},
            }
        )
        if bookmarks:
            outlines = self._reserve()
            first, last, count = self._outline(bookmarks, outlines)
            self._write(
                outlines,
                DictionaryObject(
                    {
                        NameObject("/Type"): NameObject("/Outlines"),
                        NameObject("/First"): IndirectObject(first, 0, None),
                        NameObject("/Last"): IndirectObject(last, 0, None),
                        NameObject("/Count"): NumberObject(count),
                    }
                ),
            )
            catalog[NameObject("/Outlines")] = IndirectObject(outlines, 0, None)
        root = self._reserve()
        self._write(root, catalog)
        info = self._reserve()
        self._write(info, DictionaryObject({NameObject("/Title"): TextStringObject(title)}))
        start = self.out.tell()
        lines = [f"xref\n0 {len(self.offsets)}\n", "0000000000 65535 f \n"]
        lines += [f"{offset or 0:010d} 00000 n \n" for offset in self.offsets[1:]]
        self.out.write("".join(lines).encode())
        self.out.write(
            f"trailer\n<< /Size {len(self.offsets)} /Root {root} 0 R /Info {info} 0 R >>\n"
            f"startxref\n{start}\n%%EOF\n".encode()
        )
        return len(self.page_ids)
