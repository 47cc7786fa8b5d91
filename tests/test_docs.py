"""The README tells the truth, in the manner of sqlite-utils' test_docs.py.

Every command (and subcommand) has help and is in the README; every
`$ storyloc …` line the README shows is a command line storyloc accepts; and
the console examples marked `<!-- example: … -->` are exactly what the
commands print today (docs/readme_examples.py regenerates them from real runs).
"""
from __future__ import annotations

import re
import shlex
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from storyloc.cli import main

from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "storyloc"):
    for name, command in sorted(group.commands.items()):
        yield f"{prefix} {name}", command
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix} {name}")


COMMANDS = list(_commands(main))


@pytest.mark.parametrize("name,command", COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_command_has_help_with_an_example_and_is_in_the_readme(name, command):
    assert command.help and command.help.strip(), f"`{name}` has no help"
    if not isinstance(command, click.Group):           # a group's subcommands carry the examples
        assert "Example" in command.help, f"`{name}`'s help has no example"
    assert name in README, f"`{name}` is not in README.md"
    result = CliRunner().invoke(main, [*name.split()[1:], "--help"])
    assert result.exit_code == 0 and result.output.startswith("Usage: ")


def _readme_command_lines() -> list[str]:
    lines = []
    for block in re.findall(r"^```(?:console|sh)\n(.*?)^```", README, re.M | re.S):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line.startswith("$ "):
                line = line[2:]
            if line.startswith("storyloc "):
                lines.append(line)
    return lines


@pytest.mark.parametrize("line", _readme_command_lines())
def test_every_command_line_in_the_readme_is_one_storyloc_accepts(line):
    args = shlex.split(line)[1:]
    # --help is eager: it answers only once every option before it has parsed (an unknown one fails first)
    result = CliRunner().invoke(main, [*args, "--help"])
    assert result.exit_code == 0, f"README.md: `{line}`: {result.output.strip().splitlines()[-1]}"


def test_the_readme_console_examples_are_what_the_commands_print():
    marked = re.findall(r"^<!-- example: ([a-z0-9-]+) -->\n```console\n", README, re.M)
    assert len(marked) >= 15 and {"serve", "check-paths"} <= set(marked)   # a server's first lines; any catalog
    result = subprocess.run([sys.executable, str(REPO / "docs" / "readme_examples.py"), "--check"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr
