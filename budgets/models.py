from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from budgets.enums import (
    CommitmentSource,
    EconomySmiley,
    ManualCause,
    MilestoneSmiley,
)
from portal.i18n import in_default_language
from portal.scoping import MunicipalModel
from portal.tallies import KeptFields


class Committee(MunicipalModel):
    """A political committee or the council: an owner of travel budgets and initiatives."""

    slug = models.SlugField(_("slug"))
    name = models.CharField(_("name"), max_length=150)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"], name="committee_slug_per_municipality"
            ),
        ]
        ordering = ["position", "name"]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")

    def __str__(self) -> str:
        return self.name


class ElectionPeriod(MunicipalModel):
    """The council's term, e.g. 2022–2025. Unspent travel budgets carry over inside it."""

    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    name = models.CharField(
        _("name"),
        max_length=120,
        blank=True,
        help_text=_(
            "What the municipality calls the term, e.g. “Wahlperiode 2020–2025”. Empty: "
            "“Election period” and the years, in the reader's language."
        ),
    )

    class Meta:
        ordering = ["-first_year"]
        verbose_name = _("election period")
        verbose_name_plural = _("election periods")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "first_year"],
                name="electionperiod_first_year_per_municipality",
            ),
            models.UniqueConstraint(
                fields=["municipality", "last_year"],
                name="electionperiod_last_year_per_municipality",
            ),
            models.CheckConstraint(
                condition=models.Q(last_year__gte=models.F("first_year")),
                name="election_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_year}–{self.last_year}"

    @property
    def label(self) -> str:
        """The term's name as the municipality writes it, or "Election period" and the years."""
        return self.name or gettext("Election period %(period)s") % {"period": str(self)}


class BudgetYear(MunicipalModel):
    year = models.PositiveSmallIntegerField(_("year"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="budgetyear_year_per_municipality"
            ),
        ]
        ordering = ["-year"]
        verbose_name = _("budget year")
        verbose_name_plural = _("budget years")

    def __str__(self) -> str:
        return str(self.year)

    def get_absolute_url(self) -> str:
        return reverse("budgets:year", args=[self.year])


class LineKind(MunicipalModel):
    """What a budget line is for: the central international budget, a fund, a committee's
    travel budget. Records an administrator keeps (budgets.institutions seeds Denmark's)."""

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    is_central = models.BooleanField(
        _("the central international budget"),
        default=False,
        help_text=_(
            "Lines of this kind are shown first on the budget page, line by line with a chart."
        ),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"], name="linekind_code_per_municipality"
            ),
        ]
        ordering = ["position", "code"]
        verbose_name = _("budget-line kind")
        verbose_name_plural = _("budget-line kinds")

    def __str__(self) -> str:
        return self.name


