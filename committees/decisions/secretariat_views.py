"""Decision screens: the secretariat's (/secretariat/decisions) and the public's (/decisions)."""

from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import format_decimal, get_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select

from committees.audit.services import entries_for
from committees.auth.permissions import Permission, require
from committees.bodies.labels import MANDATE_ROLE_LABELS
from committees.bodies.models import Committee, Mandate, MandateRole, Person
from committees.bodies.services import BodiesError, MandateLine, list_committees
from committees.common import filestore
from committees.common.params import page_arg
from committees.decisions.forms import (
    CommitteeChoiceForm,
    DecisionForm,
    EndOfMandatesForm,
    ExtensionForm,
    NominationForm,
    PublicFilterForm,
    SecretariatFilterForm,
)
from committees.decisions.labels import DECISION_KIND_LABELS, EFFECT_ACTION_LABELS, STATUS_LABELS
from committees.decisions.models import Decision, DecisionEffect, DecisionKind, EffectAction
from committees.decisions.services import (
    DecisionError,
    DecisionFilter,
    NominationLineError,
    PdfError,
    all_persons,
    attach_pdf,
    committees_of,
    create_decision,
    decision_years,
    decisions_query,
    load_effects,
    open_mandates,
    pdf_max_bytes,
    publish_decision,
    published_decision_by_number,
    record_concerns,
    record_creation,
    record_end_of_mandates,
    record_extension,
    record_numbered_nomination,
    secretariat_decisions_query,
    unpublish_decision,
    update_decision,
)
from committees.extensions import db

bp = Blueprint("decisions", __name__, url_prefix="/secretariat/decisions")
public_bp = Blueprint("public_decisions", __name__, url_prefix="/decisions")

#: status of a POST whose form does not validate, across the application
INVALID = 422
PER_PAGE = 20


@bp.app_context_processor
def _labels() -> dict:
    return {
        "decision_kind_labels": DECISION_KIND_LABELS,
        "effect_action_labels": EFFECT_ACTION_LABELS,
        "mandate_role_labels": MANDATE_ROLE_LABELS,
    }


# --- query-string helpers -------------------------------------------------------------


def _page() -> int:
    """The requested page; anything but a positive number means the first."""
    return page_arg()


def _year() -> int | None:
    year = request.args.get("year", type=int)
    return year if year and 1900 <= year <= 2999 else None


def _search() -> str:
    return (request.args.get("q") or "").strip()[:200]


def _filter_args() -> dict[str, str]:
    """The filters to keep in the pagination links."""
    return {k: v for k, v in request.args.items() if k != "page" and v}


def _paginate(query):
    return db.paginate(query, page=_page(), per_page=PER_PAGE, error_out=False)


def _send_pdf(decision: Decision):
    if not decision.pdf_sha256 or not filestore.exists(decision.pdf_sha256):
        abort(404)
    return send_file(
        filestore.path_for(decision.pdf_sha256),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=decision.pdf_filename or f"decision-{decision.number}.pdf",
        etag=decision.pdf_sha256,
    )


# --- secretariat: decisions -----------------------------------------------------------


@bp.get("")
@require(Permission.MANAGE_COMMITTEES)
def index():
    committees = list_committees()
    form = SecretariatFilterForm(
        request.args, years=decision_years(published_only=False), committees=committees
    )
    status = request.args.get("status")
    criteria = DecisionFilter(
        year=_year(),
        committee_id=request.args.get("committee", type=int),
        q=_search(),
        published_only=False,
    )
    pagination = _paginate(
        secretariat_decisions_query(criteria, status if status in STATUS_LABELS else None)
    )
    return render_template(
        "decisions/index.html",
        form=form,
        pagination=pagination,
        concerned=committees_of(pagination.items),
        page_args=_filter_args(),
    )


def _upload(form: DecisionForm) -> tuple[bytes, str] | None:
    """The uploaded file's content (read up to just past the limit) and name, if any."""
    upload = form.pdf.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    return upload.stream.read(pdf_max_bytes() + 1), upload.filename


def _save_decision(form: DecisionForm, decision: Decision | None) -> Decision | None:
    """Create or update from the form, PDF included, in one transaction; None if refused."""
    fields = {
        "number": form.number.data,
        "title": (form.title.data or "").strip(),
        "kind": DecisionKind(form.kind.data).value,
        "signed_on": form.signed_on.data,
        "summary": (form.summary.data or "").strip(),
    }
    upload = _upload(form)
    try:
        with filestore.staged_files():
            if decision is None:
                decision = create_decision(**fields)
            else:
                update_decision(decision, **fields)
            if upload is not None:
                attach_pdf(decision, *upload)
            db.session.commit()
    except PdfError as error:
        db.session.rollback()
        form.pdf.errors.append(str(error))
        return None
    except DecisionError as error:
        db.session.rollback()
        form.number.errors.append(str(error))
        return None
    return decision


