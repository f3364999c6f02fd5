"""The README documents every command and every setting."""

import dataclasses

from audiogen.cli import main
from audiogen.config import Settings
from support import ROOT

README = (ROOT / "README.md").read_text()


def test_every_command_is_in_the_readme():
    for name in main.commands:
        assert f"### `audiogen {name}" in README, f"'audiogen {name}' is not documented"


def test_every_setting_is_in_the_readme():
    for setting in dataclasses.fields(Settings):
        name = f"`[{setting.name}]`" if setting.name in ("pauses", "voices") else f"`{setting.name}`"
        assert f"| {name} |" in README, f"setting '{setting.name}' is not documented"
