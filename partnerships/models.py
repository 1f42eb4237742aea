from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from partnerships.enums import (
    ExchangeDirection,
    ExchangeKind,
    ExchangeStatus,
    MembershipRole,
    PartnerCityKind,
    RelationStatus,
)
from portal.addresses import slug_address
from portal.fields import WebAddressField
from portal.scoping import MunicipalModel
from portal.uploads import MunicipalPath, validate_document


class FocusArea(MunicipalModel):
    """A focus area of the municipality's strategy (e.g. children and youth)."""

    slug = models.SlugField(_("slug"))
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"], name="focusarea_slug_per_municipality"
            ),
        ]
        ordering = ["position", "name"]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")

    def __str__(self) -> str:
        return self.name


class Consortium(MunicipalModel):
    """A group of municipalities that holds a partnership together (e.g. Bycirklen)."""

    name = models.CharField(_("name"), max_length=120)
    members = models.CharField(
        _("member municipalities"),
        max_length=300,
        blank=True,
        help_text=_("Comma-separated, e.g. the municipalities in the consortium."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="consortium_name_per_municipality"
            ),
        ]
        ordering = ["name"]
        verbose_name = _("consortium")
        verbose_name_plural = _("consortia")

    def __str__(self) -> str:
        return self.name


class PartnerCity(MunicipalModel):
    slug = models.SlugField(_("slug"))
    name = models.CharField(_("name"), max_length=120)
    country = CountryField(_("country"))
    region = models.CharField(_("region"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerCityKind.choices)
    since = models.PositiveSmallIntegerField(_("since (year)"), null=True, blank=True)
    consortium = models.ForeignKey(
        Consortium,
        verbose_name=_("through consortium"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partner_cities",
    )
    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name=_("focus areas"), blank=True, related_name="partner_cities"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RelationStatus.choices, default=RelationStatus.ACTIVE
    )
    ended_in = models.PositiveSmallIntegerField(_("ended (year)"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    website_url = WebAddressField(_("website"), blank=True)
    # Its texts as PostgreSQL searches them, kept by every save (partnerships.totals).
    search_document = SearchVectorField(null=True, editable=False)
    # Its texts folded, with their stems and its country's name in every language, as search
    # finds them on either database (portal.search.document), kept with search_document.
    search_text = models.TextField(default="", editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"], name="partnercity_slug_per_municipality"
            ),
        ]
        ordering = ["name"]
        # The lists' order (then the key, portal.pagination.stable_order): a page reads 50
        # cities from the index instead of sorting thousands.
        indexes = [models.Index(fields=["municipality", "name", "id"], name="partner_city_by_name")]
        verbose_name = _("partner city")
        verbose_name_plural = _("partner cities")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        from partnerships.totals import index_text

        super().save(*args, **kwargs)
        index_text(Q(pk=self.pk))

    def get_absolute_url(self) -> str:
        return slug_address("partnerships:city_detail", self.slug)


class CityNetwork(MunicipalModel):
    slug = models.SlugField(_("slug"))
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    website_url = WebAddressField(_("website"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"], name="citynetwork_slug_per_municipality"
            ),
        ]
        ordering = ["name"]
        verbose_name = _("city network")
        verbose_name_plural = _("city networks")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_address("partnerships:network_detail", self.slug)


class NetworkMemberCity(MunicipalModel):
    network = models.ForeignKey(
        CityNetwork,
        on_delete=models.CASCADE,
        related_name="member_cities",
        verbose_name=_("network"),
    )
    name = models.CharField(_("name"), max_length=150)
    country = CountryField(_("country"))
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    is_own_municipality = models.BooleanField(_("this is our municipality"), default=False)

    class Meta:
        ordering = ["-population", "name"]
        verbose_name = _("member city")
        verbose_name_plural = _("member cities")
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="unique_member_per_network")
        ]

    def __str__(self) -> str:
        return self.name


