"""The fonts embedded in every PDF: Liberation Serif (metric-compatible with Times New Roman, which
official documents in Kazakhstan conventionally use) with DejaVu Serif as the fallback; both carry
every Kazakh letter. They come from Debian's `fonts-liberation2` and `fonts-dejavu-core`, found by
path and referenced with @font-face file URLs, so WeasyPrint never substitutes a font silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation"),
             Path("/usr/share/fonts/truetype/dejavu"))


@dataclass(frozen=True)
class Face:
    family: str
    file: str
    weight: str
    style: str


FACES = (
    Face("Form Serif", "LiberationSerif-Regular.ttf", "normal", "normal"),
    Face("Form Serif", "LiberationSerif-Bold.ttf", "bold", "normal"),
    Face("Form Serif", "LiberationSerif-Italic.ttf", "normal", "italic"),
    Face("Form Fallback", "DejaVuSerif.ttf", "normal", "normal"),
    Face("Form Fallback", "DejaVuSerif-Bold.ttf", "bold", "normal"),
)

# The family names as the PDF lists them (pdffonts), for the test that checks what is embedded.
EMBEDDED_NAMES = ("LiberationSerif", "DejaVuSerif")


class FontMissing(RuntimeError):
    pass


def find(file: str) -> Path | None:
    for d in FONT_DIRS:
        if (d / file).exists():
            return d / file
    return None


@lru_cache(maxsize=1)
def font_face_css() -> str:
    """@font-face rules for the faces installed; refuses to render without the main serif."""
    rules = []
    for face in FACES:
        path = find(face.file)
        if path is None:
            if face.family == "Form Serif" and face.weight == "normal" and face.style == "normal":
                raise FontMissing(f"{face.file} is not installed: apt-get install fonts-liberation2")
            continue
        rules.append(f"@font-face {{ font-family: '{face.family}'; src: url('{path.as_uri()}'); "
                     f"font-weight: {face.weight}; font-style: {face.style}; }}")
    return "\n".join(rules)
