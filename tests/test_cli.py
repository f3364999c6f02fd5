"""The command line: previews, errors as one clear line, help with examples."""

import json

from audiogen.cli import main
from support import SAMPLE, run, write_article


def test_sections_json_previews_the_sample_split():
    found = json.loads(run("sections", SAMPLE, "--json").stdout)
    assert found["title"] == "Stem Cell Miracle: Paving the Way to Recovery from Stiff Person Syndrome"
    assert [s["title"] for s in found["sections"]] == [
        "Introduction", "Understanding Stiff Person Syndrome", "The Role of Stem Cell Transplant",
        "Research Progress and Clinical Trials", "Patient Stories: Triumph Over Stiff Person Syndrome",
        "Challenges and Future Prospects"]
    assert found["sections"][5]["text"].endswith("in the pursuit of healing and progress.")
    assert found["sections"][1]["text"].startswith("Understanding Stiff Person Syndrome. Stiff Person")


def test_sections_without_json_lists_titles_and_text():
    output = run("sections", SAMPLE).stdout
    assert "(6 sections)" in output and " 6. Challenges and Future Prospects" in output


def test_bad_article_is_one_line_naming_the_file_and_no_traceback(project_folder):
    path = write_article(project_folder, "empty.md", "   \n")
    result = run("sections", path, expect=1)
    assert result.stderr == f"Error: {path}: is empty\n"


def test_a_folder_build_reports_the_bad_file_and_builds_the_others(project_folder):
    write_article(project_folder, "articles/good.txt", "Good\n\nFine text.\n")
    write_article(project_folder, "articles/bad.md", "")
    result = run("build", "-o", "out", expect=1)
    assert "articles/bad.md: is empty" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout.startswith("Built 1 article, 1 section")
    assert (project_folder / "out" / "good" / "good.mp3").is_file()
    assert not (project_folder / "out" / "bad").exists()


def test_unknown_engine_and_missing_voice_are_clear_errors(project_folder):
    write_article(project_folder, "articles/a.txt", "A\n\nText.\n")
    assert run("build", "--engine", "festival", expect=1).stderr == (
        "Error: --engine must be one of espeak, gtts, piper, not 'festival'\n")
    assert run("build", "--jobs", "0", expect=1).stderr == "Error: --jobs must be from 1 to 16, not 0\n"
    result = run("build", "--voice", "missing.onnx", expect=1)
    assert result.stderr == "Error: missing.onnx: no such voice file (give a Piper .onnx voice)\n"


def test_missing_source_is_a_clear_error():
    assert run("build", "nowhere", expect=1).stderr == "Error: nowhere: no such file or folder\n"


def test_every_command_has_help_with_an_example():
    commands = [((name,), command) for name, command in main.commands.items()]
    commands += [(("voices", name), command) for name, command in main.commands["voices"].commands.items()]
    for names, command in commands:
        result = run(*names, "--help")
        assert "Example:" in result.stdout or "Examples:" in result.stdout, f"'{names} --help' has no example"
        assert command.help and len(command.help.split()) > 5
    assert "Voice engine: espeak, gtts, piper." in run("build", "--help").stdout


def test_a_misspelt_command_is_one_line_saying_the_one_meant():
    assert run("buld", expect=2).stderr == "Error: No such command 'buld'. Did you mean 'build'?\n"


def test_cache_reports_its_size_and_clean_empties_it(project_folder):
    write_article(project_folder, "audiogen.toml", f'cache_dir = "{project_folder / "speech"}"\n')
    write_article(project_folder, "articles/a.txt", "A\n\nCached words.\n")
    run("build", "-o", "out")
    report = run("cache").stdout
    assert report.startswith(f"{project_folder / 'speech'}: ") and " 0 files" not in report
    assert run("clean").stdout.startswith("Removed ")
    assert run("cache").stdout == f"{project_folder / 'speech'}: 0 files, 0.0 MB\n"
