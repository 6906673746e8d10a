"""The library is typed: mypy finds no error in graph/ and loaders/."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_mypy_passes(tmp_path):
    # A private cache folder: the check never trusts a stale one.
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy"), "--no-error-summary"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
