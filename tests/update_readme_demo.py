"""Re-run the README's demo session and write its real output back.

Run from the repository root: ``.venv/bin/python tests/update_readme_demo.py``.
tests/test_docs.py fails when the README's session is out of date.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from graph.cli import main

README = Path(__file__).resolve().parent.parent / "README.md"


def update() -> None:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"(<!-- demo:start -->\n.*?```console\n)(.*?)(```)", text, re.S)
    if block is None:
        raise SystemExit("README.md lacks the demo session markers")
    lines: list[str] = []
    for command in re.findall(r"^\$ (.*)$", block.group(2), re.M):
        result = CliRunner().invoke(main, shlex.split(command)[1:])
        if result.exit_code != 0:
            raise SystemExit(f"{command} failed:\n{result.output}")
        lines += [f"$ {command}", *result.output.rstrip("\n").splitlines()]
    README.write_text(text[: block.start(2)] + "\n".join(lines) + "\n" + text[block.end(2):], encoding="utf-8")


if __name__ == "__main__":
    update()
