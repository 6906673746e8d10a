"""Shared fixtures: the shipped dataset's path, the seeds, a CLI runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

# Property tests: a short run in `make test`, a long one in `make fuzz`
# (FUZZ_EXAMPLES examples per property). No example database is written
# into the checkout; a failure prints the blob that reproduces it.
settings.register_profile("default", max_examples=60, database=None, print_blob=True)
settings.register_profile("fuzz", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "5000")), database=None,
                          print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "facts" / "chicago-sanctuary"
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(autouse=True, scope="session")
def _run_from_repo_root() -> None:
    # Doctests and examples name facts/chicago-sanctuary relative to the repo.
    os.chdir(ROOT)


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Loads go through the on-disk cache by default; tests keep theirs apart
    # from the user's ~/.cache/actorgraph.
    os.environ["ACTORGRAPH_CACHE_DIR"] = str(tmp_path_factory.mktemp("actorgraph-cache"))


@pytest.fixture(autouse=True, scope="session")
def _private_daemon_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    # A daemon the developer runs is never used by the tests (the commands
    # would then run in code started before the checkout changed); the
    # daemon tests start their own here.
    folder = tmp_path_factory.mktemp("daemon")
    folder.chmod(0o700)
    os.environ["ACTORGRAPH_DAEMON_DIR"] = str(folder)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def core():
    import graph

    return graph.load(DATASET)