class BudgetLine(KeptFields, MunicipalModel):
    """An amount for a year. What is committed is its commitments added up as they are booked.

    Lines that carry over (committee and council travel budgets) are the same
    budget from year to year when they share a code: what is unspent moves to
    the next year of the same election period.
    """

    kept_fields = ("committed", "spent")

    budget_year = models.ForeignKey(
        BudgetYear, on_delete=models.PROTECT, related_name="lines", verbose_name=_("budget year")
    )
    code = models.CharField(
        _("code"),
        max_length=30,
        help_text=_("Keep the same code from year to year: carry-over follows the code."),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.ForeignKey(
        LineKind,
        on_delete=models.PROTECT,
        related_name="lines",
        verbose_name=_("kind"),
    )
    amount = models.DecimalField(
        _("amount for the year"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    # The sums of the line's commitments, kept by budgets.services in the transaction that
    # books or reverses them (the line is locked there); `manage.py recount` checks them.
    committed = models.DecimalField(
        _("committed"), max_digits=14, decimal_places=2, default=0, editable=False
    )
    spent = models.DecimalField(
        _("spent"), max_digits=14, decimal_places=2, default=0, editable=False
    )
    # The part of those sums that grant decisions booked: the public figures show grants as
    # the statistics publish them instead (budgets.selectors.public_figures).
    grants_committed = models.DecimalField(
        _("committed by grant decisions"), max_digits=14, decimal_places=2, default=0,
        editable=False,
    )  # fmt: skip
    grants_spent = models.DecimalField(
        _("spent by grant decisions"), max_digits=14, decimal_places=2, default=0,
        editable=False,
    )  # fmt: skip
    owner = models.ForeignKey(
        Committee,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_lines",
        verbose_name=_("owner"),
    )
    carries_over = models.BooleanField(
        _("unspent amount carries over within the election period"), default=False
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["budget_year", "position", "code"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(
                fields=["budget_year", "code"], name="unique_line_code_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.budget_year} {self.code} {in_default_language(self, 'name')}"


class Commitment(MunicipalModel):
    """An amount booked against a line. Never edited: a reversal is a new, negative row."""

    line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("line")
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    booked_on = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=300)
    source = models.CharField(_("source"), max_length=20, choices=CommitmentSource.choices)
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, help_text=_("E.g. the case or trip it is for.")
    )
    # What the money paid for, when the portal booked it: a trip's accounts or a grant
    # decision (at most one); a manual entry has neither and says it in words.
    trip = models.ForeignKey(
        "travel.Trip",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("trip"),
    )
    grant_application = models.ForeignKey(
        "grants.GrantApplication",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("grant application"),
    )
    # What a manual entry pays for, from a declared list without trips abroad (empty: booked
    # by the portal, or by hand before entries named it).
    manual_cause = models.CharField(
        _("what it pays for"), max_length=20, choices=ManualCause.choices, blank=True
    )
    reason = models.TextField(_("reason"), blank=True)
    # What citizens read on the line's page. The reason and the description are internal
    # and may name people; this may not.
    public_description = models.CharField(
        _("public description"),
        max_length=300,
        blank=True,
        help_text=_("Shown on the public budget: what the money paid for, naming no one."),
    )
    is_spent = models.BooleanField(_("spent"), default=False)
    reverses = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("booked by"),
    )
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    # A part of this commitment booked back (a grant's unspent part repaid): the negative
    # row names what it reduces (budgets.services.reduce_commitment).
    reduces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reductions",
        verbose_name=_("reduces"),
    )

    class Meta:
        ordering = ["booked_on", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        indexes = [
            models.Index(fields=["line", "booked_on"]),
            # Balances sum a line's commitments: on PostgreSQL from this index alone.
            models.Index(
                fields=["line"], include=["amount", "is_spent"], name="commitment_line_totals"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trip__isnull=True) | models.Q(grant_application__isnull=True),
                name="commitment_one_cause_at_most",
            ),
            models.CheckConstraint(
                condition=models.Q(source=CommitmentSource.MANUAL) | models.Q(manual_cause=""),
                name="commitment_manual_cause_on_manual_entries_only",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.description}"


class Initiative(MunicipalModel):
    """An initiative followed up round by round (the format of a budget agreement follow-up)."""

    budget_year = models.ForeignKey(
        BudgetYear,
        on_delete=models.PROTECT,
        related_name="initiatives",
        verbose_name=_("budget year"),
    )
    number = models.CharField(_("number"), max_length=20, help_text=_("E.g. 3.01"))
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    responsible_centre = models.CharField(_("responsible centre"), max_length=200, blank=True)
    responsible_committee = models.ForeignKey(
        Committee,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiatives",
        verbose_name=_("responsible committee"),
    )
    main_contributor = models.CharField(_("main contributor"), max_length=200, blank=True)
    economy_description = models.TextField(_("economy"), blank=True)
    economy_status = models.TextField(_("economy status"), blank=True)
    economy_smiley = models.CharField(
        _("economy smiley"), max_length=10, choices=EconomySmiley.choices, blank=True
    )

    class Meta:
        ordering = ["budget_year", "number", "title"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        constraints = [
            models.UniqueConstraint(
                fields=["budget_year", "number", "title"], name="unique_initiative_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("budgets:follow_up", args=[self.budget_year.year]) + f"#initiative-{self.pk}"


class FollowUpRound(MunicipalModel):
    """A round of the year's follow-up of the initiatives (Denmark's: three budget
    follow-ups and the year's end). Records an administrator keeps (budgets.institutions)."""

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"], name="followupround_code_per_municipality"
            ),
        ]
        ordering = ["position", "code"]
        verbose_name = _("follow-up round")
        verbose_name_plural = _("follow-up rounds")

    def __str__(self) -> str:
        return self.name


class Milestone(MunicipalModel):
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("initiative"),
    )
    round = models.ForeignKey(
        FollowUpRound,
        on_delete=models.PROTECT,
        related_name="milestones",
        verbose_name=_("follow-up round"),
    )
    description = models.TextField(_("milestone"))
    smiley = models.CharField(
        _("smiley"), max_length=10, choices=MilestoneSmiley.choices, blank=True
    )
    status_text = models.TextField(_("status"), blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "round"], name="one_milestone_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.initiative.number} {self.round}"


class StaffResource(MunicipalModel):
    """Staff time a year gives the international work beside its money (the strategy's
    half post for central coordination, a quarter post for schools, hours of network
    meetings): what the time is for, in full-time equivalents and/or hours a year, and
    where the administrator has one, an estimate of what it costs. The estimate is never
    part of a budget line's money: the budget page shows it apart (budgets.selectors)."""

    budget_year = models.ForeignKey(
        BudgetYear,
        on_delete=models.PROTECT,
        related_name="staff_resources",
        verbose_name=_("budget year"),
    )
    description = models.CharField(
        _("what the time is for"),
        max_length=200,
        help_text=_("E.g. “Central coordination and support”. Shown on the public budget."),
    )
    full_time_equivalents = models.DecimalField(
        _("full-time equivalents"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Posts as shares of a full-time post, e.g. 0.5 for half a post."),
    )
    hours_per_year = models.PositiveIntegerField(
        _("hours a year"),
        null=True,
        blank=True,
        help_text=_("Hours set aside a year, e.g. 10 for ten hours of network meetings."),
    )
    estimated_cost = models.DecimalField(
        _("estimated cost"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_(
            "Optional: what the time costs a year, estimated. Shown as an estimate, apart "
            "from the budget's money, and never added to it."
        ),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["budget_year", "position", "pk"]
        verbose_name = _("staff resource")
        verbose_name_plural = _("staff resources")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(full_time_equivalents__isnull=False)
                | models.Q(hours_per_year__isnull=False),
                name="staff_resource_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.budget_year} {in_default_language(self, 'description')}"

    def clean(self):
        if self.full_time_equivalents is None and self.hours_per_year is None:
            raise ValidationError(
                gettext("Give the time as full-time equivalents, as hours a year, or both.")
            )
