"""Follow-up actions (suites à donner): recorded from a session's minutes, carried to the
next sessions until closed, shown to their assignee and, when public, on the committee's
page as « Suivi des avis »."""
