"""Hatchling build hook: compile loaders/_yamlfast.c, the compiled YAML reader.

Runs for wheels and editable installs (``pip install -e .``). The extension
is optional: without a C compiler or Python's headers, or when compiling
fails, the hook warns and the package stays pure Python
(``loaders.yamlfast`` then reads with its Python reader, same results,
slower). ``ACTORGRAPH_PURE_PYTHON=1`` skips the extension on purpose.

Compiled with the compiler and flags Python itself was built with
(``sysconfig``), in one step: one C file needs no build system of its own.
An editable install puts the module beside its source (gitignored); a
wheel carries it, tagged for this interpreter and platform.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = Path("loaders") / "_yamlfast.c"


class CompiledReaderHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        if os.environ.get("ACTORGRAPH_PURE_PYTHON"):
            self.app.display_warning("ACTORGRAPH_PURE_PYTHON is set: loaders._yamlfast not built (pure Python)")
            return
        root = Path(self.root)
        name = "_yamlfast" + (sysconfig.get_config_var("EXT_SUFFIX") or ".so")
        if version == "editable":
            out_dir = root / "loaders"  # imported from the source tree
        else:
            self._tmp = tempfile.TemporaryDirectory()
            out_dir = Path(self._tmp.name)
        problem = compile_extension(root / SOURCE, out_dir / name)
        if problem:
            self.app.display_warning(f"loaders._yamlfast not built ({problem}); the package stays pure Python "
                                     "and reads YAML more slowly")
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if version != "editable":
            build_data["force_include"][str(out_dir / name)] = f"loaders/{name}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        tmp = getattr(self, "_tmp", None)
        if tmp is not None:
            tmp.cleanup()


def compile_extension(source: Path, target: Path) -> str | None:
    """Compile ``source`` into the extension module ``target``; a problem, or None."""
    include = sysconfig.get_paths()["include"]
    if not (Path(include) / "Python.h").is_file():
        return f"Python's C headers are not in {include} (on Debian: apt-get install python3-dev)"
    # LDSHARED is the compiler with the flags that make a loadable module
    # (-shared on Linux, -bundle -undefined dynamic_lookup on macOS).
    link = shlex.split(sysconfig.get_config_var("LDSHARED") or "")
    if not link:
        return "this Python does not say how to build an extension (no LDSHARED)"
    cc = os.environ.get("CC")
    if cc:
        link[:1] = shlex.split(cc)
    if shutil.which(link[0]) is None:
        return f"no C compiler ({link[0]} not found)"
    flags = shlex.split(sysconfig.get_config_var("CFLAGS") or "") + shlex.split(sysconfig.get_config_var("CCSHARED") or "")
    # Written to a temporary name and renamed: a running interpreter that has
    # the old module mapped keeps a consistent file.
    partial = target.with_name(target.name + ".part")
    command = [*link, *flags, "-I", include, str(source), "-o", str(partial)]
    try:
        done = subprocess.run(command, capture_output=True, text=True)
    except OSError as exc:
        return f"{link[0]} cannot run: {exc}"
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        return f"{shlex.join(command)} failed:\n{done.stderr.strip()}"
    os.replace(partial, target)
    return None
