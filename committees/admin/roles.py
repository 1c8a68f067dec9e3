"""How roles and account statuses are named to people (French source strings)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from committees.auth.models import Role

#: the label of each role, in the interface and in e-mails
ROLE_LABELS = {
    Role.ADMIN: _l("Administrateur·rice"),
    Role.SECRETARIAT: _l("Secrétariat"),
    Role.MEMBER: _l("Membre de comité"),
    Role.CONTRIBUTOR: _l("Contributeur·rice"),
}


def role_label(role: Role | str) -> str:
    """The translated label of ``role`` (a Role or its stored value)."""
    return str(ROLE_LABELS[Role(role)])


def role_choices() -> list[tuple[str, str]]:
    """(value, label) pairs for a select field, in the order of Role."""
    return [(role.value, role_label(role)) for role in Role]
