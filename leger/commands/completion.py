"""``leger completion bash|zsh|fish``: a completion script generated from the command tree.

The scripts hold a table, command path → words that may follow (subcommands,
or a command's options), read from the registry and each command's surface
(``Param.choices``, ``Param.path``), so a new command, option or choice is
completed without touching this file. The same small state machine
is written for each shell: follow the command words typed so far, then offer
what fits. Values that need no request are completed too: ``--format``'s
formats, ``completion``'s shells, ``import``'s file, and after ``leger run --``
the command line of another program. Secret names are not: that would send a
request (and spend rate limit) on every Tab.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from leger import commands as registry
from leger.argv import Signature, option_name
from leger.command import Command, Param
from leger.context import Context
from leger.errors import UsageError

SHELLS = ("bash", "zsh", "fish")
_TOP_LEVEL_EXTRAS = ("--help", "--version")


@dataclass(frozen=True)
class _Tables:
    """What the scripts complete, by command path, read from the registry."""

    words: dict[str, tuple[str, ...]]  # path -> subcommands, or the command's options
    option_values: dict[str, tuple[str, ...]]  # "path --option" -> its choices
    positional_values: dict[str, tuple[str, ...]]  # path -> its first argument's choices
    files: list[str]  # paths whose argument is a file
    passthrough: list[str]  # paths that take a command after '--'


def completion(ctx: Context, shell: str) -> None:
    """Write the completion script for ``shell`` to stdout."""
    try:
        write = _WRITERS[shell]
    except KeyError:
        raise UsageError(
            "Unknown shell for 'leger completion'", hint=f"Shells: {', '.join(SHELLS)}."
        ) from None
    ctx.io.write(write(_tables()).encode("utf-8"))


def _tables() -> _Tables:
    tables = _Tables({}, {}, {}, [], [])
    for group in registry.GROUPS:
        extras = _TOP_LEVEL_EXTRAS if not group else ("--help",)
        tables.words[group] = (*registry.children(group), *extras)
    for path in registry.COMMANDS:
        command = registry.load(path)
        sig = Signature.of(command)
        tables.words[path] = (*sig.option_names(), "--help")
        shorts = sig.short_names()
        for param in sig.options:
            choices = _param(command, param).choices
            if choices:
                tables.option_values[f"{path} {option_name(param)}"] = tuple(choices)
                if param in shorts:
                    tables.option_values[f"{path} {shorts[param]}"] = tuple(choices)
        first = _param(command, sig.positionals[0]) if sig.positionals else None
        if first is not None and first.choices:
            tables.positional_values[path] = tuple(first.choices)
        if first is not None and first.path:
            tables.files.append(path)
        if sig.passthrough:
            tables.passthrough.append(path)
    return tables


def _param(command: Command, name: str) -> Param:
    return command.params[name]


def _cases(line: str, table: Mapping[str, Iterable[str]]) -> str:
    """``line`` once per entry of ``table``, with ``{key}`` and the space-joined ``{words}``."""
    return "".join(line.format(key=key, words=" ".join(words)) for key, words in table.items())


def _either(paths: Iterable[str]) -> str:
    """A case pattern (bash, zsh) matching any of ``paths``; one that matches nothing if none."""
    return "|".join(f"'{path}'" for path in paths) or "'\\0'"


def _bash(tables: _Tables) -> str:
    table = _cases("        '{key}') _leger_w=({words}) ;;\n", tables.words)
    offer = "'{key}') _leger_offer -W '{words}'; return ;;\n"
    values = _cases("        " + offer, tables.option_values)
    positional = _cases("        " + offer, tables.positional_values)
    passthrough, files = _either(tables.passthrough), _either(tables.files)
    return f"""\
# leger completion for bash. Install: add this line to ~/.bashrc
#   eval "$(leger completion bash)"
_leger_words() {{
    case $1 in
{table}        *) _leger_w=() ;;
    esac
}}

_leger_takes_command() {{
    case $1 in
        {passthrough}) return 0 ;;
    esac
    return 1
}}

# compgen fails when nothing matches: that must not end a shell that has set -e.
_leger_offer() {{
    COMPREPLY=($(compgen "$@" -- "$cur")) || :
}}

