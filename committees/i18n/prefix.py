"""The language in the URL: ``/en/…`` and ``/fr/…``.

A page must be the same bytes for every visitor who has not signed in (a shared cache keeps
only answers that set no cookie), so an anonymous visitor's language cannot live in the
session: it lives in the address. ``LanguagePrefix`` moves a leading ``/en`` or ``/fr``
segment of the path into SCRIPT_NAME before Flask routes the request: the rules of the URL
map stay unprefixed, and ``url_for`` keeps the prefix in every link of the page by itself,
since it builds on the script root.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import has_request_context, request

from committees.i18n.languages import URL_LANGUAGE, supported, without_lang_param


class LanguagePrefix:
    """WSGI middleware: ``/en`` and ``/en/…`` (not ``/enquiry``) are served as ``/`` and
    ``/…`` with SCRIPT_NAME ending in ``/en``, the language recorded in the environ."""

    def __init__(self, app: Callable, languages: Iterable[str]):
        self.app = app
        self.prefixes = tuple((lang, f"/{lang}") for lang in languages)

    def __call__(self, environ: dict, start_response: Callable):
        path = environ.get("PATH_INFO", "")
        for lang, prefix in self.prefixes:
            if path == prefix or path.startswith(prefix + "/"):
                environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "").rstrip("/") + prefix
                environ["PATH_INFO"] = path[len(prefix) :] or "/"
                environ[URL_LANGUAGE] = lang
                break
        return self.app(environ, start_response)


def url_language() -> str | None:
    """The language the current request's path named, or None."""
    if not has_request_context():
        return None
    return request.environ.get(URL_LANGUAGE)


def site_root() -> str:
    """The script root without the language segment ("" at the root of a host)."""
    root = request.script_root
    lang = url_language()
    return root[: -len(lang) - 1] if lang else root


def without_language(url: str) -> str:
    """``url``, built under the language prefix, without it: static files are the same in
    every language, and one copy is enough for browsers' caches."""
    root = request.script_root if has_request_context() else ""
    if url_language() and url.startswith(root + "/"):
        return site_root() + url[len(root) :]
    return url


def language_url(lang: str) -> str:
    """The current page in ``lang``: its path under ``/<lang>``, its query minus ``lang``."""
    path = request.full_path if request.query_string else request.path
    return f"{site_root()}/{lang}{without_lang_param(path)}"


def strip_language(path: str) -> str:
    """``path`` without a leading ``/en`` or ``/fr`` segment (a ``next`` field may carry one)."""
    for lang in supported():
        prefix = f"/{lang}"
        if path == prefix or path.startswith((prefix + "/", prefix + "?")):
            rest = path[len(prefix) :]
            return rest if rest.startswith("/") else "/" + rest
    return path
