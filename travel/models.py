import operator
from functools import reduce

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Cast, Coalesce, Greatest, NullIf
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from portal.addresses import slug_address
from portal.fields import WebAddressField
from portal.scoping import MunicipalModel
from portal.tallies import KeptFields
from travel import figures
from travel.enums import (
    ADMINISTRATION,
    PROVISIONAL_STATES,
    PUBLIC_STATES,
    AccountCategory,
    AccountsStatus,
    PersonKind,
    PublicationState,
)


class Person(MunicipalModel):
    """A politician or official who travels. Their trips are public by design."""

    slug = models.SlugField(_("slug"))
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=12, choices=PersonKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"], name="person_slug_per_municipality"
            ),
        ]
        ordering = ["name"]
        verbose_name = _("traveller")
        verbose_name_plural = _("travellers")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_address("travel:person", self.slug)


# When a trip last changed for its readers: its publication, its report's, or its latest
# correction, whichever came last (each falls back to the publication: SQLite's MAX() of a
# NULL is NULL, PostgreSQL's GREATEST skips it).
FEED_ORDER = Greatest(
    Coalesce("report_published_at", "published_at"), Coalesce("corrected_at", "published_at")
)

# The lists' other orders (travel.filters), defined once for the annotations that sort by
# them (travel.selectors.with_figures) and for the indexes that make a sorted page cost
# what the first page in date order costs.
HEAD_COUNT_FIELDS = ("politicians", "officials", "other_participants")
HEAD_COUNT = reduce(operator.add, map(models.F, HEAD_COUNT_FIELDS))
# The trips whose cost is provisional (travel.figures.is_provisional), for the totals that
# count them.
PROVISIONAL = models.Q(accounts_status__in=PROVISIONAL_STATES)
# For sorting only: the figure shown is Trip.cost_per_participant, in Decimal. A float here,
# so SQLite does not divide whole amounts as integers.
PER_PARTICIPANT_ORDER = models.ExpressionWrapper(
    Cast("total_actual", models.FloatField()) / NullIf(HEAD_COUNT, 0),
    output_field=models.FloatField(),
)


