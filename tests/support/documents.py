"""Reading back what the application sends: the structure of a tagged PDF (pypdf) and the
parts of an e-mail (``html.parser``), for the accessibility tests of documents and e-mails."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


@dataclass
class PdfStructure:
    """What a screen reader gets from a PDF: catalogue entries, info, structure tags."""

    tagged: bool
    lang: str
    title: str
    display_doc_title: bool
    has_struct_tree: bool
    tags: set[str]
    figures_alt: list[str]
    #: "TH <its ID>" and "TD <how many header cells it refers to>", in order
    cells: list[str]
    bookmarks: list[str]
    text: str
    pdfua_part: str | None


def _resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _walk(element, tags: set[str], alts: list[str], scopes: list[str], depth=0) -> None:
    element = _resolve(element)
    if depth > 200 or not isinstance(element, DictionaryObject):
        return
    tag = element.get("/S")
    if tag is not None:
        tags.add(str(tag).lstrip("/"))
        if str(tag) == "/Figure" and "/Alt" in element:
            alts.append(str(element["/Alt"]))
        attributes = _resolve(element.get("/A"))
        if str(tag) == "/TH":
            scopes.append(f"TH {element.get('/ID', '')!s}")
        if str(tag) == "/TD" and isinstance(attributes, DictionaryObject):
            scopes.append(f"TD {len(_resolve(attributes.get('/Headers', [])))}")
    kids = _resolve(element.get("/K"))
    if isinstance(kids, ArrayObject):
        for kid in kids:
            _walk(kid, tags, alts, scopes, depth + 1)
    elif isinstance(kids, DictionaryObject | IndirectObject):
        _walk(kids, tags, alts, scopes, depth + 1)


def pdf_structure(data: bytes) -> PdfStructure:
    """Read ``data`` back as a reader would."""
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"].get_object()
    mark_info = _resolve(root.get("/MarkInfo")) or {}
    preferences = _resolve(root.get("/ViewerPreferences")) or {}
    tags: set[str] = set()
    alts: list[str] = []
    scopes: list[str] = []
    if "/StructTreeRoot" in root:
        _walk(root["/StructTreeRoot"], tags, alts, scopes)
    info = reader.metadata or {}
    xmp = reader.xmp_metadata
    part = None
    if xmp is not None:
        raw = xmp.stream.get_data().decode("utf-8", "replace")
        found = re.search(r"pdfuaid:part(?:>|=\")\s*(\d+)", raw)
        part = found.group(1) if found else None
    return PdfStructure(
        tagged=str(mark_info.get("/Marked", "")).lower() == "true",
        lang=str(root.get("/Lang", "")),
        title=str(info.get("/Title", "")),
        display_doc_title=str(preferences.get("/DisplayDocTitle", "")).lower() == "true",
        has_struct_tree="/StructTreeRoot" in root,
        tags=tags,
        figures_alt=alts,
        cells=scopes,
        bookmarks=[str(item.title) for item in _flatten(reader.outline)],
        text=" ".join(" ".join(page.extract_text().split()) for page in reader.pages),
        pdfua_part=part,
    )


def _flatten(outline) -> list:
    items = []
    for item in outline:
        items.extend(_flatten(item) if isinstance(item, list) else [item])
    return items


@dataclass
class HtmlMail:
    """The parts of an HTML e-mail a mail client's screen reader relies on."""

    doctype: bool = False
    lang: str | None = None
    charset: bool = False
    title: str = ""
    headings: list[str] = field(default_factory=list)
    text: str = ""
    images_without_alt: int = 0
    styled: list[str] = field(default_factory=list)


class _MailParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.mail = HtmlMail()
        self._in: list[str] = []
        self._heading: list[str] | None = None
        self._chunks: list[str] = []

    def handle_decl(self, decl: str) -> None:
        if decl.lower().startswith("doctype html"):
            self.mail.doctype = True

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if tag == "html":
            self.mail.lang = attrs.get("lang")
        if tag == "meta" and ("charset" in attrs or "content-type" in str(attrs).lower()):
            self.mail.charset = True
        if tag == "img" and not attrs.get("alt"):
            self.mail.images_without_alt += 1
        if attrs.get("style"):
            self.mail.styled.append(tag)
        if tag in ("h1", "h2", "h3", "h4"):
            self._heading = []
        if tag in ("p", "br", "li", "h1", "h2", "h3", "h4", "tr", "div"):
            self._chunks.append("\n")
        self._in.append(tag)

    def handle_endtag(self, tag) -> None:
        if tag in ("h1", "h2", "h3", "h4") and self._heading is not None:
            self.mail.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data) -> None:
        if "title" in self._in:
            self.mail.title += data
            return
        if self._heading is not None:
            self._heading.append(data)
        self._chunks.append(data)

    def close(self) -> None:
        super().close()
        self.mail.title = " ".join(self.mail.title.split())
        self.mail.text = "\n".join(
            " ".join(line.split()) for line in "".join(self._chunks).splitlines() if line.strip()
        )


def parse_mail_html(html: str) -> HtmlMail:
    """The HTML part of an e-mail, read as a mail client would."""
    parser = _MailParser()
    parser.feed(html)
    parser.close()
    return parser.mail
