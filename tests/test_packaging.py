"""A real wheel installs into a fresh venv, carries schema/ and the compiled reader, and validates the dataset."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile

from conftest import DATASET, ROOT


def test_wheel_installs_and_validates(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True)
    (wheel,) = dist.glob("actorgraph-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "loaders/_schema/kinds.yaml" in names and "loaders/_schema/relations.yaml" in names
    assert not any(n.startswith("schema/") for n in names), "schema/ must not become a top-level package"
    # hatch_build.py compiled the YAML reader: the wheel is for this interpreter and platform.
    assert any(n.startswith("loaders/_yamlfast.") and n.endswith((".so", ".pyd")) for n in names), names
    assert not wheel.name.endswith("-none-any.whl") and "loaders/_yamlfast.c" not in names

    env = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env)
    python = env / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    result = subprocess.run([str(env / "bin" / "actorgraph"), "validate", str(DATASET)],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: ")
    where = subprocess.run([str(python), "-c", "import loaders.vocabulary as v; print(v.shipped_schema_dir())"],
                           capture_output=True, text=True, cwd=tmp_path, check=True).stdout
    assert "site-packages/loaders/_schema" in where
    compiled = subprocess.run([str(python), "-c", "from loaders.yamlfast import compiled_reader as c; print(c())"],
                              capture_output=True, text=True, cwd=tmp_path, check=True).stdout
    assert "built-in function read" in compiled
    # The map's template travels in the wheel and works from the installed package.
    assert {"graph/templates/map.html", "graph/templates/map.js", "graph/templates/map.css"} <= set(names)
    out = tmp_path / "maps"
    out.mkdir()
    drawn = subprocess.run([str(env / "bin" / "actorgraph"), "view", str(DATASET), "-o", "map.html"],
                           capture_output=True, text=True, cwd=out)
    assert drawn.returncode == 0, drawn.stderr
    assert [p.name for p in out.iterdir()] == ["map.html"]


def test_without_a_compiler_the_wheel_is_pure_python(tmp_path):
    dist = tmp_path / "dist"
    built = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
                           capture_output=True, text=True, env={**os.environ, "CC": str(tmp_path / "no-cc")})
    assert built.returncode == 0, built.stderr
    (wheel,) = dist.glob("actorgraph-*.whl")
    assert wheel.name.endswith("-py3-none-any.whl")
    assert not any("_yamlfast." in n and not n.endswith(".pyi") for n in zipfile.ZipFile(wheel).namelist())
    assert "loaders._yamlfast not built (no C compiler" in built.stdout + built.stderr
