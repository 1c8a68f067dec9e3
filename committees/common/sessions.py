"""The session cookie, minus one header that splits shared caches.

Flask adds ``Vary: Cookie`` to every answer of a request that read the session, however
little (the language selector looks for a saved choice). An answer marked
``Cache-Control: public`` is the same for everybody by construction (the public calendar
feeds read their language from ``?lang`` only): with ``Vary: Cookie`` a shared cache would
keep one copy per visitor's cookie, or none.
"""

from __future__ import annotations

from flask.sessions import SecureCookieSessionInterface


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session; public answers do not vary on the cookie."""

    def save_session(self, app, session, response) -> None:
        super().save_session(app, session, response)
        if response.cache_control.public and "Set-Cookie" not in response.headers:
            response.vary.discard("Cookie")
