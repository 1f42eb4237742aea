"""The grants app's pages: the public side (`applicants`, `statistics`) and the officers'
(`officers`)."""

from grants.views.applicants import (  # noqa: F401
    apply,
    case,
    case_letter,
    check_answers,
    scheme_list,
    submitted,
    withdraw,
)
from grants.views.finance import payment_download, payment_list  # noqa: F401
from grants.views.officers import (  # noqa: F401
    officer_action,
    officer_attachment,
    officer_case,
    officer_letter,
    queue,
    queue_batch,
    queue_csv,
)
from grants.views.records import (  # noqa: F401
    officer_archive,
    officer_filed,
    officer_journal_number,
    to_file,
)
from grants.views.statistics import public_statistics, statistics_360giving  # noqa: F401
