"""``leger completion bash|zsh|fish``: a completion script generated from the command tree.

The scripts hold a table, command path → words that may follow (subcommands,
or a command's options), walked from the tree Fire walks, so a new command or
option is completed without touching this file. The same small state machine
is written for each shell: follow the command words typed so far, then offer
what fits. Values that need no request are completed too: ``--format``'s
formats, ``completion``'s shells, ``import``'s file, and after ``leger run --``
the command line of another program. Secret names are not: that would send a
request (and spend rate limit) on every Tab.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from leger.argv import command_options, commands
from leger.context import Context
from leger.errors import UsageError
from leger.export_formats import FORMATS

SHELLS = ("bash", "zsh", "fish")
_TOP_LEVEL_EXTRAS = ("--help", "--version")
# Values of options, by "command path --option".
_OPTION_VALUES = {"secrets export --format": tuple(FORMATS)}
_POSITIONAL_VALUES = {"completion": SHELLS}
_FILE_ARGUMENT = "secrets import"
_PASSTHROUGH = "run"


@dataclass(frozen=True)
class _Node:
    path: str  # "" for leger itself, "secrets export" for a command
    words: tuple[str, ...]  # what may follow: subcommands, or options


def completion(ctx: Context, root: object, shell: str) -> None:
    """Write the completion script for ``shell`` to stdout."""
    try:
        write = _WRITERS[shell]
    except KeyError:
        raise UsageError(
            "Unknown shell for 'leger completion'", hint=f"Shells: {', '.join(SHELLS)}."
        ) from None
    ctx.io.write(write(list(_walk(root, ""))).encode("utf-8"))


def _walk(group: object, path: str) -> Iterator[_Node]:
    names = commands(group)
    extras = _TOP_LEVEL_EXTRAS if not path else ("--help",)
    yield _Node(path, (*names, *extras))
    for name in names:
        member = getattr(group, name)
        child = f"{path} {name}".strip()
        if callable(member):
            yield _Node(child, (*command_options(member), "--help"))
        else:
            yield from _walk(member, child)


def _cases(line: str, table: Mapping[str, Iterable[str]]) -> str:
    """``line`` once per entry of ``table``, with ``{key}`` and the space-joined ``{words}``."""
    return "".join(line.format(key=key, words=" ".join(words)) for key, words in table.items())


def _paths(nodes: list[_Node]) -> dict[str, tuple[str, ...]]:
    return {node.path: node.words for node in nodes}


def _bash(nodes: list[_Node]) -> str:
    table = _cases("        '{key}') _leger_w=({words}) ;;\n", _paths(nodes))
    offer = "'{key}') COMPREPLY=($(compgen -W '{words}' -- \"$cur\")); return ;;\n"
    values = _cases("        " + offer, _OPTION_VALUES)
    positional = _cases("        " + offer, _POSITIONAL_VALUES)
    return f"""\
# leger completion for bash. Install: add this line to ~/.bashrc
#   eval "$(leger completion bash)"
_leger_words() {{
    case $1 in
{table}        *) _leger_w=() ;;
    esac
}}

_leger() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}}
    local cmdpath='' word w i
    local -a _leger_w
    COMPREPLY=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${{COMP_WORDS[i]}}
        if [[ $word == -- && $cmdpath == '{_PASSTHROUGH}' ]]; then
            if declare -F _command_offset >/dev/null; then
                _command_offset $((i + 1))
            elif ((i + 1 == COMP_CWORD)); then
                COMPREPLY=($(compgen -c -- "$cur"))
            else
                COMPREPLY=($(compgen -f -- "$cur"))
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
{positional}            '{_FILE_ARGUMENT}') compopt -o filenames 2>/dev/null
                COMPREPLY=($(compgen -f -- "$cur")); return ;;
        esac
    fi
    _leger_words "$cmdpath"
    COMPREPLY=($(compgen -W "${{_leger_w[*]}}" -- "$cur"))
}}

complete -F _leger leger
"""


def _zsh(nodes: list[_Node]) -> str:
    table = _cases("        '{key}') reply=({words}) ;;\n", _paths(nodes))
    values = _cases("        '{key}') compadd -- {words}; return ;;\n", _OPTION_VALUES)
    positional = _cases("            '{key}') compadd -- {words}; return ;;\n", _POSITIONAL_VALUES)
    return f"""\
#compdef leger
# leger completion for zsh. Install: add this line to ~/.zshrc, after compinit
#   eval "$(leger completion zsh)"
_leger_words() {{
    case $1 in
{table}        *) reply=() ;;
    esac
}}

_leger() {{
    local cmdpath='' word i
    local -a reply
    for ((i = 2; i < CURRENT; i++)); do
        word=${{words[i]}}
        if [[ $word == -- && $cmdpath == '{_PASSTHROUGH}' ]]; then
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
{positional}            '{_FILE_ARGUMENT}') _files; return ;;
        esac
    fi
    _leger_words "$cmdpath"
    compadd -- $reply
}}

compdef _leger leger
"""


def _fish(nodes: list[_Node]) -> str:
    table = _cases("        case '{key}'\n            printf '%s\\n' {words}\n", _paths(nodes))
    values = _cases(
        "        case '{key}'\n            printf '%s\\n' {words}\n            return\n",
        _OPTION_VALUES,
    )
    positional = _cases(
        "            case '{key}'\n                printf '%s\\n' {words}\n"
        "                return\n",
        _POSITIONAL_VALUES,
    )
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
        if test "$word" = '--' -a "$cmdpath" = '{_PASSTHROUGH}'
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
{positional}            case '{_FILE_ARGUMENT}'
                __fish_complete_path "$cur"
                return
        end
    end
    __leger_words "$cmdpath"
end

complete -c leger -f -a '(__leger_complete)'
"""


_WRITERS: dict[str, Callable[[list[_Node]], str]] = {"bash": _bash, "zsh": _zsh, "fish": _fish}
