"""Shared fixtures: one build of ``seeds/`` per test session (spaCy models load once)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class SeedBuild:
    result: object  # kg.build.BuildResult
    out_dir: Path


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory) -> SeedBuild:
    from kg.build import build

    out_dir = tmp_path_factory.mktemp("seed-build")
    result = build([REPO_ROOT / "seeds"], out_dir=out_dir)
    return SeedBuild(result, out_dir)


@pytest.fixture(scope="session")
def built_dir(seed_build: SeedBuild) -> Path:
    return seed_build.out_dir
