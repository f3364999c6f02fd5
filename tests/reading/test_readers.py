"""Articles in all three formats split into the right sections, with the right metadata."""

import pytest

from audiogen.errors import ArticleError
from audiogen.model import Aside, Code, Heading, Image, ItemList, Paragraph, Table
from audiogen.reading.readers import read_article
from support import EDGE_CASES, SAMPLE, write_article


def titles(article):
    return [section.title for section in article.sections]


def test_sample_article_splits_into_the_opening_and_five_headed_sections():
    article = read_article(SAMPLE)
    assert article.title == ("Stem Cell Miracle: Paving the Way to Recovery from Stiff Person Syndrome")
    assert titles(article) == [
        "Introduction", "Understanding Stiff Person Syndrome", "The Role of Stem Cell Transplant",
        "Research Progress and Clinical Trials", "Patient Stories: Triumph Over Stiff Person Syndrome",
        "Challenges and Future Prospects"]
    last = article.sections[-1].blocks
    assert len(last) == 2 and last[-1].text.startswith("As research progresses")


def test_text_headings_are_short_lines_with_no_full_stop_or_ending_in_a_colon():
    article = read_article(EDGE_CASES / "text_headings_with_and_without_colons.txt")
    assert article.title == "A Short Guide to Resting Well"
    assert titles(article) == ["Introduction", "Why rest helps", "Planning the day"]
    planning = article.sections[2].blocks
    assert planning[0] == Paragraph("Short breaks work better than one long one. "
                                    "This line wraps onto a second line of the same paragraph.")
    # "You will need:" introduces a list, so it is a paragraph, not a heading.
    assert planning[1] == Paragraph("You will need:")
    assert planning[2] == ItemList(("a timer", "a quiet room"))
    assert planning[3].text == "The last paragraph belongs to the last section."


def test_markdown_front_matter_gives_title_and_metadata():
    article = read_article(EDGE_CASES / "markdown_with_front_matter.md")
    assert (article.title, article.author, article.description) == (
        "Front Matter Wins", "Ada Lovelace", "A one-line summary.")
    assert (article.date, article.language, article.slug) == ("2023-11-02", "en-gb", "front-matter-wins")
    # An <h1> other than the title is a section; the <h2> below it is a sub-heading.
    assert titles(article) == ["This h1 is not the title"]
    assert Heading("First part") in article.sections[0].blocks


def test_an_h1_repeating_the_front_matter_title_is_not_read_twice(project_folder):
    path = write_article(project_folder, "repeat.md", "---\ntitle: Same\n---\n# Same\n\nText.\n")
    article = read_article(path)
    assert article.title == "Same" and titles(article) == ["Introduction"]


def test_deeper_headings_stay_inside_their_section_as_subheadings():
    article = read_article(EDGE_CASES / "markdown_subheadings_stay_inside.md")
    assert article.title == "Subheadings"
    assert titles(article) == ["Part one", "Part two"]
    assert Heading("A detail") in article.sections[0].blocks
    assert Heading("A finer detail") in article.sections[0].blocks


def test_duplicate_headings_are_separate_sections_and_empty_headings_are_not_chapters():
    article = read_article(EDGE_CASES / "markdown_duplicate_and_empty_headings.md")
    assert titles(article) == ["Notes", "Notes"]
    assert Paragraph("Text under an empty heading stays in the previous section.") in article.sections[0].blocks


def test_markdown_blocks_keep_their_structure():
    article = read_article(EDGE_CASES / "markdown_links_images_lists_tables_code.md")
    blocks = article.sections[0].blocks
    assert blocks[0].text.startswith("Read the official guide or visit")
    assert "example.org" not in blocks[0].text
    assert 'Tom & Jerry wrote "hello"' in blocks[0].text
    assert Image("Chart of weekly spasms") in blocks
    assert ItemList(("First item", "Second item with a link", "Third item")) in blocks
    assert ItemList(("Step one", "Step two"), ordered=True) in blocks
    assert Table(("Drug", "Dose"), (("Diazepam", "5 mg"), ("Baclofen", "10 mg"))) in blocks
    assert Code(lines=3, language="bash", text="pip install audiogen\naudiogen build articles\nrm -rf /") in blocks
    assert blocks[-1] == Aside("notes", (Paragraph("A footnote's text."),))  # numbered when read
    assert not any("never spoken" in str(block) or "color" in str(block) for block in blocks)


