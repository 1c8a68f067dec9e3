"""The secretariat's decision screens, under /secretariat/decisions: the list, the decision
and its signed PDF, publication, and the effects a decision records."""

from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from committees.audit.services import entries_for
from committees.auth.permissions import Permission, require
from committees.bodies.labels import role_label
from committees.bodies.models import Committee, Mandate
from committees.bodies.rules import BodiesError
from committees.bodies.services import list_committees
from committees.common import filestore
from committees.common.views import form_status, get_or_404, refuse
from committees.decisions.browsing import filter_args, paginate, search_arg, year_arg
from committees.decisions.forms import (
    CommitteeChoiceForm,
    DecisionForm,
    EndOfMandatesForm,
    ExtensionForm,
    NominationForm,
    SecretariatFilterForm,
)
from committees.decisions.labels import STATUS_LABELS
from committees.decisions.models import Decision, DecisionEffect, DecisionKind, EffectAction
from committees.decisions.queries import (
    DecisionFilter,
    all_persons,
    committees_of,
    decision_years,
    load_effects,
    open_mandates,
    secretariat_decisions_query,
)
from committees.decisions.services import (
    DecisionError,
    NominationRefusalsError,
    create_decision,
    nomination_start,
    publish_decision,
    record_concerns,
    record_creation,
    record_end_of_mandates,
    record_extension,
    record_numbered_nomination,
    unpublish_decision,
    update_decision,
)
from committees.decisions.signed_pdf import PdfError, attach_pdf, pdf_max_bytes, send_signed_pdf
from committees.extensions import db

bp = Blueprint("decisions", __name__, url_prefix="/secretariat/decisions")


# --- decisions -----------------------------------------------------------------------


@bp.get("")
@require(Permission.MANAGE_COMMITTEES)
def index():
    committees = list_committees()
    form = SecretariatFilterForm(
        request.args, years=decision_years(published_only=False), committees=committees
    )
    status = request.args.get("status")
    criteria = DecisionFilter(
        year=year_arg(),
        committee_id=request.args.get("committee", type=int),
        q=search_arg(),
        published_only=False,
    )
    pagination = paginate(
        secretariat_decisions_query(criteria, status if status in STATUS_LABELS else None)
    )
    return render_template(
        "decisions/index.html",
        form=form,
        pagination=pagination,
        concerned=committees_of(pagination.items),
        page_args=filter_args(),
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
        refuse(form, error, form.pdf)
        return None
    except DecisionError as error:
        refuse(form, error, form.number)
        return None
    return decision


def _form_page(form: DecisionForm, decision: Decision | None):
    limit_mb = format_decimal(pdf_max_bytes() / (1024 * 1024), format="#,##0.#")
    return render_template(
        "decisions/form.html", form=form, decision=decision, pdf_limit_mb=limit_mb
    ), form_status(form)


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
    decision = get_or_404(Decision, decision_id)
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
    decision = get_or_404(Decision, decision_id)
    return render_template(
        "decisions/detail.html",
        decision=decision,
        effects=_effects_by_action(load_effects(decision)),
        audit_entries=entries_for(decision),
    )


@bp.get("/<id:decision_id>/pdf")
@require(Permission.MANAGE_COMMITTEES)
def pdf(decision_id: int):
    return send_signed_pdf(get_or_404(Decision, decision_id))


@bp.post("/<id:decision_id>/publish")
@require(Permission.MANAGE_COMMITTEES)
def publish(decision_id: int):
    decision = get_or_404(Decision, decision_id)
    publish_decision(decision)
    db.session.commit()
    flash(_("La décision n°%(number)s est publiée.", number=decision.number), "success")
    return redirect(url_for("decisions.detail", decision_id=decision.id))


@bp.post("/<id:decision_id>/unpublish")
@require(Permission.MANAGE_COMMITTEES)
def unpublish(decision_id: int):
    decision = get_or_404(Decision, decision_id)
    unpublish_decision(decision)
    db.session.commit()
    flash(_("La décision n°%(number)s n'est plus publiée.", number=decision.number), "success")
    return redirect(url_for("decisions.detail", decision_id=decision.id))


# --- effects -------------------------------------------------------------------------


def _committee(committees: list[Committee], value: str | None) -> Committee | None:
    return next((c for c in committees if str(c.id) == str(value)), None)


def _done(decision: Decision, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("decisions.detail", decision_id=decision.id))


def _committee_effect(decision_id: int, action: EffectAction):
    """The « Créer le comité » and « Concerne le comité » screens: one committee to name."""
    decision = get_or_404(Decision, decision_id)
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
    return render_template(
        "decisions/committee_effect.html", form=form, decision=decision, action=action
    ), form_status(form)


@bp.route("/<id:decision_id>/creation", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def creation(decision_id: int):
    return _committee_effect(decision_id, EffectAction.CREATE_COMMITTEE)


@bp.route("/<id:decision_id>/concerns", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def concerns(decision_id: int):
    return _committee_effect(decision_id, EffectAction.CONCERNS)


@bp.route("/<id:decision_id>/nomination", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def nomination(decision_id: int):
    decision = get_or_404(Decision, decision_id)
    committees = list(list_committees())
    form = NominationForm(committees=committees, persons=all_persons())
    refused_lines: list[int] = []
    if not form.is_submitted():
        preset = _committee(committees, request.args.get("committee", type=int))
        if preset is not None:
            form.committee.data = preset.id
        for row in form.lines:
            row.form.start_date.data = (
                nomination_start(decision, preset) if preset else decision.signed_on
            )
    if form.validate_on_submit():
        committee = _committee(committees, form.committee.data)
        try:
            lines = form.mandate_lines(
                default_start=nomination_start(decision, committee), prefilled=decision.signed_on
            )
            mandates = record_numbered_nomination(decision, committee, lines)
        except NominationRefusalsError as errors:
            for error in errors.refusals:
                refuse(form, error)
            refused_lines = [error.line for error in errors.refusals]
        except BodiesError as error:
            refuse(form, error)
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
    return render_template(
        "decisions/nomination.html", form=form, decision=decision, refused_lines=refused_lines
    ), form_status(form)


@bp.route("/<id:decision_id>/extension", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def extension(decision_id: int):
    decision = get_or_404(Decision, decision_id)
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
            refuse(form, error, form.new_end_date)
        else:
            return _done(
                decision,
                _("Le comité %(name)s est prolongé.", name=committee.name_fr),
            )
    page = render_template("decisions/extension.html", form=form, decision=decision)
    return page, form_status(form)


def _mandate_label(mandate: Mandate) -> str:
    role = role_label(mandate.role, mandate.person.civility)
    return f"{mandate.person.display_name} — {role}"


@bp.route("/<id:decision_id>/end-of-mandates", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def end_of_mandates(decision_id: int):
    """Two steps: choose the committee (a GET form), then tick its mandates to end."""
    decision = get_or_404(Decision, decision_id)
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
            refuse(form, error, form.end_date)
        else:
            return _done(
                decision, ngettext("%(num)d mandat clos.", "%(num)d mandats clos.", len(chosen))
            )
    return render_template(
        "decisions/end_of_mandates.html",
        chooser=None,
        form=form,
        decision=decision,
        committee=committee,
    ), form_status(form)
