"""Every language read by a voice that speaks it: [voices], the show's voice where it speaks the
language, eSpeak NG for the rest; words said right in Spanish, German, French, Italian,
Portuguese and Dutch; passages in another language; getting voices."""

import json

import pytest

from audiogen.speech.normalize import normalize
from support import run, write_article


@pytest.mark.parametrize("language, written, said", [
    ("es", "Pagó 1.234,50 € el 2024-03-05 a las 14:05; 40% de 5 km.",
     "Pagó mil doscientos treinta y cuatro euros con cincuenta céntimos el cinco de marzo de dos mil "
     "veinticuatro a las catorce y cinco; cuarenta por ciento de cinco kilómetros."),
    ("es", "El 1.º de mayo de 1999, el Sr. Pérez.", "El primero de mayo de mil novecientos noventa y nueve, "
                                                   "el señor Pérez."),
    ("es", "Más en https://www.ejemplo.es/guia?a=1 (actualizado).", "Más en ejemplo punto es (actualizado)."),
    ("de", "Am 5. März 2024 um 14:05 Uhr kostete es 12,50 €.",
     "Am fünften März zweitausendvierundzwanzig um vierzehn Uhr fünf kostete es zwölf Euro und fünfzig Cent."),
    ("de", "Mehr unter https://beispiel.de/a.", "Mehr unter beispiel Punkt de."),
    ("de", "Der 1. Mai 1999: 40 % laufen 3,5 km, z. B. täglich.",
     "Der erste Mai neunzehnhundertneunundneunzig: vierzig Prozent laufen drei Komma fünf Kilometer, zum "
     "Beispiel täglich."),
    ("fr", "Le 1er mai 2024 à 14h05, 12,50 € pour 1,5 km.",
     "Le premier mai deux mille vingt-quatre à quatorze heures cinq, douze euros et cinquante centimes pour "
     "un virgule cinq kilomètre."),
    ("fr", "M. Dupont a 1 234 livres, 40 % de plus.", "Monsieur Dupont a mille deux cent trente-quatre livres, "
                                                       "quarante pour cent de plus."),
    ("it", "Il 5 marzo 2024 alle 9:30 costava 3,50 €.",
     "Il cinque marzo duemilaventiquattro alle nove e trenta costava tre euro e cinquanta centesimi."),
    ("pt", "Em 5 de março de 2024, às 14:05, pagou 10 €.",
     "Em cinco de março de dois mil e vinte e quatro, às catorze e cinco, pagou dez euros."),
    ("nl", "Op 5 maart 2024 om 14:05 kostte het 12,50 €, bijv. 3 km.",
     "Op vijf maart tweeduizendvierentwintig om veertien uur vijf kostte het twaalf euro, vijftig cent, "
     "bijvoorbeeld drie kilometer."),
])
def test_numbers_dates_times_money_and_units_are_said_in_each_language(language, written, said):
    assert normalize(written, language) == said


def test_english_rules_never_reach_another_language():
    assert normalize("Dr. Smith has 5 mg of SPS.", "fr") == "Docteur Smith has cinq milligrammes of SPS."


def test_each_language_has_its_own_lexicon_beside_the_projects(project_folder):
    write_article(project_folder, "lexicon.toml", 'SPS = "stiff person syndrome"\n')
    write_article(project_folder, "lexicon.es.toml", 'SPS = "síndrome de la persona rígida"\n')
    write_article(project_folder, "articles/es.md", "---\nlanguage: es\n---\n# SPS\n\nEl SPS es raro.\n")
    write_article(project_folder, "articles/en.md", "# SPS\n\nSPS is rare.\n")
    spanish = json.loads(run("sections", "articles/es.md", "--json").stdout)["sections"][0]["text"]
    english = json.loads(run("sections", "articles/en.md", "--json").stdout)["sections"][0]["text"]
    assert "El síndrome de la persona rígida es raro." in spanish
    assert "stiff person syndrome is rare." in english
