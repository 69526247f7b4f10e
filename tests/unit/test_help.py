"""``leger.help``: every command's help says exactly what its code takes, as users type it."""

from __future__ import annotations

import re

import pytest

from leger import commands as registry
from leger.argv import Signature, option_name
from leger.help import render

COMMANDS = list(registry.COMMANDS)


def section(text: str, title: str) -> list[str]:
    """The lines of a help section (``Options:``), without their indent."""
    match = re.search(rf"^{title}:\n((?:  .*\n|\n(?=  ))*)", text, re.M)
    return [] if match is None else [line[2:] for line in match[1].splitlines() if line]


def listed_options(text: str) -> dict[str, str | None]:
    """Each long option in the Options section, with its one-letter form (or None)."""
    found: dict[str, str | None] = {}
    for line in section(text, "Options"):
        match = re.match(r"(?:(-[A-Za-z]), )?\s*(--[a-z][a-z-]*)", line)
        if match:
            found[match[2]] = match[1]
    return found


@pytest.mark.parametrize("path", COMMANDS)
def test_every_parameter_is_documented_and_nothing_else(path):
    command = registry.load(path)
    assert set(command.params) == {p.name for p in command.parameters()}, path
    assert all(param.help.strip() for param in command.params.values()), path


@pytest.mark.parametrize("path", COMMANDS)
def test_help_lists_exactly_the_options_the_signature_takes(path):
    command = registry.load(path)
    sig = Signature.of(command)
    shown = listed_options(render(path, command))
    expected = {option_name(p): sig.short_names().get(p) for p in sig.options + sig.flags}
    assert shown == {**expected, "--help": "-h"}


@pytest.mark.parametrize("path", COMMANDS)
def test_help_lists_the_arguments_and_a_usage_line(path):
    command = registry.load(path)
    sig = Signature.of(command)
    text = render(path, command)
    usage = section(text, "Usage")
    assert usage == [
        sig.usage(path, {n: p.metavar for n, p in command.params.items() if p.metavar})
    ]
    arguments = section(text, "Arguments")
    names = [line.split("   ")[0].strip() for line in arguments if not line.startswith(" ")]
    assert len(names) == len(sig.positionals) + bool(sig.passthrough)


@pytest.mark.parametrize("path", COMMANDS)
def test_help_reads_as_a_user_types_not_as_python(path):
    text = render(path, registry.load(path))
    for python in ("Type:", "Optional[", "str | None", "bool", "=DRY_RUN", "_ctx", "NoReturn"):
        assert python not in text, (path, python)
    assert not re.search(r"--[a-z]+_[a-z]", text), path  # --dry_run, not as typed
    assert text.startswith(registry.load(path).summary)
    assert all(len(line) <= 80 for line in text.splitlines() if not line.startswith("  leger")), (
        path
    )


@pytest.mark.parametrize("path", COMMANDS)
def test_help_has_examples_and_see_also(path):
    text = render(path, registry.load(path))
    assert section(text, "Examples")
    assert section(text, "See also")


@pytest.mark.parametrize("group", list(registry.GROUPS))
def test_group_help_lists_each_command_with_its_one_line_summary(group):
    text = render(group, None)
    rows = section(text, "Commands")
    assert [row.split()[0] for row in rows] == registry.children(group)
    for row in rows:
        name = row.split()[0]
        child = registry.join(group, name)
        summary = registry.GROUPS.get(child) or registry.load(child).summary
        assert row.split(None, 1)[1] == summary


def test_flags_are_bare_and_options_name_their_value():
    text = render("secrets sync", registry.load("secrets sync"))
    assert "-o, --only NAMES" in text
    assert re.search(r"^  -p, --prune   ", text, re.M)
    assert re.search(r"^  -d, --dry-run   ", text, re.M)


def test_see_also_points_to_the_parent_group():
    assert (
        "leger secrets --help"
        in section(render("secrets get", registry.load("secrets get")), "See also")[0]
    )
    assert "leger --help" in section(render("run", registry.load("run")), "See also")[0]