class Membership(MunicipalModel):
    """The municipality's own membership of a network."""

    network = models.OneToOneField(
        CityNetwork,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name=_("network"),
    )
    role = models.CharField(_("our role"), max_length=20, choices=MembershipRole.choices)
    annual_fee = models.DecimalField(
        _("annual fee"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    since = models.PositiveSmallIntegerField(_("member since (year)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RelationStatus.choices, default=RelationStatus.ACTIVE
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.network} ({self.get_role_display()})"


class WorkingGroup(MunicipalModel):
    """A working group of a network that the municipality takes part in."""

    membership = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        related_name="working_groups",
        verbose_name=_("membership"),
    )
    name = models.CharField(_("name"), max_length=150)

    class Meta:
        ordering = ["name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self) -> str:
        return self.name


class Charter(MunicipalModel):
    """A charter or commitment the municipality signed, usually within a network."""

    slug = models.SlugField(_("slug"))
    title = models.CharField(_("title"), max_length=200)
    network = models.ForeignKey(
        CityNetwork,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="charters",
        verbose_name=_("network"),
    )
    case_number = models.CharField(_("case number"), max_length=60, blank=True)
    decided_by = models.CharField(
        _("decided by"),
        max_length=150,
        blank=True,
        help_text=_("The body that took the decision, e.g. the City Council."),
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    signed_by = models.CharField(_("signed by"), max_length=150, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    economic_consequence = models.TextField(_("economic consequence"), blank=True)
    follow_up = models.TextField(_("follow-up duty"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"], name="charter_slug_per_municipality"
            ),
        ]
        ordering = ["-decision_date", "title"]
        verbose_name = _("charter or commitment")
        verbose_name_plural = _("charters and commitments")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return slug_address("partnerships:charter_detail", self.slug)


class CharterAttachment(MunicipalModel):
    charter = models.ForeignKey(
        Charter, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("charter")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to=MunicipalPath("charters"),
        validators=[validate_document],
        help_text=_("PDF, JPEG or PNG."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title


class Exchange(MunicipalModel):
    """An exchange or activity with a partner city, registered by staff.

    Only aggregates (counts by kind and year) are ever public: a registration
    never holds a participant's name.
    """

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ExchangeKind.choices)
    # A record, so that one school is one spelling in every count and filter
    # (docs/decisions/schools-are-records.md).
    school = models.ForeignKey(
        "School",
        on_delete=models.PROTECT,
        related_name="exchanges",
        verbose_name=_("school or unit"),
    )
    partner_city = models.ForeignKey(
        PartnerCity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exchanges",
        verbose_name=_("partner city"),
    )
    other_destination = models.CharField(
        _("other place"),
        max_length=150,
        blank=True,
        help_text=_("Only when the exchange is not with one of our partner cities."),
    )
    direction = models.CharField(_("direction"), max_length=10, choices=ExchangeDirection.choices)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    pupils = models.PositiveIntegerField(_("pupils"), default=0)
    teachers = models.PositiveIntegerField(_("teachers"), default=0)
    staff = models.PositiveIntegerField(_("other staff"), default=0)
    others = models.PositiveIntegerField(_("others"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=ExchangeStatus.choices, default=ExchangeStatus.PLANNED
    )
    report = models.TextField(_("short report"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registered_exchanges",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("exchange or activity")
        verbose_name_plural = _("exchanges and activities")
        permissions = [("manage_all_exchanges", _("Can edit exchanges registered by others"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="exchange_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(pupils__gt=0)
                | models.Q(teachers__gt=0)
                | models.Q(staff__gt=0)
                | models.Q(others__gt=0),
                name="exchange_has_participants",
            ),
        ]
        indexes = [models.Index(fields=["partner_city", "starts_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def participants(self) -> int:
        return self.pupils + self.teachers + self.staff + self.others

    @property
    def destination(self) -> str:
        return self.partner_city.name if self.partner_city_id else self.other_destination


class School(MunicipalModel):
    """A school or other unit of the municipality that takes part in exchanges. Added by
    administrators in the admin; coordinators choose from them."""

    name = models.CharField(_("name"), max_length=150)
    address = models.CharField(_("address"), max_length=250, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="school_name_per_municipality"
            ),
        ]
        ordering = ["name"]
        verbose_name = _("school or unit")
        verbose_name_plural = _("schools and units")

    def __str__(self) -> str:
        return self.name
