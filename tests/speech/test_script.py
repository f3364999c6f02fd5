"""What the voice reads: no markup, no URLs, no code; structure carried by words and pauses."""

import re

import pytest

from audiogen.config import Pauses
from audiogen.model import Pause, Sentence, Tone
from audiogen.reading.readers import read_article
from audiogen.speech.script import ScriptWriter, Wording, split_sentences
from support import EDGE_CASES, SAMPLE

PAUSES = Pauses()


def script_of(name, earcons=False):
    article = read_article(EDGE_CASES / name)
    return [ScriptWriter(Wording(), PAUSES, earcons).section(s) for s in article.sections]


def spoken(scripts):
    return " ".join(script.text for script in scripts)


def pause_after(script, text):
    parts = list(script.heard)
    index = next(i for i, part in enumerate(parts) if isinstance(part, Sentence) and text in part.written)
    return parts[index + 1].seconds


def test_links_are_read_by_their_text_and_bare_addresses_by_their_site():
    text = spoken(script_of("markdown_links_images_lists_tables_code.md"))
    assert "Read the official guide or visit example dot com today." in text
    assert not re.search(r"https?|www\.|example\.(org|com|net)|://|guide\?|raw.link", text)


def test_images_are_read_by_their_alt_text_and_skipped_without_one():
    text = spoken(script_of("markdown_links_images_lists_tables_code.md"))
    assert "Image: Chart of weekly spasms." in text
    assert text.count("Image:") == 1


def test_list_items_are_separate_sentences_with_a_pause_between():
    script = script_of("markdown_links_images_lists_tables_code.md")[0]
    assert "A list of three items. First item. Second item with a link. Third item." in script.text
    assert pause_after(script, "First item") == PAUSES.list_item
    assert "A list of two items. one. Step one. two. Step two." in script.text


def test_tables_are_announced_and_read_row_by_row_with_their_header_names():
    text = spoken(script_of("markdown_links_images_lists_tables_code.md"))
    assert ("Table, two rows, two columns. Drug: Diazepam; Dose: five milligrams. "
            "Drug: Baclofen; Dose: ten milligrams. End of table.") in text


def test_code_is_announced_not_read():
    text = spoken(script_of("markdown_links_images_lists_tables_code.md"))
    assert "Code sample in shell, three lines, not read aloud." in text
    assert "pip" not in text and "rm" not in text


def test_footnote_markers_are_dropped_and_notes_read_once_at_the_end():
    text = spoken(script_of("markdown_links_images_lists_tables_code.md"))
    assert "and left." in text and "fnref" not in text and "[^" not in text
    assert text.endswith("Notes. Note one: A footnote's text. End of notes.")


def test_entities_are_decoded_and_scripts_and_styles_never_reach_the_voice():
    text = spoken(script_of("markdown_links_images_lists_tables_code.md"))
    assert 'Tom and Jerry wrote "hello"' in text
    assert "&" not in text and "never spoken" not in text and "color" not in text
    assert not re.search(r"[<>{}]", text)


def test_pauses_carry_structure():
    first, second = script_of("markdown_subheadings_stay_inside.md")
    assert pause_after(first, "Part one") == PAUSES.title
    assert pause_after(first, "A detail") == PAUSES.heading
    assert pause_after(first, "Intro to part one") == PAUSES.paragraph
    assert PAUSES.sentence < PAUSES.list_item < PAUSES.paragraph < PAUSES.heading < PAUSES.title
    assert first.heard[0] == Pause(PAUSES.lead_in) and first.heard[-1] == Pause(PAUSES.section_end)
    assert not any(isinstance(a, Pause) and isinstance(b, Pause) for a, b in zip(first.heard, first.heard[1:]))


def test_each_section_opens_with_its_title_and_earcons_only_when_asked():
    plain = script_of("markdown_subheadings_stay_inside.md")
    assert plain[1].text.startswith("Part two. Text of part two.")
    assert not any(isinstance(part, Tone) for script in plain for part in script.parts)
    chimed = script_of("markdown_subheadings_stay_inside.md", earcons=True)
    assert all(isinstance(script.parts[1], Tone) for script in chimed)


def test_the_contents_name_every_section_and_the_length():
    writer = ScriptWriter(Wording(), PAUSES)
    contents = writer.contents("A Title", "Jo Writer", ["Introduction", "Part two"], 185)
    assert contents.text == ("A Title. By Jo Writer. two sections, about three minutes. "
                             "one: Introduction. two: Part two.")


@pytest.mark.parametrize("language, seconds, said", [
    ("en", 70, "A Title. one section, about one minute."),
    ("es", 70, "A Title. una sección, alrededor de un minuto."),
    ("es", 3700, "A Title. una sección, alrededor de una hora y dos minutos."),
    ("de", 70, "A Title. ein Abschnitt, etwa eine Minute."),
    ("fr", 130, "A Title. une section, environ deux minutes."),
])
def test_counts_in_the_spoken_contents_agree_in_every_language(language, seconds, said):
    writer = ScriptWriter(Wording(language), PAUSES)
    assert writer.contents("A Title", "", ["Only"], seconds).text.startswith(said)


def test_a_languages_abbreviations_are_known_before_the_text_is_split_into_sentences():
    assert split_sentences("Prepare un plan, p. ej. una lista. Compré pan, leche, etc. Luego fui.", "es") == [
        "Prepare un plan, p. ej. una lista.", "Compré pan, leche, etc.", "Luego fui."]
    assert split_sentences("Es kostet 25 Euro, z. B. heute. Gut.", "de") == ["Es kostet 25 Euro, z. B. heute.", "Gut."]


def test_sample_sentences_are_all_spoken_and_none_too_long():
    article = read_article(SAMPLE)
    scripts = [ScriptWriter(Wording(), PAUSES).section(s) for s in article.sections]
    full_stops = sum(block.text.count(". ") + 1 for section in article.sections for block in section.blocks)
    assert sum(len(script.sentences) for script in scripts) == len(article.sections) + full_stops
    assert all(len(sentence.spoken.split()) <= 45 for script in scripts for sentence in script.sentences)


def test_a_paragraph_with_no_punctuation_is_cut_into_speakable_pieces():
    words = " ".join(f"word{n % 10}" for n in range(3000))
    pieces = split_sentences(words)
    assert len(pieces) == 75 and all(len(piece.split()) == 40 for piece in pieces)
    assert " ".join(pieces) == words
