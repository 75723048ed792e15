"""The Annex 4 competency matrix (Kentau No. 161 as amended by No. 131, seed 000) in the shape a
body's adoption takes it as its own competency annex (`methodology.local`, key "competencies").

A typical G2023 version ships no matrix (Q-21): each body loads the annex of its own act. The
demo body is fictional and has no act, so it takes this one, the only Annex 4 text retrieved; a
real body enters its own annex instead. The rows are copied into the adoption, not shared.
"""

from __future__ import annotations

from typing import Any

import yaml

from bagalau.methodology.versions import VERSIONS_DIR

SOURCE_VERSION = "kentau-161"


def seed_annex4() -> dict[str, Any]:
    """{"groups": ..., "items": ...} exactly as in the kentau-161 version file (kk verbatim from the
    seed, ru and en unofficial renderings)."""
    raw = yaml.safe_load((VERSIONS_DIR / f"{SOURCE_VERSION}.yaml").read_text(encoding="utf-8"))
    block = raw["competencies"]
    return {"groups": block["groups"], "items": block["items"]}
