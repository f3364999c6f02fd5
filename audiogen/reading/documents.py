"""Documents a producer already has: Word (.docx), OpenDocument text (.odt), EPUB (2 and 3) and
e-mail (.eml). Each becomes the HTML (or text) the article readers already read, by a well-kept
converter where there is one (mammoth for Word, odfpy for OpenDocument, the standard library
for e-mail); an EPUB is its package's spine of XHTML pages, in order.

A document is a zip (an e-mail aside), and a zip can lie: it is opened only when it is a zip,
unencrypted, of at most MAX_MEMBERS files that unpack to at most MAX_UNPACKED bytes (Python's
zipfile never unpacks a file past the size it declares), so that a zip bomb is stopped before
anything is unpacked. Everything else wrong with a document is one line naming the file.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import io
import posixpath
import re
import zipfile
from html import escape
from pathlib import Path

from lxml import etree

from ..errors import ArticleError

MAX_UNPACKED = 200_000_000
"""Bytes all the files of a document's zip may unpack to."""
MAX_MEMBERS = 10_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""How a password-protected Office document (and an old binary .doc) starts."""
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
NOTE_LINKS = re.compile(r'<a (?:[^>]*?)href="#((?:foot|end)note-(?:ref-)?\d+)"')
NOTE_LIST = re.compile(r"<ol>(?=\s*<li id=\"(?:foot|end)note-)")
FONT_OBFUSCATION = {"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"}
"""EPUB "encryption" that only hides fonts: the book's text is not locked."""
SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def opened_zip(path: Path, data: bytes, kind: str) -> zipfile.ZipFile:
    """`data` as a zip that is safe to unpack, or ArticleError saying what it is instead."""
    if data.startswith(OLE_MAGIC):
        raise ArticleError(path, f"is password-protected (or an old binary format): save it unprotected as {kind}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError):
        raise ArticleError(path, f"is not {kind} (it is not a zip, or a damaged one)") from None
    if len(members) > MAX_MEMBERS or sum(member.file_size for member in members) > MAX_UNPACKED:
        raise ArticleError(path, f"unpacks to more than {MAX_UNPACKED // 1_000_000} MB or {MAX_MEMBERS} files; "
                                 "refused, as a zip bomb would be")
    if any(member.flag_bits & 0x1 for member in members):
        raise ArticleError(path, "is encrypted (password-protected); save it without a password")
    return archive


def member(path: Path, archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except KeyError:
        raise ArticleError(path, f"is not a complete document (it has no {name})") from None
    except (zipfile.BadZipFile, OSError, EOFError):  # a CRC or size that does not match: damaged
        raise ArticleError(path, f"is damaged ({name} cannot be unpacked)") from None


def xml(path: Path, data: bytes, name: str) -> etree._Element:
    try:
        return etree.fromstring(data, SAFE_XML)
    except etree.XMLSyntaxError as error:
        raise ArticleError(path, f"is damaged ({name} is not well-formed XML: {error})") from None


def dublin_core(root: etree._Element, date: str = f"{{{DUBLIN_CORE}}}date") -> dict:
    """Title, author, date and language from Dublin Core elements anywhere under `root` (the
    date from the element `date` names, where a format keeps it elsewhere)."""
    meta = {}
    tags = {"title": f"{{{DUBLIN_CORE}}}title", "author": f"{{{DUBLIN_CORE}}}creator", "date": date,
            "language": f"{{{DUBLIN_CORE}}}language"}
    for field, tag in tags.items():
        found = root.find(f".//{tag}")
        if found is not None and (found.text or "").strip():
            meta[field] = " ".join(found.text.split())
    return meta


def with_notes_marked(html: str) -> str:
    """The notes of mammoth's and odfpy's HTML in the markup the HTML reader knows: the list as
    footnotes (read once, at the end), the links to and from them as markers (never read)."""
    html = NOTE_LINKS.sub(lambda match: match.group(0).replace(
        "<a ", f'<a class="{"footnote-backref" if "-ref-" in match.group(1) else "footnote-ref"}" ', 1), html)
    return NOTE_LIST.sub('<ol class="footnotes">', html)


def docx(path: Path, data: bytes) -> tuple[dict, str]:
    """A Word document's properties and its HTML (mammoth: headings from the heading styles,
    lists, tables, notes, images' descriptions)."""
    import mammoth

    archive = opened_zip(path, data, "a Word document")
    member(path, archive, "word/document.xml")
    core = "docProps/core.xml"
    meta = dublin_core(xml(path, member(path, archive, core), core),
                       date="{http://purl.org/dc/terms/}created") if core in archive.namelist() else {}
    images = mammoth.images.img_element(lambda image: {"alt": image.alt_text or "", "src": ""})
    style_map = "p[style-name='Title'] => h1:fresh\np[style-name='Subtitle'] => p:fresh"
    try:
        converted = mammoth.convert_to_html(io.BytesIO(data), convert_image=images, style_map=style_map)
    except (KeyError, ValueError, zipfile.BadZipFile, etree.LxmlError, AttributeError) as error:
        raise ArticleError(path, f"is a Word document audiogen cannot read ({type(error).__name__})") from None
    return meta, with_notes_marked(converted.value)


def odt(path: Path, data: bytes) -> tuple[dict, str]:
    """An OpenDocument text's properties and its HTML (odfpy's converter: headings from their
    outline levels, lists, tables, notes)."""
    from odf.odf2xhtml import ODF2XHTML

    archive = opened_zip(path, data, "an OpenDocument text")
    member(path, archive, "content.xml")
    meta = dublin_core(xml(path, member(path, archive, "meta.xml"), "meta.xml"),
                       date="{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}creation-date") \
        if "meta.xml" in archive.namelist() else {}
    converter = ODF2XHTML(generate_css=True, embedable=True)
    try:
        converter.load(io.BytesIO(data))
    except Exception as error:  # odfpy raises whatever its XML and zip handling meet
        raise ArticleError(path, f"is an OpenDocument text audiogen cannot read ({type(error).__name__})") from None
    html = "".join(map(str, converter.lines))  # odfpy leaves note numbers as ints
    if 'id="footnote-' not in html:  # odfpy writes its notes only when it writes a whole page
        converter.lines = []
        converter.generate_footnotes()
        notes = re.sub(r"<ol [^>]*>", "<ol>", "".join(map(str, converter.lines)), count=1)
        end = html.rfind("</body>") if "</body>" in html else html.rfind("</html>")
        html = html[:end] + notes + html[end:] if end >= 0 else html + notes
    return meta, with_notes_marked(tidied(html))


def tidied(html: str) -> str:
    """odfpy's HTML with the paragraph in the Title style as the heading it is, a table's first
    row in the Table Heading style as its header, and each picture's text alternative (which
    odfpy writes as text after the picture's frame) as its alt."""
    import lxml.html

    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for paragraph in root.xpath("//p[@class='P-Title']"):
        paragraph.tag = "h1"
    for row in root.xpath("//table/tr[1]"):
        cells = row.findall("td")
        if cells and all(cell.xpath("p[starts-with(@class, 'P-Table_20_Heading')]") for cell in cells):
            for cell in cells:
                cell.tag = "th"
    for image in root.xpath("//div[starts-with(@class, 'G-')]/img[not(@alt) or @alt='']"):
        frame = image.getparent()
        if (frame.tail or "").strip():
            image.set("alt", " ".join(frame.tail.split()))
            frame.tail = None
    return lxml.html.tostring(root, encoding="unicode")


def pdf(path: Path, data: bytes) -> tuple[dict, str]:
    """A PDF's metadata and its text as HTML (see pdf.py)."""
    from . import pdf as portable

    return portable.read(path, data)


def epub(path: Path, data: bytes) -> tuple[dict, str]:
    """A book's package metadata and its spine's pages, in order, as one HTML body; a page the
    navigation names but that has no heading of its own gets the navigation's title as one."""
    archive = opened_zip(path, data, "an EPUB")
    names = set(archive.namelist())
    if "META-INF/rights.xml" in names or locked_content(path, archive):
        raise ArticleError(path, "is protected by DRM: audiogen reads only books without it")
    container = xml(path, member(path, archive, "META-INF/container.xml"), "container.xml")
    rootfile = container.find(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile")
    if rootfile is None or not rootfile.get("full-path"):
        raise ArticleError(path, "is not a complete EPUB (its container names no package)")
    package_name = rootfile.get("full-path")
    package = xml(path, member(path, archive, package_name), package_name)
    base = posixpath.dirname(package_name)
    items = {item.get("id"): item for item in package.iter("{*}item")}
    pages = [items[ref.get("idref")] for ref in package.iter("{*}itemref")
             if ref.get("idref") in items and ref.get("linear") != "no"]
    titles = navigation_titles(path, archive, items, base)
    bodies = []
    for item in pages:
        name = posixpath.normpath(posixpath.join(base, item.get("href", "")))
        bodies.append(page_body(member(path, archive, name), titles.get(name, "")))
    return dublin_core(package), "<html><body>" + "".join(bodies) + "</body></html>"


def locked_content(path: Path, archive: zipfile.ZipFile) -> bool:
    """Whether `META-INF/encryption.xml` locks anything but fonts."""
    if "META-INF/encryption.xml" not in archive.namelist():
        return False
    encryption = xml(path, member(path, archive, "META-INF/encryption.xml"), "encryption.xml")
    methods = {method.get("Algorithm") for method in encryption.iter("{*}EncryptionMethod")}
    return bool(methods - FONT_OBFUSCATION)


def navigation_titles(path: Path, archive: zipfile.ZipFile, items: dict, base: str) -> dict[str, str]:
    """Each page's title in the book's navigation document (EPUB 3) or NCX (EPUB 2), by name."""
    nav = next((item for item in items.values() if "nav" in (item.get("properties") or "").split()), None)
    ncx = next((item for item in items.values() if item.get("media-type") == "application/x-dtbncx+xml"), None)
    source = nav if nav is not None else ncx
    if source is None:
        return {}
    name = posixpath.normpath(posixpath.join(base, source.get("href", "")))
    root = xml(path, member(path, archive, name), name)
    folder = posixpath.dirname(name)
    if source is nav:
        links = [(link.get("href", ""), " ".join("".join(link.itertext()).split())) for link in root.iter("{*}a")]
    else:
        links = [(point.find(".//{*}content").get("src", ""), " ".join("".join(point.find(".//{*}text").itertext())
                                                                      .split()))
                 for point in root.iter("{*}navPoint")
                 if point.find(".//{*}content") is not None and point.find(".//{*}text") is not None]
    titles: dict[str, str] = {}
    for href, title in links:
        page = posixpath.normpath(posixpath.join(folder, href.split("#")[0]))
        titles.setdefault(page, title)
    return titles


def page_body(data: bytes, title: str) -> str:
    """One XHTML page's body, as HTML; headed with `title` if it has no heading."""
    import lxml.html

    try:
        page = lxml.html.document_fromstring(data)
    except (etree.ParserError, ValueError):
        return ""
    body = page.find("body")
    if body is None:
        return ""
    for announcement in body.xpath("//*[@class='announcement']"):  # a talking book's own, read again
        announcement.drop_tree()
    inner = (body.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in body)
    for part in body.xpath("//*[contains(@epub:type, 'titlepage') or contains(@epub:type, 'cover')]",
                           namespaces={"epub": "http://www.idpf.org/2007/ops"}):
        part.drop_tree()  # the book's title, author and date are its metadata already
    has_heading = next(body.iter("h1", "h2", "h3"), None) is not None
    return (f"<h2>{escape(title)}</h2>" if title and not has_heading else "") + f"<section>{inner}</section>"


def message(path: Path, data: bytes) -> tuple[dict, str, bool]:
    """An e-mail's subject, sender and date, and its body: the HTML part if it has one (True),
    else its plain text (False)."""
    mail = email.message_from_bytes(data, policy=email.policy.default)
    if not mail.keys():
        raise ArticleError(path, "is not an e-mail message (it has no headers)")
    meta = {}
    if mail["subject"]:
        meta["title"] = " ".join(str(mail["subject"]).split())
    sender = email.utils.parseaddr(str(mail["from"] or ""))
    if sender[0] or sender[1]:
        meta["author"] = sender[0] or sender[1].split("@")[0]
    if mail["date"]:
        try:
            meta["date"] = email.utils.parsedate_to_datetime(str(mail["date"])).isoformat()
        except (TypeError, ValueError):
            pass
    body = mail.get_body(preferencelist=("html", "plain"))
    if body is None:
        raise ArticleError(path, "has no text to read (no HTML or plain-text part)")
    try:
        content = body.get_content()
    except (LookupError, ValueError):  # an unknown charset, a broken transfer encoding
        raise ArticleError(path, "has a body audiogen cannot decode") from None
    return meta, content, body.get_content_subtype() == "html"


BOILERPLATE = re.compile(r"footer|preheader|unsubscribe|social|view-?online|browser-?link", re.I)
BOILERPLATE_LINK = re.compile(r"unsubscribe|opt.?out|preferences|view (?:this|it|the) (?:e-?mail|message|newsletter) "
                              r"(?:in|on) (?:your|a|the) (?:web )?browser|view online|forward to a friend", re.I)


def newsletter(html: str) -> str:
    """A newsletter's HTML without what every mailing adds: the preheader, the "view in your
    browser" line, the footer (unsubscribe, preferences, the sender's address) and tracking pixels."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return html
    marked = [element for element in root.iter() if isinstance(element.tag, str)
              and BOILERPLATE.search(f"{element.get('class', '')} {element.get('id', '')}")]
    for link in root.iter("a"):
        if BOILERPLATE_LINK.search(" ".join(link.text_content().split())) or "unsubscribe" in link.get("href", ""):
            block = next((parent for parent in link.iterancestors() if parent.tag in ("p", "td", "div", "tr", "li")),
                         link)
            marked.append(block)
    marked += [image for image in root.iter("img") if image.get("width") == "1" or image.get("height") == "1"]
    for element in marked:
        if element.getparent() is not None:
            element.drop_tree()
    return lxml.html.tostring(root, encoding="unicode")
