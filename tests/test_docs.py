"""The README documents every command and every setting."""


from audiogen.cli import main
from conftest import ROOT

README = (ROOT / "README.md").read_text()


def test_every_command_is_in_the_readme():
    for name in main.commands:
        assert f"### `audiogen {name}" in README, f"'audiogen {name}' is not documented"
