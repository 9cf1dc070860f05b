"""The command line stays a set of small commands: no function in ipmetrics/cli/ grows past 80 lines."""

import argparse
import ast
from pathlib import Path

import ipmetrics.cli
from ipmetrics.cli import build_parser

CLI_DIR = Path(ipmetrics.cli.__file__).parent
MAX_LINES = 80


def function_lengths() -> dict[str, int]:
    lengths = {}
    for path in sorted(CLI_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                lengths[f"{path.name}:{node.lineno} {node.name}"] = node.end_lineno - first + 1
    return lengths


def test_no_function_in_the_cli_is_longer_than_80_lines():
    lengths = function_lengths()
    assert len(lengths) > 20  # the walk found the command functions
    too_long = {name: n for name, n in lengths.items() if n > MAX_LINES}
    assert not too_long, f"functions over {MAX_LINES} lines: {too_long}"


def test_every_sub_command_has_its_own_handler():
    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    handlers = {name: sub.get_default("handler") for name, sub in commands.choices.items()}
    assert len(handlers) == 19 and all(callable(h) for h in handlers.values())  # `confirm` came with issue 17
    assert len(set(handlers.values())) == len(handlers)
