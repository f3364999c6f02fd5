"""Words said right: each rule with real sentences."""

import pytest

from audiogen.speech.normalize import normalize


@pytest.mark.parametrize("written, spoken", [
    # numbers and years
    ("The syndrome was first described in 1956.", "The syndrome was first described in nineteen fifty-six."),
    ("In 1949 the clinic opened.", "In nineteen forty-nine the clinic opened."),
    ("By 2008 it had moved.", "By two thousand and eight it had moved."),
    ("About 1 in 1,000,000 people have it.", "About one in one million people have it."),
    ("The trial enrolled 2,345 patients.", "The trial enrolled two thousand three hundred and forty-five patients."),
    ("The score fell by 3.5 points.", "The score fell by three point five points."),
    ("It was -5 degrees outside.", "It was minus five degrees outside."),
    # ordinals and fractions
    ("She finished 3rd and then 22nd.", "She finished third and then twenty-second."),
    ("Take 1/2 a tablet, then 3/4 of one.", "Take one half a tablet, then three quarters of one."),
    # money and percentages
    ("A coffee costs $2.50 here.", "A coffee costs two dollars and fifty cents here."),
    ("The grant was $1.2 million.", "The grant was one point two million dollars."),
    ("Tickets are £5 or €20.", "Tickets are five pounds or twenty euros."),
    ("Symptoms improved in 40% of patients.", "Symptoms improved in forty percent of patients."),
    # times and dates
    ("The clinic opens at 9:30 a.m. daily.", "The clinic opens at nine thirty A.M. daily."),
    ("Call before 5pm.", "Call before five P.M."),
    ("The bus leaves at 14:05.", "The bus leaves at fourteen oh five."),
    ("It was published on 2024-03-05.", "It was published on March fifth, twenty twenty-four."),
    ("The visit is on March 5, 2024.", "The visit is on March fifth, twenty twenty-four."),
    ("It ended on 21 June 2019.", "It ended on the twenty-first of June, twenty nineteen."),
    ("Results came in the 1990s.", "Results came in the nineteen nineties."),
    # units and ranges
    ("Walk 5 km each day.", "Walk five kilometers each day."),
    ("The dose is 10 mg twice daily.", "The dose is ten milligrams twice daily."),
    ("Keep it at 37°C.", "Keep it at thirty-seven degrees Celsius."),
    ("Rest for a 30-minute period.", "Rest for a thirty-minute period."),
    ("She works 9–5 on weekdays.", "She works nine to five on weekdays."),
    ("Read pages 10-20 first.", "Read pages ten to twenty first."),
    ("It ran from 1990–1995.", "It ran from nineteen ninety to nineteen ninety-five."),
    # abbreviations
    ("Dr. Smith saw her.", "Doctor Smith saw her."),
    ("Bring snacks, e.g. fruit, and water, i.e. plenty.",
     "Bring snacks, for example fruit, and water, that is plenty."),
    ("Mr. and Mrs. Jones came, etc.", "Mister and Missus Jones came, et cetera."),
    ("See Fig. 2 and No. 7.", "See Figure two and number seven."),
    # acronyms, Roman numerals
    ("SPS affects the GAD enzyme.", "S.P.S. affects the G.A.D. enzyme."),
    ("NASA and NATO are words.", "NASA and NATO are words."),
    ("It started in the U.S. last year.", "It started in the U.S. last year."),
    ("The Phase III trial is open.", "The Phase three trial is open."),
    ("World War II ended.", "World War two ended."),
    ("THIS WHOLE LINE IS SHOUTED", "this whole line is shouted"),
    # what must not be read
    ("Details at https://example.org/a?b=1 today.", "Details at example dot org today."),
    ("Visit www.example.com for more.", "Visit example dot com for more."),
    ("Read more at https://www.nhs.uk/conditions/sps/ (updated 2024).",
     "Read more at nhs dot uk (updated twenty twenty-four)."),
    ("From http://192.168.1.1/admin or https://xn--bcher-kva.example/ today.", "From or today."),
    ("Great news 🎉🎉 for everyone 👍.", "Great news for everyone."),
    ("Write to help@example.org for advice.", "Write to help at example dot org for advice."),
    ("Tom & Jerry", "Tom and Jerry"),
    ("**Bold** and _emphasis_ and `code`", "Bold and emphasis and code"),
])
def test_normalisation(written, spoken):
    assert normalize(written) == spoken


def test_roman_numerals_in_headings():
    assert normalize("Part IV: Recovery", heading=True) == "Part four: Recovery"
    assert normalize("IX. Summary", heading=True) == "nine. Summary"
    assert normalize("Why I Left", heading=True) == "Why I Left"


def test_other_languages_get_their_own_numbers_and_no_english_rules():
    assert normalize("Es kostet 25 Euro, z.B. heute.", language="de") == (
        "Es kostet fünfundzwanzig Euro, zum Beispiel heute.")