def _form_page(form: DecisionForm, decision: Decision | None):
    status = INVALID if form.errors else 200
    limit_mb = format_decimal(pdf_max_bytes() / (1024 * 1024), format="#,##0.#")
    return render_template(
        "decisions/form.html", form=form, decision=decision, pdf_limit_mb=limit_mb
    ), status


def _saved(decision: Decision):
    flash(_("La décision n°%(number)s a été enregistrée.", number=decision.number), "success")
    return redirect(url_for("decisions.detail", decision_id=decision.id))


@bp.route("/new", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def create():
    form = DecisionForm()
    if form.validate_on_submit():
        decision = _save_decision(form, None)
        if decision is not None:
            return _saved(decision)
    return _form_page(form, None)


@bp.route("/<id:decision_id>/edit", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def edit(decision_id: int):
    decision = db.get_or_404(Decision, decision_id)
    form = DecisionForm(obj=decision)
    if form.validate_on_submit() and _save_decision(form, decision) is not None:
        return _saved(decision)
    return _form_page(form, decision)


def _effects_by_action(effects: list[DecisionEffect]) -> dict[str, list[DecisionEffect]]:
    grouped: dict[str, list[DecisionEffect]] = defaultdict(list)
    for effect in effects:
        grouped[effect.action].append(effect)
    return grouped


@bp.get("/<id:decision_id>")
@require(Permission.MANAGE_COMMITTEES)
def detail(decision_id: int):
    decision = db.get_or_404(Decision, decision_id)
    return render_template(
        "decisions/detail.html",
        decision=decision,
        effects=_effects_by_action(load_effects(decision)),
        audit_entries=entries_for(decision),
    )


@bp.get("/<id:decision_id>/pdf")
@require(Permission.MANAGE_COMMITTEES)
def pdf(decision_id: int):
    return _send_pdf(db.get_or_404(Decision, decision_id))


@bp.post("/<id:decision_id>/publish")
@require(Permission.MANAGE_COMMITTEES)
def publish(decision_id: int):
    decision = db.get_or_404(Decision, decision_id)
    publish_decision(decision)
    db.session.commit()
    flash(_("La décision n°%(number)s est publiée.", number=decision.number), "success")
    return redirect(url_for("decisions.detail", decision_id=decision.id))


@bp.post("/<id:decision_id>/unpublish")
@require(Permission.MANAGE_COMMITTEES)
def unpublish(decision_id: int):
    decision = db.get_or_404(Decision, decision_id)
    unpublish_decision(decision)
    db.session.commit()
    flash(_("La décision n°%(number)s n'est plus publiée.", number=decision.number), "success")
    return redirect(url_for("decisions.detail", decision_id=decision.id))


# --- secretariat: effects -------------------------------------------------------------


def _committee(committees: list[Committee], value: str | None) -> Committee | None:
    return next((c for c in committees if str(c.id) == str(value)), None)


def _done(decision: Decision, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("decisions.detail", decision_id=decision.id))


def _committee_effect(decision_id: int, action: EffectAction):
    """The « Créer le comité » and « Concerne le comité » screens: one committee to name."""
    decision = db.get_or_404(Decision, decision_id)
    committees = list(list_committees())
    form = CommitteeChoiceForm(committees=committees)
    if form.validate_on_submit():
        committee = _committee(committees, form.committee.data)
        if action == EffectAction.CREATE_COMMITTEE:
            record_creation(decision, committee)
        else:
            record_concerns(decision, committee)
        return _done(
            decision, _("Le comité %(name)s a été lié à la décision.", name=committee.name_fr)
        )
    status = INVALID if form.errors else 200
    return render_template(
        "decisions/committee_effect.html", form=form, decision=decision, action=action
    ), status


@bp.route("/<id:decision_id>/creation", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def creation(decision_id: int):
    return _committee_effect(decision_id, EffectAction.CREATE_COMMITTEE)


@bp.route("/<id:decision_id>/concerns", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def concerns(decision_id: int):
    return _committee_effect(decision_id, EffectAction.CONCERNS)


_VOTING = {"yes": True, "no": False}


def _nomination_lines(form: NominationForm, decision: Decision) -> list[tuple[int, MandateLine]]:
    """The filled rows as numbered mandate lines; persons loaded in one query."""
    filled = form.filled_lines()
    ids = {int(row.person.data) for _n, row in filled}
    persons = {
        p.id: p for p in db.session.execute(select(Person).where(Person.id.in_(ids))).scalars()
    }
    return [
        (
            number,
            MandateLine(
                person=persons[int(row.person.data)],
                role=MandateRole(row.role.data),
                start_date=row.start_date.data or decision.signed_on,
                end_date=row.end_date.data,
                voting=_VOTING.get(row.voting.data),
            ),
        )
        for number, row in filled
    ]


@bp.route("/<id:decision_id>/nomination", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def nomination(decision_id: int):
    decision = db.get_or_404(Decision, decision_id)
    committees = list(list_committees())
    form = NominationForm(committees=committees, persons=all_persons())
    refused_line = None
    if not form.is_submitted():
        for row in form.lines:
            row.form.start_date.data = decision.signed_on
    if form.validate_on_submit():
        committee = _committee(committees, form.committee.data)
        try:
            mandates = record_numbered_nomination(
                decision, committee, _nomination_lines(form, decision)
            )
        except NominationLineError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
            refused_line = error.line
        except BodiesError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            return _done(
                decision,
                ngettext(
                    "%(num)d mandat créé dans le comité %(name)s.",
                    "%(num)d mandats créés dans le comité %(name)s.",
                    len(mandates),
                    name=committee.name_fr,
                ),
            )
    status = INVALID if form.errors else 200
    return render_template(
        "decisions/nomination.html", form=form, decision=decision, refused_line=refused_line
    ), status


@bp.route("/<id:decision_id>/extension", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def extension(decision_id: int):
    decision = db.get_or_404(Decision, decision_id)
    committees = list(list_committees())
    form = ExtensionForm(committees=committees)
    if form.validate_on_submit():
        committee = _committee(committees, form.committee.data)
        try:
            record_extension(
                decision,
                committee,
                form.new_end_date.data,
                extend_mandates=form.extend_mandates.data,
            )
        except BodiesError as error:
            db.session.rollback()
            form.new_end_date.errors.append(str(error))
        else:
            return _done(
                decision,
                _("Le comité %(name)s est prolongé.", name=committee.name_fr),
            )
    status = INVALID if form.errors else 200
    return render_template("decisions/extension.html", form=form, decision=decision), status


def _mandate_label(mandate: Mandate) -> str:
    role = MANDATE_ROLE_LABELS.get(mandate.role, mandate.role)
    return f"{mandate.person.display_name} — {role}"


@bp.route("/<id:decision_id>/end-of-mandates", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def end_of_mandates(decision_id: int):
    """Two steps: choose the committee (a GET form), then tick its mandates to end."""
    decision = db.get_or_404(Decision, decision_id)
    committees = list(list_committees())
    committee = _committee(committees, request.args.get("committee"))
    if committee is None:
        chooser = CommitteeChoiceForm(request.args, committees=committees, meta={"csrf": False})
        # The committee was asked for but is unknown (or left blank): say so.
        status = 400 if "committee" in request.args else 200
        if status == 400:
            chooser.committee.errors = [_("Choisissez un comité dans la liste.")]
        return render_template(
            "decisions/end_of_mandates.html", chooser=chooser, form=None, decision=decision
        ), status
    mandates = {str(m.id): m for m in open_mandates(committee, decision.signed_on)}
    form = EndOfMandatesForm(
        mandate_choices=[(key, _mandate_label(m)) for key, m in mandates.items()]
    )
    if not form.is_submitted():
        form.end_date.data = decision.signed_on
    if form.validate_on_submit():
        chosen = [mandates[key] for key in form.mandates.data]
        try:
            record_end_of_mandates(decision, chosen, form.end_date.data, form.reason.data)
        except BodiesError as error:
            db.session.rollback()
            form.end_date.errors.append(str(error))
        else:
            return _done(
                decision, ngettext("%(num)d mandat clos.", "%(num)d mandats clos.", len(chosen))
            )
    status = INVALID if form.errors else 200
    return render_template(
        "decisions/end_of_mandates.html",
        chooser=None,
        form=form,
        decision=decision,
        committee=committee,
    ), status


# --- public ---------------------------------------------------------------------------


@public_bp.get("")
def public_index():
    locale = str(get_locale() or "fr")
    committees = list(list_committees(published_only=True))
    form = PublicFilterForm(
        request.args, years=decision_years(), committees=committees, locale=locale
    )
    committee = next((c for c in committees if c.slug == request.args.get("committee")), None)
    criteria = DecisionFilter(
        year=_year(),
        committee_id=committee.id if committee else None,
        q=_search(),
        published_only=True,
    )
    pagination = _paginate(decisions_query(criteria))
    return render_template(
        "decisions/public/index.html",
        form=form,
        pagination=pagination,
        concerned=committees_of(pagination.items),
        page_args=_filter_args(),
        locale=locale,
    )


def _public_decision(number: str) -> Decision:
    decision = published_decision_by_number(number)
    if decision is None:
        abort(404)
    return decision


@public_bp.get("/<number>")
def public_detail(number: str):
    decision = _public_decision(number)
    effects = load_effects(decision)
    committees: list[Committee] = []
    for effect in effects:
        if effect.committee is not None and effect.committee not in committees:
            committees.append(effect.committee)
    return render_template(
        "decisions/public/detail.html",
        decision=decision,
        committees=committees,
        appointments=[e for e in effects if e.action == EffectAction.APPOINT],
        extensions=[e for e in effects if e.action == EffectAction.EXTEND_COMMITTEE],
        locale=str(get_locale() or "fr"),
    )


@public_bp.get("/<number>/pdf")
def public_pdf(number: str):
    return _send_pdf(_public_decision(number))
