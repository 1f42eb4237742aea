from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from portal.enums import AuditAction
from portal.fields import WebAddressField
from portal.scoping import MunicipalModel


def _language_choices():
    return list(settings.SHIPPED_LANGUAGES.items())


class Municipality(models.Model):
    """A municipality the service hosts: its portal, its staff and every row they keep.

    Made by a service administrator (a superuser) in the admin; the first one is made by a
    migration from the deployment's settings, so a deployment with one municipality stays
    as it was. What its administrators keep themselves is in `SiteSettings`.
    """

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("short name"),
        unique=True,
        help_text=_("Used in the addresses of the national comparison and in file names."),
    )
    languages = models.CharField(
        _("languages offered"),
        max_length=60,
        help_text=_("Codes of the shipped languages, comma-separated, e.g. da,en,de."),
    )
    default_language = models.CharField(
        _("default language"), max_length=8, choices=_language_choices
    )
    currency = models.CharField(
        _("currency"), max_length=3, help_text=_("An ISO 4217 code, e.g. DKK or EUR.")
    )
    country = models.CharField(
        _("country"), max_length=2, default="DK", help_text=_("An ISO 3166 code, e.g. DK.")
    )
    region = models.CharField(_("region"), max_length=120, blank=True)
    open_data_contact = models.EmailField(
        _("open data contact"),
        blank=True,
        help_text=_("Named as the contact point of the municipality's datasets."),
    )
    publishes_nationally = models.BooleanField(
        _("in the national comparison"),
        default=True,
        help_text=_("Its published trips and grant figures are compared with the others'."),
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="municipalities",
        blank=True,
        verbose_name=_("staff"),
        help_text=_("Who may sign in to this municipality's staff pages and admin."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name

    @cached_property
    def primary_host(self) -> str | None:
        """The host name its absolute links use (mails, feeds, sitemaps): its first."""
        return self.hosts.order_by("pk").values_list("host", flat=True).first()

    @property
    def language_codes(self) -> list[str]:
        """The offered languages, the default first."""
        codes = [code.strip() for code in self.languages.split(",") if code.strip()]
        codes.sort(key=lambda code: code != self.default_language)
        return codes

    def clean(self):
        from django.core.exceptions import ValidationError

        codes = [code.strip() for code in self.languages.split(",") if code.strip()]
        unknown = [code for code in codes if code not in settings.SHIPPED_LANGUAGES]
        if unknown or not codes:
            raise ValidationError(
                {
                    "languages": _("Offer one or more of the shipped languages: %(codes)s.")
                    % {"codes": ", ".join(settings.SHIPPED_LANGUAGES)}
                }
            )
        if self.default_language not in codes:
            raise ValidationError(
                {"default_language": _("The default language must be one of those offered.")}
            )
        self.languages = ",".join(codes)
        self.currency = (self.currency or "").upper()
        from babel.numbers import list_currencies

        # Babel names an unknown code by the code itself: its list of currencies decides.
        if len(self.currency) != 3 or self.currency not in list_currencies():
            raise ValidationError({"currency": _("Not an ISO 4217 currency code.")})


class MunicipalityHost(models.Model):
    """A host name a municipality's portal answers on (ballerup.example.dk)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="hosts")
    host = models.CharField(
        _("host name"),
        max_length=253,
        unique=True,
        help_text=_("Without scheme or port, e.g. international.ballerup.dk."),
    )

    class Meta:
        ordering = ["host"]
        verbose_name = _("host name")
        verbose_name_plural = _("host names")

    def __str__(self) -> str:
        return self.host

    def save(self, *args, **kwargs):
        self.host = self.host.strip().lower().rstrip(".")
        super().save(*args, **kwargs)


class Population(models.Model):
    """How many lived in a municipality in a year: what per-inhabitant figures divide by.
    Loaded from a file (`manage.py load_population`); a year without it shows no
    per-inhabitant figure."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="populations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    inhabitants = models.PositiveIntegerField(_("inhabitants"))

    class Meta:
        ordering = ["municipality", "year"]
        verbose_name = _("population")
        verbose_name_plural = _("population")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="population_once_per_year"
            ),
            models.CheckConstraint(
                condition=models.Q(inhabitants__gt=0), name="population_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}: {self.inhabitants}"


class SiteSettings(MunicipalModel):
    """Who runs this portal: the one record that makes it a municipality's own.

    There is one row per municipality; its administrators edit it in the admin.
    """

    municipality_name = models.CharField(_("municipality name"), max_length=120)
    logo_text = models.CharField(
        _("logo text"),
        max_length=60,
        blank=True,
        help_text=_("Short text shown as the logo in the header, e.g. the municipality's name."),
    )
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    intro = models.TextField(_("front page introduction"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    address = models.CharField(_("postal address"), max_length=200, blank=True)
    website_url = WebAddressField(_("municipality website"), blank=True)
    grant_four_eyes_amount = models.DecimalField(
        _("grants above this amount need a second officer"),
        max_digits=12,
        decimal_places=2,
        default=25000,
    )
    carry_over_rule = models.TextField(
        _("how unspent amounts carry over"),
        blank=True,
        help_text=_(
            "Shown on the budget page above the lines that carry over. Empty: the portal's own "
            "text, which explains the Danish rule (within the election period)."
        ),
    )
    trip_publication_days = models.PositiveSmallIntegerField(
        _("days to publish a trip after return"),
        default=60,
        help_text=_("Staff see trips not published within this many days as overdue."),
    )

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")
        constraints = [models.UniqueConstraint(fields=["municipality"], name="site_settings_once")]

    def __str__(self) -> str:
        return self.municipality_name

    @property
    def display_logo_text(self) -> str:
        return self.logo_text or self.municipality_name

    @classmethod
    def current(cls) -> "SiteSettings":
        """The active municipality's row, read where the request reads (a replica for public
        pages); made on first use, on the primary, named as the municipality."""
        found = cls.objects.first()
        if found is not None:
            return found
        from portal.scoping import active_municipality

        try:
            with transaction.atomic():
                return cls.objects.create(municipality_name=active_municipality().name)
        except IntegrityError:  # made meanwhile by another request
            return cls.objects.using("default").get()


class AuditEntry(MunicipalModel):
    """Who decided what, when and why. Written by services; never edited in the UI."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    # PROTECT: a user who decided something is deactivated, never deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=60, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=40)
    summary = models.CharField(_("what"), max_length=300)
    reason = models.TextField(_("why"), blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.summary}"


class DemoAccount(models.Model):
    """A login made by `load_demo --logins`, whose password the README publishes. Refused at
    login unless DEBUG is on, and `check --deploy` fails while one exists with DEBUG off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="demo_account"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("demo account")
        verbose_name_plural = _("demo accounts")

    def __str__(self) -> str:
        return str(self.user)


class OutboxMail(MunicipalModel):
    """A mail the portal will send: written in the transaction of the change that causes it,
    sent by the worker (`manage.py send_mail`), retried with back-off. A page never waits for
    the mail server, and a mail is never lost because it was down."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Could not be sent")
        # The worker stopped while the mail server may already have had it: not resent, so
        # that nobody gets the same mail twice (docs/security/mail-and-links.md).
        UNCERTAIN = "uncertain", _("Perhaps sent; not sent again")

    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    kind = models.CharField(_("kind"), max_length=40)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    # A registered function that adds attachments when the mail is sent (portal.outbox).
    attach = models.CharField(max_length=60, blank=True)
    attach_arg = models.CharField(max_length=60, blank=True)
    # A registered function that makes the private link put into the body when the mail is
    # sent (portal.outbox): the stored body never holds it, so no staff view can show it.
    link = models.CharField(max_length=60, blank=True)
    link_arg = models.CharField(max_length=60, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # When the worker took the mail to send it (state "sending").
    claimed_at = models.DateTimeField(_("taken for sending"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            # "When did the outbox last move" (staff front page) reads the newest sent_at.
            models.Index(fields=["sent_at"], name="portal_outbox_sent_at"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to}"
