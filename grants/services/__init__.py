"""Every move of a grant application, one function per move, in modules by who makes it:
the applicant (`applicants`), an officer (`officers`, `conflicts`), the portal itself
(`care`), and what they share (`core`: the one `move`; `mail`: letters and mail). Each
checks that the move is allowed, writes the state and an event in one transaction, and
sends its mail after commit. `perform` is the one way the pages act: it calls the service
the workflow table (grants.workflow) names."""

from django.utils.translation import gettext as _

from grants import workflow
from grants.enums import Actor
from grants.services.applicants import (  # noqa: F401
    SubmissionRefused,
    _discard_unconfirmed,
    answer,
    comment_on_hearing,
    confirm_email,
    purge_unconfirmed,
    submission_limits_error,
    submit_application,
    submit_report,
    withdraw,
)
from grants.services.assignment import (  # noqa: F401
    add_note,
    hand_over,
    take_case,
    unassign,
)
from grants.services.care import (  # noqa: F401
    erase_personal_data,
    send_report_reminders,
)
from grants.services.casework import (  # noqa: F401
    claim_repayment,
    end_hearing,
    record_repayment,
    request_revision,
    send_hearing,
    withdraw_question,
)
from grants.services.conflicts import (  # noqa: F401
    _withdraw_pending_proposal,
    declare_conflict,
    lift_conflict,
    withdraw_proposals_of_linked,
)
from grants.services.core import (  # noqa: F401
    GrantError,
    _locked,
    _record_step,
    _require,
    check_officer_may_decide,
    move,
)
from grants.services.mail import (  # noqa: F401
    _mail_officers,
    _queue_mail,
    case_link,
    case_link_for_mail,
    decision_letter_attachment,
    make_decision_letter,
)
from grants.services.officers import (  # noqa: F401
    _check_amount,
    _grant,
    _officer_move,
    approve,
    confirm_approval,
    mark_paid,
    paying_line,
    reject,
    request_information,
    reverse_payment,
    simple_move,
    start_review,
)
from grants.services.records import (  # noqa: F401
    mark_filed,
    record_archive_taken,
    set_journal_number,
)


def perform(
    action: str, *, application, officer=None, data: dict | None = None, client_address: str = ""
):
    """Do an action of the workflow table (grants.workflow.ACTIONS): call the service it
    names with the case, the officer (for an officer's action) and what its form gave.
    The one way both sides act; the caller has checked the action is allowed (the
    services check again under the lock). `client_address`: where an applicant acted from."""
    act = workflow.action(action)
    if act is None or not act.offered:
        raise GrantError(_("This cannot be done to this case."))
    data = data or {}
    arguments = {name: data[key] for name, key in act.inputs if key in data}
    if act.actor == Actor.OFFICER:
        arguments["officer"] = officer
    else:  # the applicant, through the private link: the history keeps where from
        arguments["client_address"] = client_address
    if act.moves:
        arguments["to_state"] = act.target
    return globals()[act.service](application=application, **arguments)
