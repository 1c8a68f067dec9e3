"""The secretariat's report screens, under /secretariat/committees/<id>/reports: the years,
the foreword, publication."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from committees.auth.permissions import Permission, require
from committees.bodies.models import Committee
from committees.common.forms import ActionForm
from committees.common.timeutils import paris_today
from committees.common.views import form_status, get_or_404
from committees.extensions import db
from committees.reports.computing import report_figures
from committees.reports.forms import ForewordForm
from committees.reports.models import ActivityReport
from committees.reports.services import (
    find_report,
    publish_report,
    reports_by_year,
    save_foreword,
    session_years,
    unpublish_report,
)

bp = Blueprint("reports", __name__, url_prefix="/secretariat/committees")


@bp.get("/<id:committee_id>/reports")
@require(Permission.MANAGE_COMMITTEES)
def index(committee_id: int):
    committee = get_or_404(Committee, committee_id)
    reports = reports_by_year(committee)
    years = sorted(set(session_years(committee)) | set(reports), reverse=True)
    return render_template("reports/index.html", committee=committee, years=years, reports=reports)


def _year_or_404(committee: Committee, year: int) -> ActivityReport | None:
    """The year's report (None if not started); 404 for a year without any session."""
    report = find_report(committee, year)
    if report is None and year not in session_years(committee):
        abort(404)
    return report


@bp.route("/<id:committee_id>/reports/<year:year>", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def edit(committee_id: int, year: int):
    committee = get_or_404(Committee, committee_id)
    report = _year_or_404(committee, year)
    form = ForewordForm(obj=report)
    if form.validate_on_submit():
        save_foreword(committee, year, form.foreword.data or "")
        db.session.commit()
        flash(_("L'avant-propos du rapport %(year)s est enregistré.", year=year), "success")
        return redirect(url_for("reports.edit", committee_id=committee.id, year=year))
    return render_template(
        "reports/edit.html",
        committee=committee,
        year=year,
        report=report,
        form=form,
        action_form=ActionForm(),
        figures=report_figures(committee, year),
        today=paris_today(),
    ), form_status(form)


def _publication(committee_id: int, year: int, publish: bool):
    committee = get_or_404(Committee, committee_id)
    report = _year_or_404(committee, year)
    if not ActionForm().validate_on_submit():
        abort(400)
    if report is None and not publish:
        return redirect(url_for("reports.edit", committee_id=committee.id, year=year))
    if report is None:
        # Publishing a year whose foreword was never written: the figures speak alone.
        report = save_foreword(committee, year, "")
    if publish:
        publish_report(report)
        message = _("Le rapport d'activité %(year)s est publié.", year=year)
    else:
        unpublish_report(report)
        message = _("Le rapport d'activité %(year)s n'est plus publié.", year=year)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("reports.edit", committee_id=committee.id, year=year))


@bp.post("/<id:committee_id>/reports/<year:year>/publish")
@require(Permission.MANAGE_COMMITTEES)
def publish(committee_id: int, year: int):
    return _publication(committee_id, year, publish=True)


@bp.post("/<id:committee_id>/reports/<year:year>/unpublish")
@require(Permission.MANAGE_COMMITTEES)
def unpublish(committee_id: int, year: int):
    return _publication(committee_id, year, publish=False)
