from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.enums import AuditAction
from portal.fields import WebAddressField


class SiteSettings(models.Model):
    """Who runs this portal: the one record that makes it a municipality's own.

    There is exactly one row (pk=1); administrators edit it in the admin.
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

    def __str__(self) -> str:
        return self.municipality_name

    @property
    def display_logo_text(self) -> str:
        return self.logo_text or self.municipality_name

    @classmethod
    def current(cls) -> "SiteSettings":
        """The one row, read where the request reads (a replica for public pages); made on
        first use, on the primary."""
        found = cls.objects.filter(pk=1).first()
        if found is not None:
            return found
        try:
            with transaction.atomic():
                return cls.objects.create(pk=1, municipality_name="Kommune")
        except IntegrityError:  # made meanwhile by another request
            return cls.objects.using("default").get(pk=1)


class AuditEntry(models.Model):
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


class OutboxMail(models.Model):
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