_leger() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}}
    local cmdpath='' word w i
    local -a _leger_w
    COMPREPLY=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${{COMP_WORDS[i]}}
        if [[ $word == -- ]] && _leger_takes_command "$cmdpath"; then
            if declare -F _command_offset >/dev/null; then
                _command_offset $((i + 1)) || :
            elif ((i + 1 == COMP_CWORD)); then
                _leger_offer -c
            else
                _leger_offer -f
            fi
            return
        fi
        [[ $word == -* ]] && continue
        _leger_words "$cmdpath"
        for w in "${{_leger_w[@]}}"; do
            if [[ $w == "$word" ]]; then
                cmdpath=${{cmdpath:+$cmdpath }}$word
                break
            fi
        done
    done
    case "$cmdpath $prev" in
{values}    esac
    if [[ $cur != -* ]]; then
        case $cmdpath in
{positional}            {files}) compopt -o filenames 2>/dev/null || :
                _leger_offer -f; return ;;
        esac
    fi
    _leger_words "$cmdpath"
    _leger_offer -W "${{_leger_w[*]}}"
}}

complete -F _leger leger
"""


def _zsh(tables: _Tables) -> str:
    table = _cases("        '{key}') reply=({words}) ;;\n", tables.words)
    values = _cases("        '{key}') compadd -- {words}; return ;;\n", tables.option_values)
    positional = _cases(
        "            '{key}') compadd -- {words}; return ;;\n", tables.positional_values
    )
    passthrough, files = _either(tables.passthrough), _either(tables.files)
    return f"""\
#compdef leger
# leger completion for zsh. Install: add this line to ~/.zshrc, after compinit
#   eval "$(leger completion zsh)"
_leger_words() {{
    case $1 in
{table}        *) reply=() ;;
    esac
}}

_leger_takes_command() {{
    case $1 in
        {passthrough}) return 0 ;;
    esac
    return 1
}}

_leger() {{
    local cmdpath='' word i
    local -a reply
    for ((i = 2; i < CURRENT; i++)); do
        word=${{words[i]}}
        if [[ $word == -- ]] && _leger_takes_command "$cmdpath"; then
            shift $i words
            (( CURRENT -= i ))
            _normal
            return
        fi
        [[ $word == -* ]] && continue
        _leger_words "$cmdpath"
        if (( ${{reply[(Ie)$word]}} )); then
            cmdpath=${{cmdpath:+$cmdpath }}$word
        fi
    done
    case "$cmdpath ${{words[CURRENT-1]}}" in
{values}    esac
    if [[ ${{words[CURRENT]}} != -* ]]; then
        case $cmdpath in
{positional}            {files}) _files; return ;;
        esac
    fi
    _leger_words "$cmdpath"
    compadd -- $reply
}}

compdef _leger leger
"""


def _fish(tables: _Tables) -> str:
    table = _cases("        case '{key}'\n            printf '%s\\n' {words}\n", tables.words)
    values = _cases(
        "        case '{key}'\n            printf '%s\\n' {words}\n            return\n",
        tables.option_values,
    )
    positional = _cases(
        "            case '{key}'\n                printf '%s\\n' {words}\n"
        "                return\n",
        tables.positional_values,
    )
    passthrough = " ".join(f"'{path}'" for path in tables.passthrough) or "''"
    files = " ".join(f"'{path}'" for path in tables.files) or "'\\0'"
    return f"""\
# leger completion for fish. Install:
#   leger completion fish > ~/.config/fish/completions/leger.fish
function __leger_words
    switch "$argv[1]"
{table}    end
end

function __leger_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l cmdpath ''
    set -l prev ''
    set -l count (count $tokens)
    for i in (seq 2 $count)
        set -l word $tokens[$i]
        if test "$word" = '--'; and contains -- "$cmdpath" {passthrough}
            set -l rest
            if test $i -lt $count
                set rest (string escape -- $tokens[(math $i + 1)..$count])
            end
            complete -C (string join ' ' -- $rest "$cur")
            return
        end
        set prev $word
        string match -q -- '-*' $word; and continue
        if contains -- $word (__leger_words "$cmdpath")
            set cmdpath (string trim -- "$cmdpath $word")
        end
    end
    switch "$cmdpath $prev"
{values}    end
    if not string match -q -- '-*' "$cur"
        switch "$cmdpath"
{positional}            case {files}
                __fish_complete_path "$cur"
                return
        end
    end
    __leger_words "$cmdpath"
end

complete -c leger -f -a '(__leger_complete)'
"""


_WRITERS: dict[str, Callable[[_Tables], str]] = {"bash": _bash, "zsh": _zsh, "fish": _fish}


COMMAND = Command(
    run=completion,
    summary="Print a shell completion script for leger's commands and options",
    params={"shell": Param("bash, zsh or fish.", metavar="SHELL", choices=SHELLS)},
    description="""\
Completes commands, options, --format's formats and import's file, and after
'leger run --' the command line of the program it runs. Secret names are not
completed: that would send a request on every Tab.""",
    examples=(
        "leger completion bash",
        "leger completion fish > ~/.config/fish/completions/leger.fish",
    ),
    see_also=(),
)
