"""The command line: previews, errors as one clear line, help with examples."""

import json
import signal

from audiogen.cli import main
from support import SAMPLE, audiogen, run, wait_for, write_article


def test_sections_json_previews_the_sample_split():
    found = json.loads(run("sections", SAMPLE, "--json").stdout)
    assert found["title"] == "Stem Cell Miracle: Paving the Way to Recovery from Stiff Person Syndrome"
    assert [s["title"] for s in found["sections"]] == [
        "Introduction", "Understanding Stiff Person Syndrome", "The Role of Stem Cell Transplant",
        "Research Progress and Clinical Trials", "Patient Stories: Triumph Over Stiff Person Syndrome",
        "Challenges and Future Prospects"]
    assert found["sections"][5]["text"].endswith("in the pursuit of healing and progress.")
    assert found["sections"][1]["text"].startswith("Understanding Stiff Person Syndrome. Stiff Person")


def test_sections_json_gives_each_words_time_once_a_build_has_narrated_it(project_folder):
    path = write_article(project_folder, "articles/timed.md", "# Timed words\n\nIt measures 90 cm today.\n")
    untimed = json.loads(run("sections", path, "--json").stdout)["sections"][0]["sentences"]
    assert untimed[1]["words"] is None  # never spoken ("Introduction." may have been, by another test)
    run("build", "-o", "out")
    sentence = json.loads(run("sections", path, "--json").stdout)["sections"][0]["sentences"][1]
    assert sentence["spoken"] == "It measures ninety centimeters today."
    assert [word["text"] for word in sentence["words"]] == ["It", "measures", "90", "cm", "today."]
    starts = [word["start"] for word in sentence["words"]]
    assert starts == sorted(starts) and all(word["start"] < word["end"] for word in sentence["words"])


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


def test_watch_builds_then_waits_and_ctrl_c_stops_it(project_folder):
    write_article(project_folder, "articles/a.txt", "A\n\nWatched.\n")
    log = project_folder / "watch.log"
    with log.open("w") as errors:
        watcher = audiogen("build", "--watch", "15m", "-o", "out", cwd=project_folder, stderr=errors)
        wait_for(lambda: "Next build in 15m; Ctrl+C stops." in log.read_text(), "the first build to end")
        watcher.send_signal(signal.SIGINT)
        stdout, _ = watcher.communicate(timeout=60)
    stderr = log.read_text()
    assert "Built 1 article" in stdout
    assert watcher.returncode == 130 and "Traceback" not in stderr
    assert run("build", "--watch", "5s", expect=2).stderr == (
        "Error: Invalid value for '--watch': '5s' is too short: at least 60 s, to be polite to servers\n")


def test_watch_keeps_running_after_a_round_that_fails(project_folder, monkeypatch):
    """Any error in a round, even audiogen's own, is one line, and the next round comes."""
    from audiogen import build, cli

    rounds = []

    def failing(*arguments):
        rounds.append(1)
        if len(rounds) == 1:
            raise AttributeError("'int' object has no attribute 'get'")
        raise KeyboardInterrupt

    write_article(project_folder, "articles/a.txt", "A\n\nText.\n")
    monkeypatch.setattr(build, "build", failing)
    monkeypatch.setattr(cli.time, "sleep", lambda seconds: None)
    result = run("build", "--watch", "1h", "-o", "out", expect=130)
    assert len(rounds) == 2
    assert "Error: audiogen failed (AttributeError: 'int' object has no attribute 'get')" in result.stderr
