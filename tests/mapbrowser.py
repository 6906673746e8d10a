"""A real headless Chromium for the map tests, driven through tests/browser/bridge.mjs.

One :class:`Chromium` is one browser session (a node process running
playwright-core against Debian's /usr/bin/chromium); requests and answers
are JSON lines. ``make deps-chromium`` installs both.
"""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

BRIDGE_DIR = Path(__file__).resolve().parent / "browser"
CHROMIUM = Path("/usr/bin/chromium")


class BridgeError(RuntimeError):
    """The page or the bridge reported an error."""


def missing() -> str | None:
    """Why a browser session cannot start, or None."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: run `make deps-chromium`"
    if not (BRIDGE_DIR / "node_modules" / "playwright-core").is_dir():
        return "playwright-core is not installed in tests/browser: run `make deps-chromium`"
    if shutil.which("node") is None:
        return "node is missing: run `make deps-chromium`"
    return None


class Chromium:
    """One browser session; every call waits at most ``timeout`` seconds."""

    def __init__(self, timeout: float = 60.0) -> None:
        self.timeout = timeout
        self._proc = subprocess.Popen(
            ["node", str(BRIDGE_DIR / "bridge.mjs")], cwd=BRIDGE_DIR, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        )
        self._answers: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            self._answers.put(line)
        self._answers.put(None)

    def call(self, op: str, **args: Any) -> Any:
        assert self._proc.stdin is not None
        self._proc.stdin.write(json.dumps({"op": op, **args}) + "\n")
        self._proc.stdin.flush()
        try:
            line = self._answers.get(timeout=self.timeout)
        except queue.Empty:
            raise BridgeError(f"no answer to {op!r} within {self.timeout} s") from None
        if line is None:
            err = self._proc.stderr.read() if self._proc.stderr else ""
            raise BridgeError(f"the browser bridge stopped: {err[-2000:]}")
        answer = json.loads(line)
        if "error" in answer:
            raise BridgeError(answer["error"])
        return answer["ok"]

    def open(self, path: str | Path) -> None:
        """Load a file and wait until the map is laid out and drawn."""
        self.call("open", path=str(Path(path).resolve()))
        self.eval("""new Promise((resolve, reject) => {
            const start = Date.now();
            const wait = () => (window.actorgraph && window.actorgraph.ready) ? resolve(true)
              : Date.now() - start > 45000 ? reject(new Error("the map never became ready"))
              : setTimeout(wait, 25);
            wait();
        })""")

    def eval(self, js: str) -> Any:
        return self.call("eval", js=js)

    def record(self) -> dict[str, list[dict[str, Any]]]:
        return self.call("record")

    def close(self) -> None:
        if self._proc.poll() is None:
            try:
                self.call("close")
            except (BridgeError, OSError):
                pass
            if self._proc.stdin:
                self._proc.stdin.close()
            try:
                self._proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
