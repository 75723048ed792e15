"""The Kentau Annex 4 matrix in the version file against the seed text itself (S0-Annex 4, spec 12).

The seed is a PDF-to-text dump: columns interleave, page breaks split cells, some words are
letter-spaced ("Қ Ы З М Е Т Т І"). So the test compares with all whitespace removed, and every
Kazakh text of the version file must be found in the seed (a cell split by a page break may be
found in at most two pieces), each occurrence used once; what is left of the seed afterwards
must be punctuation only. Together: nothing in the file that the seed lacks, nothing in the
seed that the file lacks. The seed copy lives in tests/methodology/data; a missing file fails.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bagalau.methodology.model import HEAD, NON_HEAD, group_for

SEED = Path(__file__).parent / "data" / "000_5305d666c6c81f1e.txt"
HOLE = "\x00"
UPPER = "А-ЯЁӘҒҚҢӨҰҮҺІ"
LOWER = "а-яёәғқңөұүһі"
HEAD_LABEL = re.compile(r"E-2;E-3\([Құқ]ұрылымдықбөлімшеніңбасшысы\);")
NON_HEAD_LABEL = re.compile(r"E-3;\*E-4;")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def annex() -> str:
    """The matrix part of the seed (after the column headers, before the © footer), squeezed."""
    text = SEED.read_text(encoding="utf-8")
    start = text.index("Тиімсіз мінез-құлық")
    start = text.index("индикаторлары", start) + len("индикаторлары")
    return squeeze(text[start:text.index("©")])


def competency_names_in(annex: str) -> list[str]:
    """Runs of capitals: the competency names (a trailing capital starting the next word dropped)."""
    names = []
    for m in re.finditer(f"[{UPPER}]{{6,}}", annex):
        run = m.group()
        if re.match(f"[{LOWER}]", annex[m.end():m.end() + 1]):
            run = run[:-1]
        names.append(run)
    return names


def consume(haystack: str, text: str) -> tuple[str, int]:
    """Remove `text` from `haystack` in as few contiguous pieces as possible; return the rest and
    the number of pieces. Pieces shorter than 12 characters are not accepted (too ambiguous)."""
    rest, pieces = squeeze(text), 0
    while rest:
        for length in range(len(rest), 0, -1):
            if length < 12 and length < len(rest):
                raise AssertionError(f"not in the seed: {text!r} (from {rest!r})")
            i = haystack.find(rest[:length])
            if i >= 0:
                haystack = haystack[:i] + HOLE + haystack[i + length:]
                rest, pieces = rest[length:], pieces + 1
                break
        else:
            raise AssertionError(f"not in the seed: {text!r}")
    return haystack, pieces


def test_seed_has_eleven_competencies_each_with_both_groups_S0_annex4(annex, kentau):
    assert len(HEAD_LABEL.findall(annex)) == 11
    assert len(NON_HEAD_LABEL.findall(annex)) == 11
    without_labels = NON_HEAD_LABEL.sub(HOLE, HEAD_LABEL.sub(HOLE, annex))
    seed_names = competency_names_in(without_labels)
    assert len(seed_names) == 11
    assert seed_names == [squeeze(c.name.kk) for c in kentau.competencies.competencies]


def test_every_indicator_of_the_seed_is_in_the_version_file_and_nothing_else_S0_annex4(annex, kentau):
    rest = NON_HEAD_LABEL.sub(HOLE, HEAD_LABEL.sub(HOLE, annex))
    for c in kentau.competencies.competencies:
        rest, _ = consume(rest, c.name.kk)
    found = 0
    for c in kentau.competencies.competencies:
        for group in (HEAD, NON_HEAD):
            for indicator in c.indicators[group]:
                for text in (indicator.effective, indicator.ineffective):
                    if text is None:
                        continue
                    rest, pieces = consume(rest, text.kk)
                    assert pieces <= 2, (c.id, group, indicator.ordinal)
                    found += 1
    assert found == 34 + 33 + 29 + 29
    leftover = rest.replace(HOLE, "")
    assert re.fullmatch(r"[;.,]*", leftover), f"seed text not in the version file: {leftover!r}"


def test_indicator_counts_per_group_S0_annex4(kentau):
    matrix = kentau.competencies
    assert len(matrix.competencies) == 11
    assert (matrix.count(HEAD), matrix.count(HEAD, "ineffective")) == (34, 33)
    assert (matrix.count(NON_HEAD), matrix.count(NON_HEAD, "ineffective")) == (29, 29)
    per_head = [len(c.indicators[HEAD]) for c in matrix.competencies]
    per_specialist = [len(c.indicators[NON_HEAD]) for c in matrix.competencies]
    assert per_head == [4, 4, 5, 3, 3, 3, 3, 6, 1, 1, 1]
    assert per_specialist == [4, 3, 3, 3, 3, 4, 3, 3, 1, 1, 1]


def test_integrity_f_for_heads_has_no_ineffective_counterpart_S0_annex4(kentau):
    integrity = next(c for c in kentau.competencies.competencies if c.id == "integrity")
    assert [i.ineffective is None for i in integrity.indicators[HEAD]] == [False] * 5 + [True]


def test_every_indicator_has_kk_ru_en_S0_annex4(kentau):
    for c in kentau.competencies.competencies:
        assert all((c.name.kk, c.name.ru, c.name.en))
        for group in (HEAD, NON_HEAD):
            for i in c.indicators[group]:
                for text in (i.effective, i.ineffective):
                    if text is not None:
                        assert all((text.kk, text.ru, text.en)), (c.id, group, i.ordinal)


def test_groups_split_by_the_head_flag_not_the_category_S0_annex4(kentau):
    """E-3 is in both groups (Q-23): only the head-of-unit flag picks the group."""
    matrix = kentau.competencies
    head, specialist = matrix.group(True), matrix.group(False)
    assert "E-3" in head.categories and "E-3" in specialist.categories
    assert (group_for(True), group_for(False)) == (HEAD, NON_HEAD)
    assert head.is_head and not specialist.is_head
    assert len(matrix.indicators(head.id)["management"]) == 4
    assert matrix.indicators(specialist.id)["decision_making"][0].effective.kk == "Қажетті мәліметтерді таба алады"


def test_stress_resistance_text_is_the_same_for_both_groups_S0_annex4(kentau):
    stress = next(c for c in kentau.competencies.competencies if c.id == "stress_resistance")
    assert stress.indicators[HEAD] == stress.indicators[NON_HEAD]
