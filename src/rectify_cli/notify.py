"""Reminders: each unit's agenda, sent by e-mail or to a work-chat robot.

What a unit is told is what the judged ledger already says of its items
(overdue, due soon, 督办 past its reply date, look-backs due, progress notes
missing); nothing is worked out again here. Where it goes comes from the unit
registry (`units: [{name, email, webhook, webhook_kind}]`): an e-mail address
is not a secret and is written there; a webhook URL carries its key, so the
registry names the environment variable that holds it. SMTP settings come
from the environment only (RECTIFY_SMTP_*), and no credential is ever part
of a message, a report line or an error.

A day's sending is remembered in the user cache (`store`), per repository and
unit and channel, so a second run the same day sends nothing again unless
asked to; a failed delivery is not remembered, so the next run tries again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import smtplib
import ssl
import time
import urllib.parse
import urllib.request
from base64 import b64encode
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Sequence

from . import schema, store
from .messages import text
from .model import Unit
from .overview import agenda
from .problems import MessageError
from .schedule import ItemState, Schedule

CHANNELS = ("email", "webhook")
WEBHOOK_KINDS = schema.WEBHOOK_KINDS
TIMEOUT = 15  # seconds for one delivery: a server that does not answer is a failed delivery, not a hang


class NotifyError(MessageError):
    """The settings do not allow sending at all (exit 2)."""


@dataclass(frozen=True, slots=True)
class Reminder:
    """One unit's message for the day, and where it goes."""

    unit: str
    subject: str
    body: str  # plain text, one line per item
    email: str
    webhook_env: str  # the name of the environment variable holding the webhook URL
    webhook_kind: str

    def channels(self) -> tuple[str, ...]:
        return tuple(c for c, where in (("email", self.email), ("webhook", self.webhook_env)) if where)


@dataclass(frozen=True, slots=True)
class Delivery:
    unit: str
    channel: str
    ok: bool
    skipped: bool = False  # already sent today
    reason: str = ""  # why it failed, credentials never included
    key: str = ""  # or, for a failure the catalogue names, its message key


def reminders(schedule: Schedule, units: Sequence[Unit], days: int, lang: str) -> list[Reminder]:
    """A reminder for every registered unit that has something to be told."""
    due = agenda(schedule, days)
    wanted = {unit.name for unit in units}
    supervised: dict[str, list[str]] = {}  # unit -> its 督办, 回头看 and progress lines, in one pass over the tasks
    for state in schedule.tasks:
        mine = [name for name in state.units if name in wanted]
        if mine:
            for line in _supervision_lines(state, lang):
                for name in mine:
                    supervised.setdefault(name, []).append(line)
    out = []
    for unit in units:
        lines = [_line(s, lang) for s in due.get(unit.name, ())] + supervised.get(unit.name, [])
        if not lines:
            continue
        subject = text("notify.subject", lang, unit=unit.name, date=schedule.as_of, n=len(lines))
        body = "\n".join([text("notify.greeting", lang, unit=unit.name, date=schedule.as_of), *lines, ""])
        out.append(Reminder(unit.name, subject, body, unit.email, unit.webhook, unit.webhook_kind or "json"))
    return out


def _supervision_lines(state: ItemState, lang: str) -> list[str]:
    sup, item = state.supervision, state.item
    lines = []
    if sup.unanswered:
        lines.append(text("notify.line.duban", lang, id=item.id, title=item.title, level=sup.unanswered[-1].level))
    if sup.lookback_due:
        lines.append(text("notify.line.lookback", lang, id=item.id, title=item.title, date=sup.lookback_date))
    if sup.missing_progress:
        lines.append(text("notify.line.progress", lang, id=item.id, title=item.title, date=sup.progress_due))
    return lines


def _line(state: ItemState, lang: str) -> str:
    if state.overdue:
        return text("notify.line.overdue", lang, id=state.item.id, title=state.item.title, due=state.due_date,
                    days=state.days_overdue)
    return text("notify.line.due_soon", lang, id=state.item.id, title=state.item.title, due=state.due_date,
                left=state.working_days_left)


