"""A real wheel installs into a fresh venv, carries schema/, and validates the dataset."""

from __future__ import annotations

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
    # The map's template travels in the wheel and works from the installed package.
    assert {"graph/templates/map.html", "graph/templates/map.js", "graph/templates/map.css"} <= set(names)
    out = tmp_path / "maps"
    out.mkdir()
    drawn = subprocess.run([str(env / "bin" / "actorgraph"), "view", str(DATASET), "-o", "map.html"],
                           capture_output=True, text=True, cwd=out)
    assert drawn.returncode == 0, drawn.stderr
    assert [p.name for p in out.iterdir()] == ["map.html"]