class Trip(KeptFields, MunicipalModel):
    kept_fields = (
        "total_budgeted",
        "total_actual",
        "politicians",
        "officials",
        "search_document",
        "search_text",
    )

    slug = models.SlugField(_("slug"))
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"))
    destination_city = models.CharField(_("destination city"), max_length=120)
    destination_country = CountryField(_("destination country"))
    partner_city = models.ForeignKey(
        "partnerships.PartnerCity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trips",
        verbose_name=_("partner city"),
    )
    starts_on = models.DateField(_("departure"))
    ends_on = models.DateField(_("return"))
    committee = models.ForeignKey(
        "budgets.Committee",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trips",
        verbose_name=_("committee"),
    )
    unit = models.CharField(
        _("unit"),
        max_length=150,
        blank=True,
        help_text=_("The administrative unit that sent the travellers, when not a committee."),
    )
    network = models.ForeignKey(
        "partnerships.CityNetwork",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trips",
        verbose_name=_("network served"),
    )
    other_participants = models.PositiveIntegerField(
        _("other participants"),
        default=0,
        help_text=_("Participants who are not politicians or officials, as a count."),
    )
    budget_line = models.ForeignKey(
        "budgets.BudgetLine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trips",
        verbose_name=_("paid from budget line"),
    )
    accounts_status = models.CharField(
        _("accounts"),
        max_length=12,
        choices=AccountsStatus.choices,
        default=AccountsStatus.PROVISIONAL,
    )
    state = models.CharField(
        _("publication"),
        max_length=20,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    report = models.TextField(_("goal and outcome"), blank=True)
    report_approved_on = models.DateField(_("report approved on"), null=True, blank=True)
    report_approved_by = models.ForeignKey(
        "budgets.Committee",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_trip_reports",
        verbose_name=_("approved by"),
    )
    report_agenda_item = models.CharField(_("agenda item"), max_length=150, blank=True)
    report_minutes_url = WebAddressField(_("link to the minutes"), blank=True)
    report_published_at = models.DateTimeField(_("report published"), null=True, blank=True)
    # When the latest correction was made (travel.services.save_trip): it moves the trip's
    # entry in the feed, as FEED_ORDER reads it from its index.
    corrected_at = models.DateTimeField(_("last corrected"), null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Kept by the services with the accounts and travellers they add up (travel.totals), so a
    # list of trips reads its figures instead of adding up every trip's rows.
    total_budgeted = models.DecimalField(
        _("budgeted in total"), max_digits=14, decimal_places=2, default=0, editable=False
    )
    total_actual = models.DecimalField(
        _("actual in total"), max_digits=14, decimal_places=2, default=0, editable=False
    )
    politicians = models.PositiveIntegerField(_("politicians"), default=0, editable=False)
    officials = models.PositiveIntegerField(_("officials"), default=0, editable=False)
    # On PostgreSQL, the trip's public text (with its programme, and its report once public)
    # as a search vector, kept with them (travel.totals) and indexed (GIN), for search.
    search_document = SearchVectorField(null=True, editable=False)
    # The same text folded, with its stems and the names of its country and committee in
    # every language, as search finds it on either database (portal.search.document).
    search_text = models.TextField(default="", editable=False)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("trip")
        verbose_name_plural = _("trips")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"], name="trip_slug_per_municipality"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="trip_returns_after_departure",
            ),
        ]
        # The lists' orders below carry what a page deeper than the first reads to skip the
        # rows before it (the state that makes a trip public, the figures of the order's
        # expression), so PostgreSQL skips them in the index alone (an index-only scan).
        # Each leads with the municipality: one municipality's page reads its own rows in
        # order, however many others the service hosts.
        indexes = [
            models.Index(fields=["state", "starts_on"]),
            # The lists' order: newest first. Lets PostgreSQL read 50 trips instead of sorting all.
            models.Index(
                fields=["municipality", "-starts_on", "-id"],
                name="trip_newest_first",
                include=["state"],
            ),
            # The latest return of any trip, for the open-data catalogue's period.
            models.Index(fields=["municipality", "ends_on"], name="trip_last_return"),
            # The feed's order: newest publication of the trip or its report first.
            models.Index("municipality", FEED_ORDER.desc(), name="trip_feed_order"),
            # The lists sorted by cost, cost per participant or participants (ascending, and
            # descending read backwards), the trip's id breaking ties as the lists do
            # (portal.pagination.stable_order).
            models.Index(
                fields=["municipality", "total_actual", "id"],
                name="trip_by_cost",
                include=["state"],
            ),
            models.Index(
                "municipality",
                PER_PARTICIPANT_ORDER,
                "id",
                name="trip_by_cost_per_participant",
                include=["state", *HEAD_COUNT_FIELDS, "total_actual"],
            ),
            models.Index(
                "municipality",
                HEAD_COUNT,
                "id",
                name="trip_by_participants",
                include=["state", *HEAD_COUNT_FIELDS],
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return trip_address(self.slug)

    @property
    def participants(self) -> int:
        return figures.participants(self.politicians, self.officials, self.other_participants)

    @property
    def cost_per_participant(self):
        return figures.cost_per_participant(self.total_actual, self.participants)

    @property
    def sender(self) -> str:
        """Who sent the trip, named as the totals per committee name it (travel.selectors.
        trip_totals): its committee, else the administration (its unit says which part)."""
        return self.committee.name if self.committee_id else str(ADMINISTRATION)

    @property
    def accounts_are_provisional(self) -> bool:
        return figures.is_provisional(self.accounts_status)

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_STATES

    @property
    def report_is_public(self) -> bool:
        return figures.report_is_public(self.state)


def trip_address(slug: str) -> str:
    """The site path of a trip's public page (a Trip's, or a plain row's slug)."""
    return slug_address("travel:trip", slug)


class TripTraveller(MunicipalModel):
    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="travellers")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="trips")
    role = models.CharField(_("role"), max_length=150, help_text=_("E.g. chair of the committee."))

    class Meta:
        # In the order entered (docs/decisions/travellers-keep-the-order-entered.md).
        ordering = ["pk"]
        verbose_name = _("traveller on a trip")
        verbose_name_plural = _("travellers on trips")
        constraints = [
            models.UniqueConstraint(fields=["trip", "person"], name="traveller_once_per_trip")
        ]

    def __str__(self) -> str:
        return f"{self.person}, {self.role}"


