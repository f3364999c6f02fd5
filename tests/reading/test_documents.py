"""Documents as producers' tools save them (tests/documents/README.md says how each was made):
Word and OpenDocument saved by LibreOffice, EPUB 2 and 3 made by pandoc, an e-mail newsletter;
and documents that must be refused, each in one line."""

import json
import re
import shutil
import zipfile

import pytest

from support import ROOT, manifest_of, run, word_f1, write_article

DOCUMENTS = ROOT / "tests" / "documents"
TITLE = "Spring Newsletter of the Stiff Person Support Group"
SECTIONS = ["Welcome", "What to bring", "Clinic hours", "Questions from members"]
ANNOUNCED = re.compile(r"A list of \w+ items\.|Table, \w+ rows, \w+ columns\.|End of table\.|Notes\.|Note \w+:|"
                       r"End of notes\.|Image:")


def reference_text() -> str:
    """The source's words: its body without front matter and Markdown's marks."""
    body = (DOCUMENTS / "newsletter.md").read_text().split("---", 2)[2]
    body = re.sub(r"\[\^1\]:?|!\[|\]\([^)]*\)|^#+ |^- |\|---\|---\|---\||\|", " ", body, flags=re.M)
    return body


def narrated(found: dict) -> str:
    """What the voice reads, headings included, without what audiogen announces and with
    initialisms as written ("S.P.S." is "SPS")."""
    text = " ".join(section["text"] for section in found["sections"])
    text = re.sub(r"(?<=\b[A-Z])\.(?=[A-Z]\b)", "", ANNOUNCED.sub(" ", text))
    return text.replace("Introduction. ", " ", 1) if found["sections"][0]["title"] == "Introduction" else text


@pytest.mark.parametrize("name", ["newsletter.docx", "newsletter.odt", "newsletter-epub2.epub",
                                  "newsletter-epub3.epub", "newsletter-tagged.pdf"])
def test_a_document_reads_as_its_source_with_its_title_and_headed_sections(name):
    found = json.loads(run("sections", DOCUMENTS / name, "--json").stdout)
    assert found["title"] == TITLE
    assert [section["title"] for section in found["sections"]][-4:] == SECTIONS
    text = " ".join(section["text"] for section in found["sections"])
    assert "a friend or carer, if you would like company" in text
    assert "Note one: The room is on the ground floor, next to the pharmacy." in text
    assert "Day: Monday; Opens: nine; Closes: five." in text  # the table read row by row
    if name.endswith(("docx", "odt", "pdf")):  # the picture's text alternative, which LibreOffice keeps
        assert "Image: Map of the clinic, the meeting room marked in red." in text
    assert word_f1(narrated(found), reference_text()) > 0.9


def test_an_untagged_two_column_pdf_reads_in_order_without_running_headers_or_page_numbers():
    found = json.loads(run("sections", DOCUMENTS / "two-columns.pdf", "--json").stdout)
    assert found["title"] == "Stem Cell Miracle: Paving the Way to Recovery from Stiff Person Syndrome"
    assert [section["title"] for section in found["sections"]][1:] == [
        "Understanding Stiff Person Syndrome:", "The Role of Stem Cell Transplant:",
        "Research Progress and Clinical Trials:", "Patient Stories: Triumph Over Stiff Person Syndrome",
        "Challenges and Future Prospects:"]
    text = " ".join(section["text"] for section in found["sections"])
    assert "Clinic Newsletter" not in text and not re.search(r"\bPage\b|\b(?:one|two|three|four)\.", text)
    # A paragraph that goes on in the next column, and one that goes on over the page, are whole.
    assert "impacting the individual’s mobility and quality of life." in text
    assert "as the medical community continues to unravel the mysteries" in text
    source = (DOCUMENTS / "two-columns.md").read_text().split("---", 2)[2].replace("#", " ")
    assert word_f1(narrated(found), source) > 0.95


def test_a_newsletter_email_is_its_article_without_footer_pixel_or_browser_link():
    found = json.loads(run("sections", DOCUMENTS / "newsletter.eml", "--json").stdout)
    assert found["title"] == TITLE
    assert [section["title"] for section in found["sections"]][-3:] == [
        "Welcome", "What to bring", "Questions from members"]
    text = " ".join(section["text"] for section in found["sections"])
    assert "a friend or carer, if you would like company" in text
    for boilerplate in ("Unsubscribe", "preferences", "browser", "receiving this email", "Clinic Road", "Meetings,"):
        assert boilerplate not in text
    reference = " ".join(line for line in reference_text().splitlines()
                         if not re.search(r"Monday|Thursday|Day|map|ground floor|Clinic hours", line))
    assert word_f1(narrated(found), reference) > 0.9


def test_a_plain_text_email_is_read_as_text(project_folder):
    write_article(project_folder, "note.eml", "From: Sam Carer <sam@example.org>\nSubject: Our first visit\n"
                  "Date: Fri, 14 Mar 2025 09:30:00 +0000\nContent-Type: text/plain; charset=utf-8\n\n"
                  "What to bring\n\nA list of your medicines.\n\nQuestions\n\nAsk about the waiting list.\n")
    found = json.loads(run("sections", project_folder / "note.eml", "--json").stdout)
    assert found["title"] == "Our first visit"
    assert [section["title"] for section in found["sections"]] == ["What to bring", "Questions"]


