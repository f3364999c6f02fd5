"""What the voice says of an article's shape, in the article's language: "Introduction", "A
list of 3 items.", "End of table.", the spoken contents' "about 4 minutes". Numbers stay
digits here and are said by that language's rules (numbers.py); a count agrees with its
number ("one minute", "2 minutes"; "un minuto", "una hora")."""

from __future__ import annotations

from dataclasses import dataclass

from ..languages import primary


@dataclass(frozen=True)
class Phrases:
    """What the voice says of an article's shape, in one language; numbers stay digits here and
    are said by that language's rules."""

    introduction: str
    by: str
    section: tuple[str, str]
    minute: tuple[str, str]
    hour: tuple[str, str]
    about: str
    under_a_minute: str
    and_: str
    list_of: str
    table: str
    row: tuple[str, str]
    column: tuple[str, str]
    end_of_table: str
    code: str
    in_language: str
    line: tuple[str, str]
    image: str
    caption: str
    caption_start: str
    caption_end: str
    note_number: str
    asides: dict[str, tuple[str, str]]
    """How a quote, notes, a note and an aside are announced, at their start and end."""
    other_aside: tuple[str, str]
    """The same for kinds a document names itself ("Warning"): {Kind} and {kind}."""

    def count(self, number: int, noun: tuple[str, str]) -> str:
        """"one section", "6 sections": the singular with its own word for one, which agrees
        with the noun ("una hora", "un minuto"), where a number said alone would not ("uno")."""
        return noun[0] if number == 1 else f"{number} {noun[1]}"


