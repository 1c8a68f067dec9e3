"""Reading a CSV file of committee members: its columns, its lines, every value checked.

Nothing here reads or writes the database: ``committees.bodies.importing.services``
checks the lines against what is recorded, then imports them.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from committees.bodies.models import MandateRole, Person
from committees.common.lines import SINGLE_LINE_MESSAGE, has_control_characters

#: Largest file accepted (bytes).
MAX_BYTES = 1024 * 1024
#: Largest number of member lines accepted (the header excluded).
MAX_LINES = 2000

#: Columns every file has; the others of ``COLUMNS`` may be left out.
REQUIRED_COLUMNS = ("prenom", "nom", "role", "debut")
#: Every column, in the documented order.
COLUMNS = (
    "civilite",
    "titre",
    "prenom",
    "nom",
    "email",
    "affiliation",
    "qualification",
    "role",
    "vote",
    "debut",
    "fin",
)

#: Longest value of each text column (the database's limits).
_MAX_LENGTHS = {
    "titre": 20,
    "prenom": 100,
    "nom": 100,
    "email": 254,
    "affiliation": 300,
    "qualification": 300,
}

#: Other spellings of column names met in spreadsheets (after ``_fold``).
_COLUMN_ALIASES = {"e mail": "email", "courriel": "email", "date debut": "debut", "date fin": "fin"}
_CIVILITIES = {"": "", "m": "M.", "m.": "M.", "monsieur": "M.", "mme": "Mme", "madame": "Mme"}
_VOTES = {"oui": True, "o": True, "yes": True, "non": False, "n": False, "no": False}
_ROLE_WORDS = {
    MandateRole.PRESIDENT: ("president", "presidente", "président"),
    MandateRole.VICE_PRESIDENT: ("vice president", "vice presidente", "vice-président"),
    MandateRole.MEMBER: ("membre", "member"),
    MandateRole.PATIENT_REPRESENTATIVE: (
        "representant patients",
        "representante patients",
        "representant des patients",
        "representant d une association de patients",
        "representante d une association de patients",
        "patient representative",
    ),
    MandateRole.INVITED_EXPERT: (
        "expert invite",
        "experte invitee",
        "expert",
        "experte",
        "invited expert",
    ),
}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_FRENCH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _fold(text: str) -> str:
    """Lower case, no accents, no inclusive-writing dot, single spaces: for matching words."""
    text = text.replace("·e", "").replace("·", "")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[\s_'’-]+", " ", text.lower()).split())


_ROLES = {_fold(word): role for role, words in _ROLE_WORDS.items() for word in words}


class MemberImportError(ValueError):
    """The file cannot be imported; ``issues`` says where and why."""

    def __init__(self, issues: list[ImportIssue]):
        super().__init__("; ".join(issue.message for issue in issues))
        self.issues = issues


@dataclass(frozen=True)
class ImportIssue:
    """One problem: a line of the file (None for the file as a whole), a column, a message."""

    line: int | None
    column: str
    message: str


@dataclass
class ImportRow:
    """One member line of the file, as read and as understood."""

    line: int
    raw: dict[str, str]
    civility: str = ""
    title: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    affiliation: str = ""
    qualification: str = ""
    role: MandateRole | None = None
    voting: bool | None = None
    start_date: date | None = None
    end_date: date | None = None
    #: the person already registered with this e-mail, who will be reused
    existing_person: Person | None = None
    errors: list[ImportIssue] = field(default_factory=list)

    def refuse(self, column: str, message: str) -> None:
        self.errors.append(ImportIssue(self.line, column, message))

    @property
    def effective_voting(self) -> bool:
        """The voting right the mandate will get (the role's default when not given)."""
        if self.voting is not None:
            return self.voting
        return self.role is not None and self.role != MandateRole.INVITED_EXPERT


@dataclass
class ImportPreview:
    """Everything read from a file: its lines, and the problems of the file and of each line."""

    text: str
    rows: list[ImportRow] = field(default_factory=list)
    file_errors: list[ImportIssue] = field(default_factory=list)

    @property
    def errors(self) -> list[ImportIssue]:
        """Every problem, file first, then line by line."""
        return self.file_errors + [issue for row in self.rows for issue in row.errors]

    @property
    def is_valid(self) -> bool:
        """True when there is something to import and nothing wrong."""
        return bool(self.rows) and not self.errors


# --- reading --------------------------------------------------------------------------


def decode_csv(data: bytes) -> str:
    """The text of an uploaded file: UTF-8 (with or without BOM), at most ``MAX_BYTES``.

    Raises ``MemberImportError`` for an empty, oversized, binary or non-UTF-8 file.
    """
    if len(data) > MAX_BYTES:
        raise _file_error(_("Le fichier dépasse la taille maximale de 1 Mo."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_error(
            _(
                "Le fichier n'est pas un texte encodé en UTF-8. Enregistrez-le au format "
                "« CSV UTF-8 » puis recommencez."
            )
        ) from None
    if "\x00" in text:
        raise _file_error(_("Le fichier n'est pas un fichier texte CSV."))
    if not text.strip():
        raise _file_error(_("Le fichier est vide."))
    return text


def _file_error(message: str) -> MemberImportError:
    return MemberImportError([ImportIssue(None, "", message)])


def read_members_csv(text: str) -> ImportPreview:
    """Read ``text`` (CSV, separator ``;`` or ``,``) and check every line on its own.

    The first line names the columns (see ``COLUMNS``). Each line gets its parsed
    values and its errors (line number in the file, column, message); problems of the
    file as a whole go to ``file_errors``.
    """
    text = text.removeprefix("\ufeff")
    preview = ImportPreview(text=text)
    try:
        # Checked again here: on confirmation the text comes back from the browser.
        decode_csv(text.encode("utf-8"))
    except MemberImportError as error:
        preview.file_errors.extend(error.issues)
        return preview
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text))
    header = [_column_name(name) for name in next(reader, [])]
    preview.file_errors.extend(_header_issues(header))
    if preview.file_errors:
        return preview
    try:
        _read_rows(reader, header, preview)
    except csv.Error as error:
        preview.file_errors.append(
            ImportIssue(reader.line_num, "", _("Ligne illisible : %(error)s", error=str(error)))
        )
        return preview
    if not preview.rows and not preview.file_errors:
        preview.file_errors.append(ImportIssue(None, "", _("Le fichier ne contient aucun membre.")))
    return preview


def _column_name(name: str) -> str:
    folded = _fold(name)
    return _COLUMN_ALIASES.get(folded, folded)


def _separator(text: str) -> str:
    """``;`` (French spreadsheets) or ``,``, whichever the header line uses."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") >= header.count(",") else ","


def _header_issues(header: list[str]) -> list[ImportIssue]:
    issues = []
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        issues.append(
            ImportIssue(
                1,
                "",
                _(
                    "Colonnes obligatoires absentes : %(columns)s. La première ligne doit "
                    "nommer les colonnes.",
                    columns=", ".join(missing),
                ),
            )
        )
    unknown = [name or "(vide)" for name in header if name not in COLUMNS]
    if unknown:
        issues.append(
            ImportIssue(1, "", _("Colonnes inconnues : %(columns)s.", columns=", ".join(unknown)))
        )
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        issues.append(
            ImportIssue(
                1, "", _("Colonnes en double : %(columns)s.", columns=", ".join(duplicated))
            )
        )
    return issues


def _read_rows(reader, header: list[str], preview: ImportPreview) -> None:
    for values in reader:
        if not any(value.strip() for value in values):
            continue  # blank lines, often left at the end by spreadsheets
        if len(preview.rows) == MAX_LINES:
            preview.rows.clear()
            preview.file_errors.append(
                ImportIssue(
                    None,
                    "",
                    _(
                        "Le fichier dépasse %(max)s lignes de membres : découpez-le.",
                        max=MAX_LINES,
                    ),
                )
            )
            return
        row = ImportRow(line=reader.line_num, raw={})
        if len(values) > len(header):
            row.refuse("", _("La ligne a plus de valeurs que l'en-tête n'a de colonnes."))
        row.raw = {
            name: (values[i].strip() if i < len(values) else "") for i, name in enumerate(header)
        }
        _parse_row(row)
        preview.rows.append(row)


# --- one line -------------------------------------------------------------------------


def _parse_row(row: ImportRow) -> None:
    raw = row.raw
    for column, limit in _MAX_LENGTHS.items():
        if len(raw.get(column, "")) > limit:
            row.refuse(column, _("%(max)s caractères au plus.", max=limit))
    # A quoted cell may hold a line break: every value here is one line (names, titles).
    for column, value in raw.items():
        if has_control_characters(value):
            row.refuse(column, str(SINGLE_LINE_MESSAGE))
    civility = _fold(raw.get("civilite", ""))
    if civility in _CIVILITIES:
        row.civility = _CIVILITIES[civility]
    else:
        row.refuse("civilite", _("Civilité inconnue : « M. », « Mme » ou vide."))
    row.title = raw.get("titre", "")
    row.first_name = raw.get("prenom", "")
    row.last_name = raw.get("nom", "")
    row.affiliation = raw.get("affiliation", "")
    row.qualification = raw.get("qualification", "")
    for column in ("prenom", "nom"):
        if not raw.get(column):
            row.refuse(column, _("Valeur obligatoire."))
    row.email = raw.get("email", "").lower()
    if row.email and not _EMAIL.fullmatch(row.email):
        row.refuse("email", _("Adresse électronique invalide."))
    _parse_role_and_vote(row)
    _parse_dates(row)


def _parse_role_and_vote(row: ImportRow) -> None:
    role_text = row.raw.get("role", "")
    row.role = _ROLES.get(_fold(role_text)) or _enum_value(role_text)
    if not role_text:
        row.refuse("role", _("Valeur obligatoire."))
    elif row.role is None:
        row.refuse(
            "role",
            _(
                "Rôle inconnu « %(value)s » : président, vice-président, membre, "
                "représentant patients ou expert invité.",
                value=role_text,
            ),
        )
    vote_text = _fold(row.raw.get("vote", ""))
    if vote_text:
        row.voting = _VOTES.get(vote_text)
        if row.voting is None:
            row.refuse("vote", _("Indiquez « oui » ou « non »."))
    if row.role == MandateRole.INVITED_EXPERT and row.voting:
        row.refuse("vote", _("Un expert invité ne vote pas."))


def _enum_value(text: str) -> MandateRole | None:
    try:
        return MandateRole(text.strip().lower())
    except ValueError:
        return None


def _parse_dates(row: ImportRow) -> None:
    if not row.raw.get("debut"):
        row.refuse("debut", _("Valeur obligatoire."))
    else:
        row.start_date = _parse_date(row, "debut")
    if row.raw.get("fin"):
        row.end_date = _parse_date(row, "fin")
    if row.start_date and row.end_date and row.end_date < row.start_date:
        row.refuse("fin", _("La fin du mandat précède son début."))


def _parse_date(row: ImportRow, column: str) -> date | None:
    text = row.raw[column]
    try:
        if match := _FRENCH_DATE.fullmatch(text):
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    row.refuse(
        column,
        _("Date invalide « %(value)s » : JJ/MM/AAAA ou AAAA-MM-JJ.", value=text),
    )
    return None
