"""What the tests share: fixtures (pytest plugins listed in ``tests/conftest.py``), builders of
situations, and helpers that act as a person would.

- ``fixtures``: the application on its database, ``client``, ``make_user``, ``signed_in``,
  ``secretariat``, ``count_queries``; ``smtp``: ``smtp_server``; ``browser``: ``live_server``,
  ``browser``, ``page``; ``probe``: an application with routes that fail on purpose.
- ``helpers``: sign in, post a form with its CSRF token, read a page's text, count rows,
  ``DEFAULT_PASSWORD``, the folders of the project.
- One module per domain for its builders (and the fixtures several test modules share):
  ``bodies``, ``meetings``, ``convocations``, ``minutes``, ``calls``, ``calendars``,
  ``decisions``, ``follows``, ``privacy``, ``reports``, ``api``, ``search`` (imported as
  ``make``), ``route_matrix``.

A test module imports from here, never from another test module.
"""
