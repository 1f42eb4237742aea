import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grants.cvr import validate_cvr
from grants.enums import ApplicantKind, ApplicationState, EventKind, ProposalState
from portal.mailboxes import normalise_email
from portal.municipalities import default_language
from portal.scoping import MunicipalModel
from portal.uploads import MunicipalPath, validate_document


class GrantScheme(MunicipalModel):
    slug = models.SlugField(_("slug"))
    name = models.CharField(_("name"), max_length=200)
    budget_line_code = models.CharField(
        _("budget line code"),
        max_length=30,
        help_text=_("The code of the budget line that pays; each year's line with this code."),
    )
    applicant_kinds = models.JSONField(
        _("who may apply"),
        default=list,
        help_text=_("The kinds of applicant this scheme is for."),
    )
    requires_under_25 = models.BooleanField(_("for people under 25 at departure"), default=False)
    requires_partner_city = models.BooleanField(
        _("destination must be a partner city"), default=False
    )
    opens_on = models.DateField(_("open from"))
    closes_on = models.DateField(_("open until"))
    cap = models.DecimalField(
        _("most per application"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    text = models.TextField(_("text for applicants"), blank=True)
    # Casework: what decisions rest on and say, and the deadlines the scheme sets (all data,
    # in every shipped language where a reader sees them; docs/staff/administrator.md).
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=300,
        blank=True,
        help_text=_("The rules or decision the scheme rests on, as a decision letter cites them."),
    )
    conditions = models.TextField(
        _("conditions of a grant"),
        blank=True,
        help_text=_("Printed on every approval: what the grant holder must do."),
    )
    payment_terms = models.TextField(
        _("how payment happens"),
        blank=True,
        help_text=_("Printed on every approval: when and how the grant is paid."),
    )
    complaint_guidance = models.TextField(
        _("complaint guidance"),
        blank=True,
        help_text=_(
            "Printed on every decision that does not fully grant: where, how and by when to "
            "complain, or that no administrative appeal exists and where one can turn instead."
        ),
    )
    decision_days = models.PositiveSmallIntegerField(
        _("days to a decision"),
        default=30,
        help_text=_("The service target: a case is overdue this many days after it came in."),
    )
    report_days = models.PositiveSmallIntegerField(
        _("days to report after the trip"),
        default=30,
        help_text=_("The report is due this many days after the return; not overdue before."),
    )
    repay_unspent = models.BooleanField(
        _("unspent grant is repaid"),
        default=True,
        help_text=_("When the actual costs are below the grant, the difference is claimed back."),
    )
    classification = models.CharField(
        _("records classification"),
        max_length=40,
        blank=True,
        help_text=_("The records system's subject code for cases of this scheme (e.g. KLE)."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"], name="grantscheme_slug_per_municipality"
            ),
        ]
        ordering = ["name"]
        verbose_name = _("grant scheme")
        verbose_name_plural = _("grant schemes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("grants:apply", args=[self.slug])

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


def new_token() -> str:
    return secrets.token_urlsafe(32)


class GrantApplication(MunicipalModel):
    """An application. Personal fields are erased after the retention period; amounts stay."""

    scheme = models.ForeignKey(
        GrantScheme, on_delete=models.PROTECT, related_name="applications", verbose_name=_("scheme")
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=ApplicationState.choices,
        default=ApplicationState.SUBMITTED,
    )
    # The language the applicant wrote in, and so of every letter and mail to them; an
    # application made elsewhere than the public form (the admin) takes the municipality's.
    language = models.CharField(_("language"), max_length=5, default=default_language)
    # Against abuse of the public form: the applicant's address is confirmed by a mailed link
    # before anything else happens; one key per form, so a double submit makes one case.
    email_confirmed_at = models.DateTimeField(_("email address confirmed"), null=True, blank=True)
    # Unique per municipality (Meta): a form sent twice makes one application.
    submission_key = models.CharField(max_length=64, null=True, editable=False)
    client_key = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    # The applicant: personal data, never public.
    applicant_kind = models.CharField(_("applicant"), max_length=24, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("name"), max_length=150)
    applicant_email = models.EmailField(_("email"))
    # The mailbox the address reaches (portal.mailboxes.normalise_email): what every rule that
    # compares addresses reads (an officer's own case, the applications per mailbox).
    applicant_mailbox = models.CharField(max_length=254, editable=False, db_index=True)
    applicant_phone = models.CharField(_("phone"), max_length=40, blank=True)
    applicant_address = models.CharField(_("address"), max_length=250, blank=True)
    applicant_birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    organisation = models.CharField(
        _("association, school or workplace"), max_length=200, blank=True
    )
    organisation_may_be_published = models.BooleanField(
        _("the association's name may be published"), default=False
    )
    # The trip.
    purpose = models.TextField(_("purpose"))
    partner_city = models.ForeignKey(
        "partnerships.PartnerCity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grant_applications",
        verbose_name=_("partner city"),
    )
    other_destination = models.CharField(_("other destination"), max_length=150, blank=True)
    departs_on = models.DateField(_("departure"))
    returns_on = models.DateField(_("return"))
    participants = models.PositiveIntegerField(_("participants"))
    participants_under_25 = models.PositiveIntegerField(_("of whom under 25"), default=0)
    cost_travel = models.DecimalField(
        _("travel"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    cost_accommodation = models.DecimalField(
        _("accommodation"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    cost_other = models.DecimalField(
        _("other costs"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    amount_requested = models.DecimalField(
        _("amount applied for"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(1)],
    )
    # The decision.
    amount_granted = models.DecimalField(
        _("amount granted"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_letter = models.FileField(
        _("decision letter"), upload_to=MunicipalPath("grants/letters"), blank=True
    )
    linked_officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("officers linked to the case"),
        help_text=_("They may not decide it (e.g. family or the same association)."),
    )
    # Report back.
    report = models.TextField(_("report"), blank=True)
    report_cost = models.DecimalField(
        _("what the trip cost"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    report_submitted_at = models.DateTimeField(_("report sent"), null=True, blank=True)
    last_reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    personal_data_erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)
    # Payment, as the finance system made it (grants.payments; docs/staff/grant-officer.md).
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=60, blank=True)
    # Records: the records system's (ESDH) case number and when the case file was filed there.
    journal_number = models.CharField(_("journal number"), max_length=40, blank=True)
    filed_at = models.DateTimeField(_("filed in the records system"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation_cvr = models.CharField(
        _("CVR number"),
        max_length=8,
        blank=True,
        validators=[validate_cvr],
        help_text=_("The organisation's 8-digit CVR number, if it has one."),
    )
    # Hearing the applicant (partshøring): the facts are the officer's message, this the
    # deadline for comments; after it the officer may go on without them.
    hearing_deadline = models.DateField(_("deadline for comments"), null=True, blank=True)
    # The structured report back: participants and the actual costs per category of the
    # application's costs (`report_cost` keeps their sum).
    report_participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    report_cost_travel = models.DecimalField(
        _("travel"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    report_cost_accommodation = models.DecimalField(
        _("accommodation"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    report_cost_other = models.DecimalField(
        _("other costs"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # Repayment of an unspent grant (the scheme's `repay_unspent`): claimed, then received.
    repayment_claimed = models.DecimalField(
        _("repayment claimed"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    repaid_on = models.DateField(_("repaid on"), null=True, blank=True)
    # Who works on the case now (grants.services.assignment): not a state, never a decision.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_grant_cases",
        verbose_name=_("assigned to"),
    )
    # The reasons of a decision that does not fully grant (docs/decisions/decision-reasons.md):
    # the scheme's rules it rests on (keys of grants.letters.GROUNDS; the letter words them in
    # the applicant's language) beside the officer's considerations (`decision_reason`), and
    # the language the officer wrote those in (their interface language at the time).
    decision_rules = models.JSONField(_("rules the decision rests on"), default=list, blank=True)
    decision_language = models.CharField(_("language of the reason"), max_length=5, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "submission_key"], name="submission_once_per_municipality"
            ),
        ]
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("grant application")
        verbose_name_plural = _("grant applications")
        permissions = [
            ("decide_grantapplication", _("Can decide grant applications")),
            ("view_payment_list", _("Can read the payment list")),
        ]
        indexes = [
            models.Index(fields=["state", "submitted_at"]),
            # The first and last decision, for the open-data catalogue's period.
            models.Index(fields=["decided_at"], name="application_decided_at"),
            # The officers' queue in its orders (oldest or newest first; by amount, either
            # way, read backwards for descending), the case's id breaking ties as the lists
            # do (portal.pagination.stable_order): a page reads its rows in order instead of
            # sorting every open case. Each leads with the municipality: the manager reads
            # one municipality's cases.
            models.Index(
                fields=["municipality", "submitted_at", "id"], name="application_queue_by_age"
            ),
            models.Index(
                fields=["municipality", "amount_requested", "id"],
                name="application_queue_by_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.scheme}"

    def save(self, *args, **kwargs):
        # A key derived from the address, not a rule: kept here so that no path that writes an
        # address (the form, the demo, an import, the erasure) can leave it stale, since the
        # own-case rule would then fail open (docs/security/grant-identity.md).
        self.applicant_mailbox = normalise_email(self.applicant_email)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "applicant_email" in update_fields:
            kwargs["update_fields"] = {*update_fields, "applicant_mailbox"}
        super().save(*args, **kwargs)

    def get_case_url(self) -> str:
        return reverse("grants:case", args=[self.token])

    @property
    def case_number(self) -> str:
        """What officers, letters and the applicant call the case: the year it came in and its
        number ("2026-0011"). Derived, never stored, so it cannot disagree with the case;
        `grants.selectors.case_number_query` finds a case by it."""
        return f"{self.submitted_at:%Y}-{self.pk:04d}"

    @property
    def total_cost(self):
        return self.cost_travel + self.cost_accommodation + self.cost_other

    @property
    def destination(self) -> str:
        return self.partner_city.name if self.partner_city_id else self.other_destination


class ApplicationEvent(MunicipalModel):
    """One step in a case's history: a move between states, a proposal, its withdrawal, a
    declared conflict of interest. Officers see them all; the applicant sees the moves."""

    application = models.ForeignKey(
        GrantApplication, on_delete=models.PROTECT, related_name="events"
    )
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=20, choices=EventKind.choices, default=EventKind.MOVE)
    actor = models.CharField(max_length=10)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The other officer of a four-eyes decision: who proposed what `officer` confirmed.
    second_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    from_state = models.CharField(max_length=20, choices=ApplicationState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=ApplicationState.choices, blank=True)
    reason = models.TextField(blank=True)
    # Where an applicant's step through the private link came from (portal.clients): if a
    # link leaks, the history shows that someone else used it. Erased with the case's data.
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.from_state} -> {self.to_state}"


class ApplicationMessage(MunicipalModel):
    """A question from the officer or an answer from the applicant."""

    application = models.ForeignKey(
        GrantApplication, on_delete=models.PROTECT, related_name="messages"
    )
    at = models.DateTimeField(auto_now_add=True)
    from_applicant = models.BooleanField(default=False)
    text = models.TextField()
    # The language the text was written in: an officer's interface language at the time.
    language = models.CharField(max_length=5, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.text[:50]


class Attachment(MunicipalModel):
    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        upload_to=MunicipalPath("grants/attachments"), validators=[validate_document]
    )
    name = models.CharField(max_length=200)
    for_report = models.BooleanField(default=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class ApprovalProposal(MunicipalModel):
    """Above the municipality's four-eyes amount, one officer proposes and another confirms
    exactly this proposal. A new proposal withdraws the pending one; all are kept."""

    application = models.ForeignKey(
        GrantApplication, on_delete=models.PROTECT, related_name="proposals"
    )
    state = models.CharField(
        max_length=12, choices=ProposalState.choices, default=ProposalState.PENDING
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    reason = models.TextField(blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # The reasons proposed with an amount below what was applied for, as on the decision.
    rules = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=5, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(state="pending"),
                name="one_pending_proposal_per_application",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.amount}"


class GrantTotal(MunicipalModel):
    """Grants decided per scheme, month of decision, partner city and (when it consented to
    be named) association: what the public statistics add up. Kept by the services
    (grants.totals) in the transaction of each decision; `manage.py recount` checks."""

    scheme = models.ForeignKey(GrantScheme, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    partner_city = models.ForeignKey(
        "partnerships.PartnerCity", null=True, on_delete=models.CASCADE, related_name="+"
    )
    association = models.CharField(max_length=200, blank=True)
    grants = models.IntegerField(default=0)
    amount = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    class Meta:
        # The statistics' page of a year reads that year's rows.
        indexes = [models.Index(fields=["year", "scheme"], name="grant_total_by_year")]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "year", "month", "partner_city", "association"],
                name="grant_total_once",
            ),
            # NULLs are distinct in a unique key: one row for "no partner city" needs its own.
            models.UniqueConstraint(
                fields=["scheme", "year", "month", "association"],
                condition=models.Q(partner_city__isnull=True),
                name="grant_total_once_without_city",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.year}-{self.month}: {self.grants}"


class GrantMonthTotal(MunicipalModel):
    """`GrantTotal` added up per scheme and month, without the partner city and the
    association: the statistics' figures per scheme and year read a dozen of these a year
    instead of every city's. Kept, and checked, the same way."""

    scheme = models.ForeignKey(GrantScheme, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    grants = models.IntegerField(default=0)
    amount = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "year", "month"], name="grant_month_total_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.year}-{self.month}: {self.grants}"


class CaseMail(MunicipalModel):
    """A mail of the outbox written for a case (to the applicant or to officers): how the
    officer's case page lists every mail the case caused, reminders included."""

    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="case_mails"
    )
    mail = models.OneToOneField(
        "portal.OutboxMail", on_delete=models.CASCADE, related_name="grant_case"
    )

    class Meta:
        ordering = ["mail__created_at", "mail__pk"]

    def __str__(self) -> str:
        return f"#{self.application_id}: {self.mail_id}"


class InternalNote(MunicipalModel):
    """A note officers leave each other on a case: never shown to the applicant, never in a
    letter, a download or the API (tests/grants/test_workspace.py proves it)."""

    application = models.ForeignKey(
        GrantApplication, on_delete=models.PROTECT, related_name="internal_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(_("note"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")

    def __str__(self) -> str:
        return self.text[:50]


class LetterKind(models.TextChoices):
    APPROVAL = "approval", _("Approval")
    PARTIAL = "partial", _("Approval of less than applied for")
    REJECTION = "rejection", _("Rejection")


def validate_letter_text(text: str) -> None:
    """Refuse a letter text whose placeholders are not the allowed ones (grants.letters)."""
    from grants.letters import placeholder_errors

    if errors := placeholder_errors(text):
        from django.core.exceptions import ValidationError

        raise ValidationError(errors)


class LetterTemplate(MunicipalModel):
    """The wording of a decision letter of one kind in one language, for one scheme or (no
    scheme) for every scheme without its own. What the law requires of a decision (amount,
    conditions, reasons, complaint guidance, the officer, the office) is added by the letter
    itself and cannot be edited away (grants.letters)."""

    scheme = models.ForeignKey(
        GrantScheme,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="letter_templates",
        verbose_name=_("scheme"),
        help_text=_("Empty: the text for every scheme that has none of its own."),
    )
    kind = models.CharField(_("kind of letter"), max_length=12, choices=LetterKind.choices)
    # The offered languages are a deployment setting: the admin's form gives the choices.
    language = models.CharField(_("language"), max_length=5)
    subject = models.CharField(_("heading"), max_length=200, validators=[validate_letter_text])
    body = models.TextField(_("text"), validators=[validate_letter_text])
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["scheme__slug", "kind", "language"]
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "kind", "language"], name="one_letter_template_per_scheme"
            ),
            models.UniqueConstraint(
                fields=["kind", "language"],
                condition=models.Q(scheme__isnull=True),
                name="one_default_letter_template",
            ),
        ]

    def __str__(self) -> str:
        scheme = self.scheme.name if self.scheme_id else _("all schemes")
        return f"{self.get_kind_display()}, {self.language}: {scheme}"
