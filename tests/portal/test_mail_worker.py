"""The mail worker (portal.outbox, manage.py send_mail): a mail server that never answers
does not stop it, it holds no transaction while it talks to the server, a database that
refuses a result never makes it send a mail twice, and a stopped worker is seen
(docs/security/mail-and-links.md)."""

import contextlib
import datetime
import io
import re
import socket
import threading
import time

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from portal import outbox
from portal.models import OutboxMail


class SilentMailServer:
    """A mail server that accepts the connection and never says a word. While the worker
    waits for its greeting, it looks at the database from a connection of its own."""

    def __init__(self, look=None):
        self.look, self.seen, self.errors = look, [], []
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(5)
        self.listener.settimeout(10)
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        try:
            peer, _address = self.listener.accept()
        except OSError:
            return
        try:
            if self.look is not None:
                self.seen.append(self.look())
        except Exception as error:  # reported to the test, which fails on it
            self.errors.append(error)
        finally:
            connections.close_all()
        peer.settimeout(10)
        with contextlib.suppress(OSError):
            peer.recv(1)  # never answer; wait until the worker hangs up
        peer.close()

    def close(self):
        self.listener.close()
        self.thread.join(timeout=15)


@pytest.fixture
def silent_mail_server(settings):
    servers = []

    def start(look=None):
        server = SilentMailServer(look)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
            "127.0.0.1",
            server.port,
            1,
        )
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def outbox_warnings() -> list[str]:
    """What `manage.py check --database default` warns about the outbox."""
    output = io.StringIO()
    call_command("check", "--database", "default", stdout=output, stderr=output)
    return re.findall(r"portal\.W01\d", output.getvalue())


def _enqueue(to="sofie@example.dk") -> OutboxMail:
    return outbox.enqueue(kind="test.notice", to=to, subject="Besked", body="Hej.")


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_never_answers_does_not_stop_the_worker_or_lock_the_row(
    silent_mail_server,
):
    from portal.scoping import active, municipality

    queued = _enqueue()
    worker_connection = connection  # the worker's (this thread's) connection
    worker_municipality = active()

    def look():
        # Another connection can write the row while the worker waits for the server: the
        # worker holds no transaction and no lock, and the row says it is being sent. (The
        # server's thread works for the worker's municipality.)
        with municipality(worker_municipality):
            OutboxMail.objects.filter(pk=queued.pk).update(subject=F("subject"))
            return (
                worker_connection.in_atomic_block,
                OutboxMail.objects.get(pk=queued.pk).state,
            )

    server = silent_mail_server(look)
    started = time.monotonic()
    assert outbox.send_due() == (0, 1)
    assert time.monotonic() - started < 5  # EMAIL_TIMEOUT is 1 s
    server.close()
    assert server.errors == []
    assert server.seen == [(False, "sending")]
    queued.refresh_from_db()
    assert (queued.state, queued.attempts) == ("pending", 1)
    assert "timed out" in queued.last_error
    assert mail.outbox == []


def test_the_mail_server_timeout_is_a_setting():
    from django.conf import settings

    assert settings.EMAIL_TIMEOUT == 30


FAIL_SENT = {
    "sqlite": [
        "CREATE TRIGGER refuse_sent BEFORE UPDATE ON portal_outboxmail "
        "WHEN NEW.state = 'sent' BEGIN SELECT RAISE(ABORT, 'database is locked'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION refuse_sent() RETURNS trigger AS $$ BEGIN "
        "RAISE EXCEPTION 'database is locked'; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER refuse_sent BEFORE UPDATE ON portal_outboxmail FOR EACH ROW "
        "WHEN (NEW.state = 'sent') EXECUTE FUNCTION refuse_sent()",
    ],
}
ALLOW_SENT = {
    "sqlite": ["DROP TRIGGER refuse_sent"],
    "postgresql": [
        "DROP TRIGGER refuse_sent ON portal_outboxmail",
        "DROP FUNCTION refuse_sent()",
    ],
}


def _database(statements: dict) -> None:
    with connection.cursor() as cursor:
        for statement in statements[connection.vendor]:
            cursor.execute(statement)


@pytest.fixture
def no_pauses(monkeypatch):
    """The worker's pauses between attempts to record a result, made instant; the database
    comes back (the trigger goes) when `back_after` pauses have passed."""
    pauses = []
    state = {"back_after": None}

    def pause(seconds):
        pauses.append(seconds)
        if state["back_after"] == len(pauses):
            _database(ALLOW_SENT)

    monkeypatch.setattr(outbox.time, "sleep", pause)
    return pauses, state


@pytest.mark.django_db(transaction=True)
def test_a_database_that_refuses_once_after_sending_does_not_send_the_mail_twice(no_pauses):
    pauses, state = no_pauses
    queued = _enqueue()
    _database(FAIL_SENT)
    state["back_after"] = 1
    assert outbox.send_due() == (1, 0)
    assert pauses == [0.5]
    queued.refresh_from_db()
    assert (queued.state, queued.attempts) == ("sent", 1)
    assert outbox.send_due(now=timezone.now() + datetime.timedelta(days=1)) == (0, 0)
    assert [message.to for message in mail.outbox] == [["sofie@example.dk"]]


