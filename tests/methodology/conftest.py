"""Fixtures for the rules-core tests: the shipped versions and a way to write altered copies."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bagalau.methodology.model import MethodologyVersion
from bagalau.methodology.versions import VERSIONS_DIR, get_version


@pytest.fixture
def koksu() -> MethodologyVersion:
    return get_version("koksu-3-24")


@pytest.fixture
def kentau() -> MethodologyVersion:
    return get_version("kentau-161")


@pytest.fixture
def typical23() -> MethodologyVersion:
    return get_version("typical-g2023")


@pytest.fixture
def typical25() -> MethodologyVersion:
    return get_version("typical-g2025")


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def raw_version(version_id: str) -> dict[str, Any]:
    return yaml.load((VERSIONS_DIR / f"{version_id}.yaml").read_text(encoding="utf-8"), Loader=_LOADER)


@pytest.fixture
def altered(tmp_path: Path) -> Callable[..., Path]:
    """Write a shipped version, changed by `change(raw)`, to tmp_path under its own file name."""

    def write(version_id: str, change: Callable[[dict[str, Any]], None]) -> Path:
        raw = raw_version(version_id)
        change(raw)
        path = tmp_path / f"{version_id}.yaml"
        path.write_text(yaml.dump(raw, Dumper=_DUMPER, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    return write
