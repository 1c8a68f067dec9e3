"""Calls for expressions of interest and written contributions.

``administration`` is the secretariat's side (a call's settings, the review of
contributions, export), ``submission`` the contributor's (submitting, editing,
withdrawing, receipts), ``synthesis`` the summary written once a call closes. What the
public may see is decided in ``visibility``; the rules about dates, SIREN numbers and
receipts in ``rules``. ``search_documents``, ``personal_data`` and ``closing_notices``
are what the calls give the search index, the privacy operations and the followers.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: its blueprints, the ``file_size``
    filter and the labels its pages and e-mails read, its search documents, the personal
    data it holds, the files it stores, and ``flask follows closing-soon``."""
    # Imported when called: importing this package (as `committees.calls.models` does)
    # must not load the views.
    from committees.calls import (
        closing_notices,
        labels,
        personal_data,
        public_views,
        search_documents,
    )
    from committees.calls.administration import notices
    from committees.calls.administration import (
        secretariat_views as administration_secretariat_views,
    )
    from committees.calls.closing import secretariat_views as closing_secretariat_views
    from committees.calls.models import Call, ContributionAttachment
    from committees.calls.submission import contributor_views
    from committees.calls.submission.attachments import file_size
    from committees.calls.synthesis import secretariat_views as synthesis_secretariat_views
    from committees.common.filestore import register_reference
    from committees.publication import watch

    for blueprint in (
        public_views.bp,
        contributor_views.bp,
        administration_secretariat_views.bp,
        closing_secretariat_views.bp,
        synthesis_secretariat_views.bp,
    ):
        app.register_blueprint(blueprint)
    # « 340 ko », « 1,5 Mo » in the calls pages and the receipt e-mail.
    app.add_template_filter(file_size, "file_size")
    app.context_processor(labels.template_context)
    search_documents.register()
    personal_data.register()
    closing_notices.register()
    notices.register()
    register_reference(ContributionAttachment.sha256)
    register_reference(Call.template_sha256)
    # Public pages change by themselves at these instants (kept pages hold until then).
    watch(Call.opens_at, Call.closes_at)