@pytest.mark.django_db(transaction=True)
def test_a_worker_that_could_not_record_a_sent_mail_never_sends_it_again(no_pauses, settings):
    pauses, _state = no_pauses
    queued = _enqueue()
    _database(FAIL_SENT)
    assert outbox.send_due() == (1, 0)  # the server took it; the database would not say so
    assert pauses == list(outbox.RECORD_RETRY_DELAYS)
    _database(ALLOW_SENT)
    queued.refresh_from_db()
    assert queued.state == "sending"

    # The worker restarts, now and later: the mail is not sent again; staff are told.
    assert outbox.send_due() == (0, 0)
    later = timezone.now() + datetime.timedelta(minutes=settings.OUTBOX_LATE_MINUTES + 1)
    assert outbox.send_due(now=later) == (0, 0)
    queued.refresh_from_db()
    assert queued.state == "uncertain"
    assert len(mail.outbox) == 1
    assert outbox_warnings() == ["portal.W011"]


@pytest.mark.django_db(transaction=True)
def test_the_loop_survives_a_database_that_is_away(monkeypatch, capsys):
    """A locked or missing table makes the loop wait and try again, not die."""
    _enqueue()
    rounds = []

    def pause(seconds):
        rounds.append(seconds)
        if len(rounds) == 1:
            _database(ALLOW_TABLE)  # the database is back
        elif len(rounds) == 2:
            raise KeyboardInterrupt  # stop the loop after its next round

    from portal.management.commands import send_mail

    monkeypatch.setattr(send_mail.time, "sleep", pause)
    _database(HIDE_TABLE)
    with pytest.raises(KeyboardInterrupt):
        call_command("send_mail", "--loop", "--every", "1")
    assert rounds == [2.0, 1]
    assert "1 sent, 0 failed" in capsys.readouterr().out
    assert OutboxMail.objects.get().state == "sent"
    assert len(mail.outbox) == 1


HIDE_TABLE = {
    "sqlite": ["ALTER TABLE portal_outboxmail RENAME TO portal_outboxmail_away"],
    "postgresql": ["ALTER TABLE portal_outboxmail RENAME TO portal_outboxmail_away"],
}
ALLOW_TABLE = {
    "sqlite": ["ALTER TABLE portal_outboxmail_away RENAME TO portal_outboxmail"],
    "postgresql": ["ALTER TABLE portal_outboxmail_away RENAME TO portal_outboxmail"],
}


def test_the_staff_front_page_says_when_mail_last_went_and_what_waits_too_long(
    client, grant_officer, settings
):
    settings.LANGUAGE_CODE = "en"
    client.force_login(grant_officer)
    page = client.get(reverse("staff_dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert "The portal has not sent any mail yet." in page.content.decode()

    sent_at = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 15))
    OutboxMail.objects.filter(pk=_enqueue().pk).update(state="sent", sent_at=sent_at)
    waiting = _enqueue("bo@example.dk")
    written = timezone.now() - datetime.timedelta(minutes=settings.OUTBOX_LATE_MINUTES + 5)
    OutboxMail.objects.filter(pk=waiting.pk).update(created_at=written)
    _enqueue("new@example.dk")  # waiting only a moment: not late

    page = client.get(reverse("staff_dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    text = " ".join(page.content.decode().split())
    with translation.override("en"):
        since = date_format(timezone.localtime(written), "SHORT_DATETIME_FORMAT")
    assert "<p>The portal last sent a mail on 2 Mar 2026 09:15.</p>" in text
    assert (
        f'<p class="warning">1 mail has waited more than {settings.OUTBOX_LATE_MINUTES} minutes '
        f"(since {since}): the mail worker or the mail server seems to be stopped.</p>"
    ) in text
    assert outbox_warnings() == ["portal.W010"]


class MailServerSilentAfterData(threading.Thread):
    """A mail server that takes the whole mail and then never confirms it: the mail may
    have been delivered, and the worker cannot know."""

    def __init__(self):
        super().__init__(daemon=True)
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.listener.settimeout(10)
        self.port = self.listener.getsockname()[1]
        self.received = b""
        self.start()

    def run(self):
        with contextlib.suppress(OSError):
            peer, _address = self.listener.accept()
            peer.settimeout(10)
            reader = peer.makefile("rb")
            peer.sendall(b"220 mail.example ready\r\n")
            while line := reader.readline():
                command = line[:4].upper()
                if command == b"DATA":
                    peer.sendall(b"354 go ahead\r\n")
                    while (line := reader.readline()) not in (b".\r\n", b""):
                        self.received += line
                    peer.recv(1)  # silence: no "250 queued"
                    break
                peer.sendall(b"221 bye\r\n" if command == b"QUIT" else b"250 ok\r\n")
            peer.close()

    def close(self):
        self.listener.close()
        self.join(timeout=15)


def test_a_mail_cut_off_after_the_server_took_it_is_never_sent_again(db, settings):
    queued = _enqueue()
    server = MailServerSilentAfterData()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 1
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        assert outbox.send_due() == (0, 1)
    finally:
        server.close()
    assert b"Hej." in server.received  # the server has the whole mail
    queued.refresh_from_db()
    assert (queued.state, queued.attempts) == ("uncertain", 1)
    assert "timed out" in queued.last_error
    later = timezone.now() + datetime.timedelta(days=1)
    assert outbox.send_due(now=later) == (0, 0)  # never again, however long one waits
    queued.refresh_from_db()
    assert queued.state == "uncertain"
