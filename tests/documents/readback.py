"""Reading rendered documents back the way a reviewer's tools do: pdftotext (in content order, -raw, so a
table cell wrapped over two lines stays together) for the PDF, python-docx
for the DOCX (paragraphs and table cells), pdffonts for the embedded fonts, pdftoppm for a PNG of
the first page kept under tests/output/documents/ for review."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import docx

OUTPUT = Path(__file__).resolve().parents[1] / "output" / "documents"
KAZAKH_LETTERS = "әғқңөұүһі"


def flat(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def pdf_text(content: bytes) -> str:
    done = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True,
                          check=True)
    return flat(done.stdout.decode("utf-8"))


def pdf_fonts(content: bytes, tmp: Path) -> str:
    path = tmp / "fonts.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return flat("\n".join(parts))


def first_page_png(content: bytes, name: str) -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    pdf = OUTPUT / f"{name}.pdf"
    pdf.write_bytes(content)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(OUTPUT / name)],
                   check=True)
    pdf.unlink()
    return OUTPUT / f"{name}.png"
