"""The speech cache: its size told, and cleaned of what audiogen wrote and nothing else."""

from support import run, write_article


def test_cache_reports_its_size_and_clean_empties_it(project_folder):
    write_article(project_folder, "audiogen.toml", f'cache_dir = "{project_folder / "speech"}"\n')
    write_article(project_folder, "articles/a.txt", "A\n\nCached words.\n")
    run("build", "-o", "out")
    report = run("cache").stdout
    assert report.startswith(f"{project_folder / 'speech'}: ") and " 0 files" not in report
    assert run("clean").stdout.startswith("Removed ")
    assert run("cache").stdout == f"{project_folder / 'speech'}: 0 files, 0.0 MB\n"


def test_clean_removes_only_what_audiogen_wrote_even_in_the_project_folder(project_folder):
    write_article(project_folder, "articles/a.txt", "A\n\nA sentence to cache.\n")
    write_article(project_folder, "audiogen.toml", 'cache_dir = "."\n')
    (project_folder / "audio").mkdir()
    (project_folder / "audio" / "my-recording.mp3").write_bytes(b"the producer's own")
    run("build", "-o", "out")
    assert (project_folder / "CACHEDIR.TAG").is_file() and list((project_folder / "speech").rglob("*.pcm"))
    result = run("clean")
    assert result.stdout.startswith("Removed ")
    assert (project_folder / "articles" / "a.txt").is_file() and (project_folder / "audiogen.toml").is_file()
    assert (project_folder / "audio" / "my-recording.mp3").read_bytes() == b"the producer's own"
    assert (project_folder / "out" / "a" / "a.mp3").is_file()
    assert not list((project_folder / "speech").rglob("*.pcm")) if (project_folder / "speech").exists() else True


def test_clean_refuses_a_folder_audiogen_did_not_make(project_folder, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "keep.txt").write_text("mine")
    write_article(project_folder, "audiogen.toml", f'cache_dir = "{tmp_path / "elsewhere"}"\n')
    assert "has no CACHEDIR.TAG" in run("clean", expect=1).stderr
    assert (tmp_path / "elsewhere" / "keep.txt").read_text() == "mine"