def test_saved_web_page_keeps_the_article_and_drops_the_site_around_it():
    article = read_article(EDGE_CASES / "html_saved_page_with_boilerplate.html")
    assert article.title == "Walking Aids Explained"
    assert (article.author, article.description) == ("Jo Writer", "What each walking aid is for.")
    assert article.date.startswith("2022-05-01") and article.language == "en"
    assert titles(article) == ["Introduction", "Sticks", "Frames"]
    text = str(article.sections)
    for boilerplate in ("cookies", "Home", "Share", "Hidden editor", "Decorative", "Invisible",
                        "Related", "First!", "Copyright", "never spoken", "By Jo Writer"):
        assert boilerplate not in text


def test_page_without_article_uses_main_and_open_graph_title():
    article = read_article(EDGE_CASES / "html_main_without_article.html")
    assert article.title == "Title From Open Graph"
    assert titles(article) == ["Introduction", "Deeper heading used as top level"]
    assert "Menu item" not in str(article.sections)


def test_windows_1252_text_is_decoded_not_mangled():
    article = read_article(EDGE_CASES / "text_in_windows_1252.txt")
    assert article.title == "Café au lait"
    assert article.sections[0].blocks[0].text == "A naïve résumé costs €50 in Windows-1252 text."


@pytest.mark.parametrize("name, content, reason", [
    ("empty.md", "", "is empty"),
    ("blank.txt", "  \n\n \t\n", "is empty"),
    ("binary.txt", "\x00\x01\x02binary\x00" * 50, "not a text file"),
    ("notes.pages", "text", "unknown format"),
    ("bad-yaml.md", "---\ntitle: [unclosed\n---\nBody.\n", "front matter is not valid YAML"),
    ("list-title.md", "---\ntitle: [a, b]\n---\nBody.\n", "'title' must be text"),
    ("bad-date.md", "---\ndate: not a date at all\n---\nBody.\n", "'date' is not a date"),
    ("escape.md", "---\nslug: ../../etc\n---\nBody.\n", "slug '../../etc' is not allowed"),
    ("only-title.txt", "Just a title\n", "has no text to narrate"),
])
def test_bad_input_raises_one_clear_error_naming_the_file(project_folder, name, content, reason):
    path = write_article(project_folder, name, content)
    with pytest.raises(ArticleError) as raised:
        read_article(path)
    assert str(path) in raised.value.message and reason in raised.value.message
    assert "\n" not in raised.value.message


@pytest.mark.parametrize("name, title, opening", [
    ("text_in_windows_1252.txt", "Café au lait", "A naïve résumé costs €50"),
    ("text_in_koi8_r.txt", "Синдром ригидного человека", "Синдром ригидного человека - редкое"),
    ("text_in_shift_jis.txt", "スティッフパーソン症候群", "スティッフパーソン症候群は、まれな神経疾患です。"),
    ("text_in_iso_8859_2.txt", "Zespół sztywnego człowieka", "Zespół sztywnego człowieka to rzadka"),
    ("text_in_utf_16_with_bom.txt", "Ελληνικό κείμενο", "Το σύνδρομο του άκαμπτου ανθρώπου"),
    ("html_declaring_windows_1251.html", "Синдром ригидного человека", "Это редкое неврологическое"),
])
def test_legacy_encodings_are_detected_or_taken_from_the_page(name, title, opening):
    article = read_article(EDGE_CASES / name)
    assert article.title == title
    assert article.sections[0].blocks[0].text.startswith(opening)


@pytest.mark.parametrize("given, stored", [("2024", "2024"), ("2024-03", "2024-03"), ("2024-03-05", "2024-03-05"),
                                           ("March 2024", "2024-03"), ("2024-03-05 10:30", "2024-03-05T10:30:00"),
                                           ("2024-03-05T10:30:00+02:00", "2024-03-05T10:30:00+02:00")])
def test_front_matter_dates_keep_what_they_give_and_take_nothing_from_today(project_folder, given, stored):
    path = write_article(project_folder, "dated.md", f"---\ndate: '{given}'\n---\nText.\n")
    assert read_article(path).date == stored


def test_a_date_without_a_year_is_refused(project_folder):
    path = write_article(project_folder, "dated.md", "---\ndate: 'March 5'\n---\nText.\n")
    with pytest.raises(ArticleError, match="front matter 'date' is not a date with a year: 'March 5'"):
        read_article(path)


def test_layout_tables_are_read_as_the_page_they_lay_out_and_data_tables_as_tables():
    article = read_article(EDGE_CASES / "html_layout_tables.html")
    assert article.title == "Caring for Stiff Muscles"
    blocks = [block for section in article.sections for block in section.blocks]
    assert Paragraph("Warmth loosens stiff muscles, so a warm bath before bed can help.") in blocks
    assert Table(("Stretch", "Minutes"), (("Calves", "5"),)) in blocks
