"""The session cookie, minus one header that splits shared caches; its renewal.

Flask adds ``Vary: Cookie`` to every answer of a request that read the session, however
little (the language selector looks for a saved choice). An answer marked
``Cache-Control: public`` is the same for everybody by construction (the public calendar
feeds read their language from ``?lang`` only): with ``Vary: Cookie`` a shared cache would
keep one copy per visitor's cookie, or none.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app, g, session
from flask.sessions import SecureCookieSessionInterface


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session; public answers do not vary on the cookie."""

    def save_session(self, app, session, response) -> None:
        super().save_session(app, session, response)
        # Unless it is a kept public page (committees.publication): that one must vary on
        # the cookie, so that no shared cache answers a signed-in visitor with it.
        public = response.cache_control.public and not g.get("vary_on_cookie")
        if public and "Set-Cookie" not in response.headers:
            response.vary.discard("Cookie")


def renew_session(*, keep: Iterable[str] = ()) -> None:
    """Start a new session in this browser, keeping only the ``keep`` keys.

    Called at sign-in: whatever someone planted in the cookie before (a CSRF token, a
    pass) is gone, and Flask-WTF makes a new token for the next form.
    """
    kept = {key: session[key] for key in keep if key in session}
    session.clear()
    session.update(kept)
    # Flask-WTF keeps the token it made for this request in ``g``: it must not outlive it.
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