class ProgrammeItem(MunicipalModel):
    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="programme")
    day = models.DateField(_("day"))
    time = models.TimeField(_("time"), null=True, blank=True)
    what = models.CharField(_("what"), max_length=250)
    where = models.CharField(_("where"), max_length=200, blank=True)
    with_whom = models.CharField(_("with whom"), max_length=250, blank=True)

    class Meta:
        ordering = ["day", "time", "pk"]
        verbose_name = _("programme item")
        verbose_name_plural = _("programme")

    def __str__(self) -> str:
        return f"{self.day} {self.what}"


class AccountLine(MunicipalModel):
    """A cost of a trip, VAT included, budgeted and (once known) actual."""

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="account_lines")
    category = models.CharField(_("category"), max_length=16, choices=AccountCategory.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    budgeted = models.DecimalField(
        _("budgeted (incl. VAT)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    actual = models.DecimalField(
        _("actual (incl. VAT)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("account line")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.actual}"


class Correction(MunicipalModel):
    """A change to a trip after publication, shown on its public page."""

    trip = models.ForeignKey(Trip, on_delete=models.PROTECT, related_name="corrections")
    made_at = models.DateTimeField(_("corrected"), auto_now_add=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.CharField(_("what was corrected"), max_length=250)
    # What changed, old and new, as data (travel.corrections): each reader reads it in their
    # own language on the trip's page and in the feed.
    changes = models.JSONField(_("what changed"), default=list, blank=True, editable=False)

    class Meta:
        ordering = ["made_at", "pk"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self) -> str:
        return self.summary


class TripTotal(MunicipalModel):
    """What the published trips of a year, committee and country of destination add up to
    (no committee: sent by the administration). Kept by the services (travel.totals);
    `manage.py recount` checks. A few thousand rows at national scale: the list's totals
    and its choice of countries read these, not the trips."""

    year = models.PositiveSmallIntegerField()
    committee = models.ForeignKey(
        "budgets.Committee", null=True, on_delete=models.CASCADE, related_name="+"
    )
    country = CountryField()
    trips = models.IntegerField(default=0)
    cost = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    politicians = models.IntegerField(default=0)
    officials = models.IntegerField(default=0)
    others = models.IntegerField(default=0)
    # How many of them have provisional accounts: the totals they add up to are provisional.
    provisional = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "committee", "country"], name="trip_total_once"
            ),
            # NULLs are distinct in a unique key: one row for "no committee" needs its own.
            models.UniqueConstraint(
                fields=["municipality", "year", "country"],
                condition=models.Q(committee__isnull=True),
                name="trip_total_once_without_committee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.committee_id}: {self.trips}"


class PublicationLagTotal(MunicipalModel):
    """How many published trips of a year of departure were published a given number of days
    after their return (0 for the day of return or before): a row per year and lag, a few
    hundred at most, however many trips there are. The national comparison reads from these
    the share published within the municipality's deadline, whatever the deadline is now.
    Kept by the services (travel.totals); `manage.py recount` checks."""

    year = models.PositiveSmallIntegerField()
    lag_days = models.PositiveIntegerField()
    trips = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "lag_days"], name="publication_lag_total_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} +{self.lag_days}: {self.trips}"


class TravellerYearTotal(MunicipalModel):
    """What one person's published trips of a year add up to: the trips, their cost per
    participant added up (each trip's rounded to the øre, as its page shows it) and how many
    of them have provisional accounts. Kept by the services (travel.totals); `manage.py
    recount` checks. The people who travelled read a row per person and year from here, not
    every trip each of them made."""

    # Indexed by the unique (person, year) below, which leads with the person.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", db_index=False)
    year = models.PositiveSmallIntegerField()
    trips = models.IntegerField(default=0)
    cost = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    provisional = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="traveller_year_total_once")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year}: {self.trips}"
