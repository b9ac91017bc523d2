"""Every message catalogue is complete in Russian and Kazakh and compiled."""

import shutil
import subprocess
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(
    path for path in ROOT.glob("*/locale/*/LC_MESSAGES/django.po") if ".venv" not in path.parts
) + sorted(ROOT.glob("locale/*/LC_MESSAGES/django.po"))
# Our own catalogues for third-party apps that ship no Kazakh translation (allauth).
VENDOR_CATALOGUES = sorted(ROOT.glob("eventum/locale_vendor/*/LC_MESSAGES/django.po"))
CATALOGUES += VENDOR_CATALOGUES
# The PDF ticket template keeps its strings in a catalogue of its own.
CATALOGUES += sorted(ROOT.glob("tickets/pdf_locale/*/LC_MESSAGES/django.po"))


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_catalogues_exist_for_every_language():
    languages = {path.parts[-3] for path in CATALOGUES}
    assert {"ru", "kk", "en"} <= languages


def test_vendor_catalogue_exists_in_kazakh():
    assert "kk" in {path.parts[-3] for path in VENDOR_CATALOGUES}


@pytest.mark.parametrize("path", [p for p in CATALOGUES if p.parts[-3] in {"ru", "kk"}], ids=_name)
def test_russian_and_kazakh_catalogues_are_complete(path):
    catalogue = polib.pofile(str(path))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not missing, f"untranslated in {_name(path)}: {missing[:10]}"
    assert not fuzzy, f"fuzzy in {_name(path)}: {fuzzy[:10]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=_name)
def test_catalogue_is_compiled_and_up_to_date(path):
    compiled = path.with_suffix(".mo")
    assert compiled.exists(), f"{_name(path)} is not compiled"
    source = {e.msgid: e.msgstr for e in polib.pofile(str(path)).translated_entries()}
    built = {e.msgid: e.msgstr for e in polib.mofile(str(compiled))}
    assert source == {k: v for k, v in built.items() if k}, f"recompile {_name(path)}"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize("path", CATALOGUES, ids=_name)
def test_gettext_compiles_the_catalogue(path):
    """``compilemessages`` runs GNU msgfmt with its checks: a translation that breaks a format
    string (a "%" Python would read as a placeholder) or lacks a plural form stops it, and the
    portal would keep serving the old texts."""
    checked = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )
    errors = [line for line in checked.stderr.splitlines() if "warning" not in line]
    assert checked.returncode == 0, f"{_name(path)}: {errors[:5]}"
