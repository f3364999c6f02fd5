"""A new user's install: Python's own venv and the pip it bundles (no upgrade), `pip install .`,
then a saved web page read, which needs trafilatura and everything it imports."""

import ensurepip
import json
import shutil
import subprocess
import sys

import pytest

from support import EDGE_CASES, ROOT

SOURCES = shutil.ignore_patterns(".git", ".venv*", ".tools", "node_modules", "output", "*.egg-info", "build",
                                 "__pycache__", ".pytest_cache", ".hypothesis")


@pytest.mark.slow
def test_pip_install_with_the_pip_python_bundles_reads_a_web_page(tmp_path):
    source, venv = tmp_path / "audiogen", tmp_path / "venv"
    shutil.copytree(ROOT, source, ignore=SOURCES)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run([venv / "bin" / "python", "-m", "pip", "--version"], capture_output=True, text=True)
    assert pip.stdout.startswith(f"pip {ensurepip.version()} ")  # the bundled one, not upgraded
    # --no-compile: byte-compiling every dependency is a fifth of the install and tests nothing here.
    install = subprocess.run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-compile", str(source)],
                             capture_output=True, text=True, timeout=1800)
    assert install.returncode == 0, install.stderr[-3000:]
    page = subprocess.run([venv / "bin" / "audiogen", "sections", "--json",
                           EDGE_CASES / "html_saved_page_with_boilerplate.html"],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert page.returncode == 0, page.stderr
    found = json.loads(page.stdout)
    assert found["title"] == "Walking Aids Explained"
    assert [section["title"] for section in found["sections"]] == ["Introduction", "Sticks", "Frames"]
