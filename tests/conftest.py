"""The suite's fixtures and builders live in ``tests/support/``; this file only loads them.

Each ``tests/support`` module named below is a pytest plugin: its fixtures serve every test.
A test module imports builders and constants from ``tests.support...``, never from another
test module.
"""

import pytest

# The support modules' own asserts explain their failures as the tests' do.
pytest.register_assert_rewrite("tests.support")

pytest_plugins = [
    "tests.support.fixtures",  # the application, its database, a client, accounts
    "tests.support.smtp",  # a real SMTP server on loopback
    "tests.support.browser",  # a live server and Chromium
    "tests.support.bodies",  # culture_committee
    "tests.support.meetings",  # committee, secretary
    "tests.support.minutes",  # held
    "tests.support.privacy",  # situation
    "tests.support.probe",  # probe_app, probe: an application with failing routes
    "tests.support.workers",  # gunicorn: four workers with Redis
]
