"""The kk and ru catalogs are complete: no empty or fuzzy entry, placeholders intact, no English
left in place of a translation, and the Django msgids we re-translate still match Django's."""

from __future__ import annotations

import ast
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import django
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = {lang: ROOT / "locale" / lang / "LC_MESSAGES" / "django.po" for lang in ("kk", "ru")}
DJANGO_EN_CATALOGS = [Path(django.__file__).parent / sub / "locale" / "en" / "LC_MESSAGES" / "django.po"
                      for sub in ("conf", "contrib/auth", "contrib/admin")]  # regenerated from the source each release


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)


def _string(line: str) -> str:
    # PO strings use C escapes (\", \\, \n, \t), which a Python literal reads the same way.
    return ast.literal_eval(line[line.index('"'):])


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader (polib is not a dependency): comments, flags, msgctxt, msgid,
    msgid_plural, msgstr[n] and continuation lines. Entries are separated by blank lines;
    obsolete (#~) entries are skipped; the header (empty msgid) is dropped."""
    entries: list[Entry] = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry, target = Entry(), None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#~") or not line:
                continue
            if line.startswith("#,"):
                entry.flags |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#:"):
                entry.references += line[2:].split()
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                if target is None:
                    raise ValueError(f"{path}: continuation without a keyword: {line}")
                name, index = target
                if name == "msgstr":
                    entry.msgstr[index] += _string(line)
                else:
                    setattr(entry, name, getattr(entry, name) + _string(line))
            else:
                keyword = line.split(" ", 1)[0]
                if keyword.startswith("msgstr"):
                    index = int(keyword[7:-1]) if "[" in keyword else 0
                    entry.msgstr[index] = _string(line)
                    target = ("msgstr", index)
                elif keyword in ("msgid", "msgctxt", "msgid_plural"):
                    setattr(entry, keyword, _string(line))
                    target = (keyword, 0)
                else:
                    raise ValueError(f"{path}: unexpected line: {line}")
        if entry.msgid:
            entries.append(entry)
    return entries


@pytest.fixture(scope="module", params=sorted(CATALOGS))
def catalog(request) -> tuple[str, list[Entry]]:
    path = CATALOGS[request.param]
    assert path.exists(), f"{path} is missing: run makemessages"
    return request.param, parse_po(path)


def test_no_untranslated_or_fuzzy_entry(catalog):
    lang, entries = catalog
    missing = [e.msgid for e in entries if not all(e.msgstr.values()) or not e.msgstr]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not missing, f"{lang}: untranslated: {missing}"
    assert not fuzzy, f"{lang}: fuzzy: {fuzzy}"


def test_msgfmt_agrees_and_placeholders_are_intact(catalog):
    """msgfmt --check verifies python-format placeholders and plural forms."""
    lang, _ = catalog
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOGS[lang])],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_every_plural_form_is_filled(catalog):
    lang, entries = catalog
    forms = {"kk": 2, "ru": 4}[lang]
    for e in entries:
        if e.msgid_plural:
            assert sorted(e.msgstr) == list(range(forms)), (lang, e.msgid)


def _words(text: str) -> str:
    return re.sub(r"%\([a-z_]+\)[a-z]|%[a-z]|\{[a-z_]+\}|<[^>]+>", "", text)


def test_no_english_left_in_place(catalog):
    lang, entries = catalog
    same = [e.msgid for e in entries
            if re.search(r"[A-Za-z]{3}", _words(e.msgid)) and e.msgstr.get(0) == e.msgid
            and e.msgid not in {"IIN", "BIN", "E-mail", "Email", "SMS", "TOTP"}]  # acronyms used as is
    assert not same, f"{lang}: copied, not translated: {same}"
    cyrillic = [e for e in entries if re.search(r"[а-яА-ЯәғқңөұүһіӘҒҚҢӨҰҮҺІ]", e.msgstr.get(0, ""))]
    assert len(cyrillic) > 0.9 * len(entries), f"{lang}: most translations should be in Cyrillic"


def test_kazakh_is_kazakh_not_russian():
    """Kazakh translations use the Kazakh letters; a catalog filled with Russian would not."""
    kk = parse_po(CATALOGS["kk"])
    ru = {(e.msgctxt, e.msgid): e.msgstr.get(0) for e in parse_po(CATALOGS["ru"])}
    kazakh_letters = [e for e in kk if re.search(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]", e.msgstr.get(0, ""))]
    assert len(kazakh_letters) > 0.6 * len(kk)
    # Terms the Kazakh legal text itself uses unchanged: "телефонограмма" (S1-p.69).
    shared_terms = {"Telephonogram"}
    identical = [e.msgid for e in kk if len(e.msgid) > 12 and e.msgid not in shared_terms
                 and ru.get((e.msgctxt, e.msgid)) == e.msgstr.get(0)]
    assert not identical, f"kk identical to ru: {identical}"


def test_our_copies_of_django_msgids_still_exist_in_django():
    """django_strings.py re-translates Django's own messages; a msgid that drifted from Django's
    would silently never be used."""
    ours = {(e.msgctxt, e.msgid) for e in parse_po(CATALOGS["kk"])
            if any("web/django_strings.py" in ref for ref in e.references)}
    django_ids = {(e.msgctxt, e.msgid) for path in DJANGO_EN_CATALOGS for e in parse_po(path)}
    assert len(ours) > 50, "django_strings.py entries not found in the kk catalog"
    assert not ours - django_ids, f"not Django msgids: {ours - django_ids}"


def test_the_parser_reads_plurals_contexts_and_continuations(tmp_path):
    po = tmp_path / "x.po"
    po.write_text('''msgid ""
msgstr "Language: kk\\n"

#: a.py:1
#, fuzzy, python-format
msgctxt "alt. month"
msgid "Jan"
"uary \\"x\\""
msgstr ""

msgid "%d day"
msgid_plural "%d days"
msgstr[0] "%d күн"
msgstr[1] ""
''', encoding="utf-8")
    first, second = parse_po(po)
    assert (first.msgctxt, first.msgid, first.msgstr, first.references) == ("alt. month", 'January "x"', {0: ""},
                                                                           ["a.py:1"])
    assert "fuzzy" in first.flags
    assert second.msgid_plural == "%d days" and second.msgstr == {0: "%d күн", 1: ""}


def test_catalogs_cover_every_string_in_the_code(tmp_path):
    """Re-extract the messages from a copy of the code: a string added since the last
    `makemessages` (by anyone) shows up here as untranslated, naming its msgid, long before a
    Kazakh user meets it in English or a Russian one in Kazakh."""
    import shutil
    import sys

    for name in ("src", "config", "locale"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "kk", "-l", "ru", "--ignore", "tests/*"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    for lang in ("kk", "ru"):
        entries = parse_po(tmp_path / "locale" / lang / "LC_MESSAGES" / "django.po")
        stale = [f"{e.msgid} ({' '.join(e.references)})" for e in entries
                 if "fuzzy" in e.flags or not all(e.msgstr.values())]
        assert not stale, (f"{lang}: not in the catalog yet; run makemessages and translate: {stale}")