def send_all(items: Sequence[Reminder], repository: Path, day: dt.date, force: bool = False,
             environ: dict[str, str] | None = None) -> list[Delivery]:
    """Deliver every reminder on every channel it has; one failure never stops the others."""
    environ = dict(os.environ if environ is None else environ)
    state_name = "notify-" + hashlib.blake2b(str(repository.resolve()).encode(), digest_size=8).hexdigest() + ".json"
    kept = store.read_json(state_name)
    sent: dict[str, str] = kept.get("sent", {}) if isinstance(kept, dict) and kept.get("day") == day.isoformat() else {}
    results = []
    for item in items:
        for channel in item.channels():
            key = f"{item.unit}\0{channel}"
            digest = hashlib.blake2b((item.subject + item.body).encode(), digest_size=8).hexdigest()
            if not force and sent.get(key) == digest:
                results.append(Delivery(item.unit, channel, True, skipped=True))
                continue
            send = _send_email if channel == "email" else _send_webhook
            try:
                send(item, environ)
            except NotifyError as exc:
                results.append(Delivery(item.unit, channel, False, key=exc.key))
                continue
            except (OSError, smtplib.SMTPException, ValueError) as exc:
                secrets = [environ.get(item.webhook_env, ""), environ.get(item.webhook_env + "_SECRET", "")]
                results.append(Delivery(item.unit, channel, False, reason=_reason(exc, environ, secrets)))
                continue
            sent[key] = digest
            results.append(Delivery(item.unit, channel, True))
    store.write_json(state_name, {"day": day.isoformat(), "sent": sent})
    return results


def check_settings(items: Sequence[Reminder], environ: dict[str, str] | None = None) -> None:
    """Refuse before sending anything when e-mail is wanted and no server is set."""
    environ = os.environ if environ is None else environ
    if any(i.email for i in items) and not (environ.get("RECTIFY_SMTP_HOST") and environ.get("RECTIFY_SMTP_FROM")):
        raise NotifyError("notify.no_smtp")


def _reason(exc: BaseException, environ: dict[str, str], secrets: Sequence[str] = ()) -> str:
    """What went wrong, with every secret the environment holds for us (RECTIFY_*, the
    robot's URL and its signing secret) blanked out."""
    reason = f"{type(exc).__name__}: {exc}"
    hidden = [v for n, v in environ.items() if n.startswith("RECTIFY_")] + list(secrets)
    for value in sorted(hidden, key=len, reverse=True):
        if len(value) >= 4 and value in reason:
            reason = reason.replace(value, "***")
    return reason


def _send_email(item: Reminder, environ: dict[str, str]) -> None:
    host = environ.get("RECTIFY_SMTP_HOST", "")
    sender = environ.get("RECTIFY_SMTP_FROM", "")
    if not host or not sender:
        raise NotifyError("notify.no_smtp")
    security = environ.get("RECTIFY_SMTP_SECURITY", "starttls").lower()
    port = int(environ.get("RECTIFY_SMTP_PORT") or (465 if security == "ssl" else 587))
    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = item.subject, sender, item.email
    message.set_content(item.body)
    if security == "ssl":
        server: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT, context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(host, port, timeout=TIMEOUT)
    with server:
        if security == "starttls":
            server.starttls(context=ssl.create_default_context())
        user = environ.get("RECTIFY_SMTP_USER", "")
        if user:
            server.login(user, environ.get("RECTIFY_SMTP_PASSWORD", ""))
        server.send_message(message)


def _send_webhook(item: Reminder, environ: dict[str, str]) -> None:
    url = environ.get(item.webhook_env, "")
    if not url.startswith(("https://", "http://")):
        raise NotifyError("notify.no_webhook")
    kind = item.webhook_kind if item.webhook_kind in WEBHOOK_KINDS else "json"
    content = item.subject + "\n" + item.body
    if kind == "wecom":  # 企业微信群机器人
        payload: dict = {"msgtype": "text", "text": {"content": content}}
    elif kind == "dingtalk":  # 钉钉自定义机器人; signed when its secret is set (加签)
        payload = {"msgtype": "text", "text": {"content": content}}
        secret = environ.get(item.webhook_env + "_SECRET", "")
        if secret:
            url = _dingtalk_signed(url, secret, int(time.time() * 1000))
    else:
        payload = {"unit": item.unit, "subject": item.subject, "text": item.body}
    request = urllib.request.Request(url, data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                                     headers={"Content-Type": "application/json; charset=utf-8"}, method="POST")
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - the URL is the user's own robot
        if response.status >= 300:
            raise OSError(f"HTTP {response.status}")
        answer = response.read(65536)
    if kind in ("wecom", "dingtalk"):  # both answer 200 with {"errcode": 0} when the message was taken
        try:
            code = json.loads(answer or b"{}").get("errcode", 0)
        except ValueError:
            code = 0
        if code:
            raise OSError(f"errcode {code}")


def _dingtalk_signed(url: str, secret: str, timestamp: int) -> str:
    """DingTalk's 加签: HMAC-SHA256 of "timestamp\\nsecret", base64, in the query."""
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    query = urllib.parse.urlencode({"timestamp": timestamp, "sign": b64encode(digest).decode()})
    return url + ("&" if "?" in url else "?") + query

