"""The English catalogue: complete, in step with the French sources, and used by the pages.

When a test here fails after adding French text, run ``scripts/i18n-update`` and translate
what it lists in committees/translations/en/LC_MESSAGES/messages.po.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from committees import create_app
from committees.extensions import babel
from committees.extensions import db as _db
from tests.support.helpers import ROOT, text_of

PO_FILE = ROOT / "committees" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
#: the keywords scripts/i18n-update passes to pybabel (-k _l -k lazy_gettext)
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
#: %(name)s / %(n)d style placeholders, and the literal %% that python-format strings escape
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%%")


def load_catalogue():
    with PO_FILE.open("rb") as handle:
        return read_po(handle, locale="en")


def forms(value) -> tuple[str, ...]:
    """The singular and plural forms of an id or a translation."""
    return tuple(value) if isinstance(value, list | tuple) else (value,)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def extracted_from_sources() -> dict[tuple[str | None, object], str]:
    """Every message the sources ask to translate, keyed (context, id), with its first location."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[tuple[str | None, object], str] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        key = (context, message)
        found.setdefault(key, f"{filename}:{lineno}")
    return found


# --- the catalogue itself -------------------------------------------------------------------


def test_every_message_has_an_english_translation():
    catalogue = load_catalogue()
    untranslated = [
        message.id
        for message in catalogue
        if message.id and (message.fuzzy or not all(forms(message.string)))
    ]

    assert len(catalogue) > 100  # the real catalogue, not an empty stub
    assert untranslated == []


def test_translations_keep_the_placeholders():
    catalogue = load_catalogue()
    broken = []
    for message in catalogue:
        if not message.id:
            continue
        ids, strings = forms(message.id), forms(message.string)
        for index, translation in enumerate(strings):
            # Plural form n is compared with msgid_plural from the second form on.
            source = ids[min(index, len(ids) - 1)]
            if placeholders(source) != placeholders(translation):
                broken.append((source, translation))

    assert broken == []


def test_plural_messages_have_both_english_forms():
    catalogue = load_catalogue()
    plurals = [message for message in catalogue if message.pluralizable]

    assert catalogue.num_plurals == 2
    assert plurals, "the sources use ngettext: the catalogue must carry plural messages"
    assert [m.id for m in plurals if len(forms(m.string)) != 2] == []


# --- the catalogue against the sources ------------------------------------------------------


def test_babel_cfg_reads_only_the_application():
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, _options = parse_mapping_cfg(handle)

    assert {pattern.split("/")[0] for pattern, _method in method_map} == {"committees", "templates"}


def test_every_french_string_of_the_sources_is_in_the_catalogue():
    catalogue = load_catalogue()
    known = {(message.context, message.id) for message in catalogue if message.id}
    extracted = extracted_from_sources()
    missing = sorted(
        f"{location}: {message!r}"
        for (context, message), location in extracted.items()
        if (context, message) not in known
    )

    assert len(extracted) > 100
    assert not any(location.startswith(("tests/", ".venv/")) for location in extracted.values())
    assert missing == [], "run scripts/i18n-update and translate:\n" + "\n".join(missing)


# --- the pages in English -------------------------------------------------------------------


class SeparateRequestsClient(FlaskClient):
    """Each request in its own app context, so the language cached in ``g`` does not carry over."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def compiled_translations(tmp_path_factory) -> Path:
    """The committed .po compiled into a temporary folder: no reliance on a stale local .mo."""
    directory = tmp_path_factory.mktemp("translations")
    target = directory / "en" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.mo").open("wb") as handle:
        write_mo(handle, load_catalogue())
    return directory


@pytest.fixture(scope="module")
def english_app(app, compiled_translations):
    """A second application on the suite's database, reading the freshly compiled catalogue."""
    english = create_app(
        {
            "PROFILE": "testing",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "BABEL_TRANSLATION_DIRECTORIES": str(compiled_translations),
        }
    )
    # Flask-Babel caches catalogues per language for the whole process, not per app:
    # forget them on the way in and out so that no other application sees these.
    with english.app_context():
        babel.domain_instance.cache.clear()
    yield english
    with english.app_context():
        babel.domain_instance.cache.clear()
        _db.engine.dispose()


@pytest.fixture
def english_client(english_app):
    return SeparateRequestsClient(english_app, english_app.response_class, use_cookies=True)


def test_home_page_is_in_english_when_the_browser_asks(english_client):
    response = english_client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert re.search(r"<h1[^>]*>Scientific committees</h1>", html)
    page = text_of(response)
    assert "Skip to content" in page
    assert "Three kinds of committees" in page
    assert "Comités scientifiques" not in page


def test_home_page_stays_french_by_default(english_client):
    response = english_client.get("/")
    html = response.get_data(as_text=True)

    assert '<html lang="fr">' in html
    assert re.search(r"<h1[^>]*>Comités scientifiques</h1>", html)
    assert "Scientific committees" not in text_of(response)


def test_form_labels_declared_lazily_are_translated(english_client):
    page = text_of(english_client.get("/login?lang=en"))

    assert "Email address" in page
    assert "Password" in page
    assert "Adresse électronique" not in page