PHRASES = {
    "en": Phrases(
        introduction='Introduction',
        by='By {author}.',
        section=('one section', 'sections'),
        minute=('one minute', 'minutes'),
        hour=('one hour', 'hours'),
        about='about {length}',
        under_a_minute='under a minute',
        and_='and',
        list_of='A list of {count} items.',
        table='Table{caption}, {rows}, {columns}.',
        row=('one row', 'rows'),
        column=('one column', 'columns'),
        end_of_table='End of table.',
        code='Code sample{language}, {lines}, not read aloud.',
        in_language=' in {language}',
        line=('one line', 'lines'),
        image='Image: {alt}',
        caption='Caption: {caption}',
        caption_start='Caption.',
        caption_end='End of caption.',
        note_number='Note {number}: {text}',
        asides={
            "quote": ('Quote.', 'End of quote.'),
            "notes": ('Notes.', 'End of notes.'),
            "note": ('Note.', 'End of note.'),
            "aside": ('Aside.', 'End of aside.'),
        },
        other_aside=('{Kind}.', 'End of {kind}.'),
    ),
    "es": Phrases(
        introduction='Introducción',
        by='Por {author}.',
        section=('una sección', 'secciones'),
        minute=('un minuto', 'minutos'),
        hour=('una hora', 'horas'),
        about='alrededor de {length}',
        under_a_minute='menos de un minuto',
        and_='y',
        list_of='Una lista de {count} elementos.',
        table='Tabla{caption}, {rows}, {columns}.',
        row=('una fila', 'filas'),
        column=('una columna', 'columnas'),
        end_of_table='Fin de la tabla.',
        code='Ejemplo de código{language}, {lines}, que no se lee en voz alta.',
        in_language=' en {language}',
        line=('una línea', 'líneas'),
        image='Imagen: {alt}',
        caption='Leyenda: {caption}',
        caption_start='Leyenda.',
        caption_end='Fin de la leyenda.',
        note_number='Nota {number}: {text}',
        asides={
            "quote": ('Cita.', 'Fin de la cita.'),
            "notes": ('Notas.', 'Fin de las notas.'),
            "note": ('Nota.', 'Fin de la nota.'),
            "aside": ('Recuadro.', 'Fin del recuadro.'),
        },
        other_aside=('{Kind}.', 'Fin: {kind}.'),
    ),
    "de": Phrases(
        introduction='Einleitung',
        by='Von {author}.',
        section=('ein Abschnitt', 'Abschnitte'),
        minute=('eine Minute', 'Minuten'),
        hour=('eine Stunde', 'Stunden'),
        about='etwa {length}',
        under_a_minute='weniger als eine Minute',
        and_='und',
        list_of='Eine Liste mit {count} Punkten.',
        table='Tabelle{caption}, {rows}, {columns}.',
        row=('eine Zeile', 'Zeilen'),
        column=('eine Spalte', 'Spalten'),
        end_of_table='Ende der Tabelle.',
        code='Codebeispiel{language}, {lines}, wird nicht vorgelesen.',
        in_language=' in {language}',
        line=('eine Zeile', 'Zeilen'),
        image='Bild: {alt}',
        caption='Bildunterschrift: {caption}',
        caption_start='Bildunterschrift.',
        caption_end='Ende der Bildunterschrift.',
        note_number='Anmerkung {number}: {text}',
        asides={
            "quote": ('Zitat.', 'Ende des Zitats.'),
            "notes": ('Anmerkungen.', 'Ende der Anmerkungen.'),
            "note": ('Hinweis.', 'Ende des Hinweises.'),
            "aside": ('Randnotiz.', 'Ende der Randnotiz.'),
        },
        other_aside=('{Kind}.', 'Ende: {kind}.'),
    ),
    "fr": Phrases(
        introduction='Introduction',
        by='Par {author}.',
        section=('une section', 'sections'),
        minute=('une minute', 'minutes'),
        hour=('une heure', 'heures'),
        about='environ {length}',
        under_a_minute="moins d'une minute",
        and_='et',
        list_of='Une liste de {count} éléments.',
        table='Tableau{caption}, {rows}, {columns}.',
        row=('une ligne', 'lignes'),
        column=('une colonne', 'colonnes'),
        end_of_table='Fin du tableau.',
        code='Exemple de code{language}, {lines}, non lu à voix haute.',
        in_language=' en {language}',
        line=('une ligne', 'lignes'),
        image='Image : {alt}',
        caption='Légende : {caption}',
        caption_start='Légende.',
        caption_end='Fin de la légende.',
        note_number='Note {number} : {text}',
        asides={
            "quote": ('Citation.', 'Fin de la citation.'),
            "notes": ('Notes.', 'Fin des notes.'),
            "note": ('Note.', 'Fin de la note.'),
            "aside": ('Encadré.', "Fin de l'encadré."),
        },
        other_aside=('{Kind}.', 'Fin : {kind}.'),
    ),
    "it": Phrases(
        introduction='Introduzione',
        by='Di {author}.',
        section=('una sezione', 'sezioni'),
        minute=('un minuto', 'minuti'),
        hour=('un’ora', 'ore'),
        about='circa {length}',
        under_a_minute='meno di un minuto',
        and_='e',
        list_of='Un elenco di {count} voci.',
        table='Tabella{caption}, {rows}, {columns}.',
        row=('una riga', 'righe'),
        column=('una colonna', 'colonne'),
        end_of_table='Fine della tabella.',
        code='Esempio di codice{language}, {lines}, non letto ad alta voce.',
        in_language=' in {language}',
        line=('una riga', 'righe'),
        image='Immagine: {alt}',
        caption='Didascalia: {caption}',
        caption_start='Didascalia.',
        caption_end='Fine della didascalia.',
        note_number='Nota {number}: {text}',
        asides={
            "quote": ('Citazione.', 'Fine della citazione.'),
            "notes": ('Note.', 'Fine delle note.'),
            "note": ('Nota.', 'Fine della nota.'),
            "aside": ('Riquadro.', 'Fine del riquadro.'),
        },
        other_aside=('{Kind}.', 'Fine: {kind}.'),
    ),
    "pt": Phrases(
        introduction='Introdução',
        by='Por {author}.',
        section=('uma secção', 'secções'),
        minute=('um minuto', 'minutos'),
        hour=('uma hora', 'horas'),
        about='cerca de {length}',
        under_a_minute='menos de um minuto',
        and_='e',
        list_of='Uma lista de {count} itens.',
        table='Tabela{caption}, {rows}, {columns}.',
        row=('uma linha', 'linhas'),
        column=('uma coluna', 'colunas'),
        end_of_table='Fim da tabela.',
        code='Exemplo de código{language}, {lines}, não lido em voz alta.',
        in_language=' em {language}',
        line=('uma linha', 'linhas'),
        image='Imagem: {alt}',
        caption='Legenda: {caption}',
        caption_start='Legenda.',
        caption_end='Fim da legenda.',
        note_number='Nota {number}: {text}',
        asides={
            "quote": ('Citação.', 'Fim da citação.'),
            "notes": ('Notas.', 'Fim das notas.'),
            "note": ('Nota.', 'Fim da nota.'),
            "aside": ('Caixa.', 'Fim da caixa.'),
        },
        other_aside=('{Kind}.', 'Fim: {kind}.'),
    ),
    "nl": Phrases(
        introduction='Inleiding',
        by='Door {author}.',
        section=('één deel', 'delen'),
        minute=('één minuut', 'minuten'),
        hour=('één uur', 'uur'),
        about='ongeveer {length}',
        under_a_minute='minder dan een minuut',
        and_='en',
        list_of='Een lijst van {count} punten.',
        table='Tabel{caption}, {rows}, {columns}.',
        row=('één rij', 'rijen'),
        column=('één kolom', 'kolommen'),
        end_of_table='Einde van de tabel.',
        code='Codevoorbeeld{language}, {lines}, wordt niet voorgelezen.',
        in_language=' in {language}',
        line=('één regel', 'regels'),
        image='Afbeelding: {alt}',
        caption='Bijschrift: {caption}',
        caption_start='Bijschrift.',
        caption_end='Einde van het bijschrift.',
        note_number='Noot {number}: {text}',
        asides={
            "quote": ('Citaat.', 'Einde van het citaat.'),
            "notes": ('Noten.', 'Einde van de noten.'),
            "note": ('Opmerking.', 'Einde van de opmerking.'),
            "aside": ('Kader.', 'Einde van het kader.'),
        },
        other_aside=('{Kind}.', 'Einde: {kind}.'),
    ),
}


def phrases(language: str) -> Phrases:
    """The language's phrases; English's for a language not here."""
    return PHRASES.get(primary(language), PHRASES["en"])