@pytest.mark.slow
def test_a_mailbox_is_a_folder_of_messages_each_its_own_episode(project_folder):
    import mailbox

    (project_folder / "articles").mkdir(exist_ok=True)
    box = mailbox.mbox(project_folder / "articles" / "letters.mbox")
    box.add((DOCUMENTS / "newsletter.eml").read_bytes())
    box.add(b"From: Sam Carer <sam@example.org>\nSubject: A short note\nMessage-ID: <note-1@example.org>\n"
            b"Date: Sat, 15 Mar 2025 10:00:00 +0000\n\nThe next meeting moves to Thursday.\n")
    box.flush()
    result = run("build", "-o", "out")
    assert "Built 2 articles" in result.stdout
    titles = sorted(json.loads(path.read_text())["title"] for path in (project_folder / "out").glob("*/manifest.json"))
    assert titles == ["A short note", TITLE]
    one_line_refusal(project_folder / "articles" / "letters.mbox", "is a mailbox: build it")


@pytest.mark.slow
def test_documents_in_a_folder_are_built_like_any_article(project_folder):
    (project_folder / "articles").mkdir(exist_ok=True)
    shutil.copy(DOCUMENTS / "newsletter.docx", project_folder / "articles" / "newsletter.docx")
    shutil.copy(DOCUMENTS / "newsletter.eml", project_folder / "articles" / "spring.eml")
    run("build", "-o", "out")
    manifest = manifest_of(project_folder / "out", "newsletter")
    assert manifest["title"] == TITLE and manifest["author"] == "Maria Lopez" and manifest["language"] == "en-us"
    assert [section["title"] for section in manifest["sections"]][-4:] == SECTIONS
    email = manifest_of(project_folder / "out", "spring")
    assert email["date"].startswith("2025-03-14") and email["author"] == "Maria Lopez"


def one_line_refusal(path, expected):
    result = run("sections", path, expect=1)
    assert result.stderr.count("\n") == 1 and str(path) in result.stderr and expected in result.stderr, result.stderr


def test_documents_that_cannot_be_read_are_refused_in_one_line(project_folder):
    folder = project_folder
    (folder / "locked.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    one_line_refusal(folder / "locked.docx", "is password-protected")
    (folder / "text.odt").write_text("not a document at all")
    one_line_refusal(folder / "text.odt", "is not an OpenDocument text")
    data = (DOCUMENTS / "newsletter.docx").read_bytes()
    (folder / "cut.docx").write_bytes(data[:len(data) // 2])
    one_line_refusal(folder / "cut.docx", "is not a Word document (it is not a zip, or a damaged one)")
    with zipfile.ZipFile(folder / "empty.docx", "w") as archive:
        archive.writestr("hello.txt", "a zip that is no Word document")
    one_line_refusal(folder / "empty.docx", "is not a complete document (it has no word/document.xml)")
    (folder / "nothing.epub").write_bytes(b"")
    one_line_refusal(folder / "nothing.epub", "is empty")
    shutil.copy(DOCUMENTS / "newsletter-epub3.epub", folder / "drm.epub")
    with zipfile.ZipFile(folder / "drm.epub", "a") as archive:
        archive.writestr("META-INF/encryption.xml", '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:'
                         'container"><EncryptedData xmlns="http://www.w3.org/2001/04/xmlenc#"><EncryptionMethod '
                         'Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/></EncryptedData></encryption>')
    one_line_refusal(folder / "drm.epub", "is protected by DRM")
    (folder / "headers.eml").write_bytes(b"\x00\x01binary")
    one_line_refusal(folder / "headers.eml", "is not an e-mail message")


def test_a_scanned_and_a_password_protected_pdf_are_refused_in_one_line():
    one_line_refusal(DOCUMENTS / "scanned.pdf", "is a scanned PDF (its pages are pictures, with no text)")
    one_line_refusal(DOCUMENTS / "password.pdf", "is password-protected")


def test_a_zip_bomb_and_a_huge_file_are_stopped_before_they_are_unpacked_or_read(project_folder):
    bomb = project_folder / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            for _ in range(210):
                member.write(bytes(1_000_000))
    assert bomb.stat().st_size < 1_000_000
    one_line_refusal(bomb, "unpacks to more than 200 MB")
    huge = project_folder / "huge.epub"
    with huge.open("wb") as file:
        file.truncate(500_000_000)  # sparse: nothing is written, nothing must be read
    one_line_refusal(huge, "is too large (500 MB; the limit is 100 MB)")


def test_a_word_hyphenated_at_a_lines_end_is_joined_and_a_dash_is_kept():
    from audiogen.reading.pdf import joined_lines

    assert joined_lines(["a new treat-", "ment plan for well-", "being"]) == "a new treatment plan for wellbeing"
    assert joined_lines(["from 9 -", "Monday", "self-", "Care"]) == "from 9 - Monday self- Care"
