"""Loading methodology versions from their YAML files.

Each file under `versions/` is one version (its file name is its id). The directory is found
relative to this module, so the files travel with the package. Loading validates every file
(`schema.py`) and fails on the first malformed one, naming it: a registry with a broken version
in it must not start.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import yaml

from bagalau.methodology.errors import UnknownVersion, VersionFileError
from bagalau.methodology.model import MethodologyVersion
from bagalau.methodology.schema import build_version

VERSIONS_DIR = Path(__file__).parent / "versions"

# The C loader when libyaml is there (ten times faster); same safe semantics either way.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_version_file(path: Path | str) -> MethodologyVersion:
    """Parse and validate one version file; its `id` must equal the file name without `.yaml`."""
    path = Path(path)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as exc:
        raise VersionFileError(path.name, "(yaml)", f"not valid YAML: {exc}") from exc
    except OSError as exc:
        raise VersionFileError(path.name, "(file)", f"cannot be read: {exc}") from exc
    except UnicodeDecodeError as exc:
        # A version file is UTF-8 text (kk and ru labels); anything else is refused by name.
        raise VersionFileError(path.name, "(file)", f"is not UTF-8 text: {exc}") from exc
    return build_version(raw, path.name, expected_id=path.stem)


class Registry:
    """The loaded versions by id."""

    def __init__(self, versions: list[MethodologyVersion]) -> None:
        self._by_id: dict[str, MethodologyVersion] = {}
        for v in versions:
            if v.id in self._by_id:
                raise VersionFileError(v.source, "id", f"duplicate version id {v.id!r}")
            self._by_id[v.id] = v

    @classmethod
    def from_directory(cls, directory: Path | str) -> Registry:
        files = sorted(Path(directory).glob("*.yaml"))
        return cls([load_version_file(f) for f in files])

    def ids(self) -> tuple[str, ...]:
        return tuple(sorted(self._by_id))

    def get(self, version_id: str) -> MethodologyVersion:
        try:
            return self._by_id[version_id]
        except KeyError:
            raise UnknownVersion(version_id, self.ids()) from None

    def __contains__(self, version_id: object) -> bool:
        return version_id in self._by_id

    def __iter__(self) -> Iterator[MethodologyVersion]:
        return iter(self._by_id[i] for i in self.ids())


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The versions shipped with the package (loaded once per process)."""
    return Registry.from_directory(VERSIONS_DIR)


def get_version(version_id: str) -> MethodologyVersion:
    return default_registry().get(version_id)


def version_ids() -> tuple[str, ...]:
    return default_registry().ids()
