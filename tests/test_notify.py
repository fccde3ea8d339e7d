"""`rectify notify` against a real SMTP server and a real HTTP endpoint, both started here."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from .conftest import write, write_ledger

aiosmtpd = pytest.importorskip("aiosmtpd.controller", reason="aiosmtpd is in the test extra: pip install -e '.[test]'")

PLAN = "kind: plan\nid: p\ntitle: 巡察反馈问题整改\nowner: 巡察办\n"
ISSUES = "kind: issues\nplan: p\nissues:\n  - id: I-01\n    title: 基层党建薄弱\n"
TASKS = """\
kind: tasks
plan: p
tasks:
  - id: T-1
    issue: I-01
    title: 整顿软弱涣散党组织
    lead: 甲局
    due: 2025-11-20
    status: doing
  - id: T-2
    issue: I-01
    title: 规范三会一课
    lead: 乙局
    due: 2025-12-02
    status: doing
  - id: T-3
    issue: I-01
    title: 补齐党员档案
    lead: 丙局
    due: 2025-11-25
  - id: T-4
    issue: I-01
    title: 建立长效机制
    lead: 丁局
    due: 2026-06-30
"""
CONFIG = """\
units:
  - name: 甲局
    email: jia@example.org
  - name: 乙局
    webhook: ROBOT_YI
    webhook_kind: wecom
  - name: 丙局
    webhook: ROBOT_BING
    webhook_kind: dingtalk
  - name: 丁局
    email: ding@example.org
"""
AS_OF = "2025-12-01"


class Mailbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        from email import message_from_bytes
        from email.policy import default

        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=default)))
        return "250 OK"


class Robot(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802
        length = int(self.headers.get("Content-Length", 0))
        Robot.received.append((self.path, json.loads(self.rfile.read(length))))
        body = b'{"errcode": 0}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def office(tmp_path, monkeypatch):
    """A ledger, an SMTP server and a robot endpoint; the cache (and so the day's record) of this test only."""
    write_ledger(tmp_path, PLAN, ISSUES, TASKS)
    write(tmp_path / "rectify.yaml", CONFIG)
    (tmp_path / ".git").mkdir()
    monkeypatch.setenv("RECTIFY_CACHE_DIR", str(tmp_path / "cache"))
    mailbox = Mailbox()
    smtp = aiosmtpd.Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    smtp.start()
    Robot.received = []
    http = HTTPServer(("127.0.0.1", 0), Robot)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{http.server_address[1]}"
    monkeypatch.setenv("RECTIFY_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("RECTIFY_SMTP_PORT", str(smtp.port))
    monkeypatch.setenv("RECTIFY_SMTP_SECURITY", "none")
    monkeypatch.setenv("RECTIFY_SMTP_FROM", "dcs@example.org")
    monkeypatch.setenv("ROBOT_YI", f"{base}/cgi-bin/webhook/send?key=secret-key-yi")
    monkeypatch.setenv("ROBOT_BING", f"{base}/robot/send?access_token=token-bing")
    monkeypatch.setenv("ROBOT_BING_SECRET", "SECdingtalk")
    yield tmp_path, mailbox, base
    smtp.stop()
    http.shutdown()


def test_dry_run_prints_each_units_reminder_and_sends_nothing(run, office):
    root, mailbox, _ = office
    code, out, _ = run("notify", "--as-of", AS_OF, "--dry-run", "--lang", "zh", cwd=root)
    assert code == 0
    assert "== 甲局 (email)" in out and "T-1「整顿软弱涣散党组织」已逾期 11 天（期限 2025-11-20）" in out
    assert "== 乙局 (webhook)" in out and "T-2「规范三会一课」将于 2025-12-02 到期（剩 1 个工作日）" in out
    assert "丁局" not in out  # nothing due for 丁局: no message
    assert mailbox.messages == [] and Robot.received == []


def test_each_unit_gets_its_reminder_by_mail_or_robot_once_a_day(run, office):
    root, mailbox, _ = office
    code, out, err = run("notify", "--as-of", AS_OF, "--lang", "zh", cwd=root)
    assert code == 0, err
    ((to, message),) = mailbox.messages
    assert to == ["jia@example.org"] and "甲局" in message["Subject"]
    assert "T-1「整顿软弱涣散党组织」已逾期 11 天" in message.get_content()
    paths = {path.split("?")[0]: body for path, body in Robot.received}
    wecom = paths["/cgi-bin/webhook/send"]
    assert wecom["msgtype"] == "text" and "T-2「规范三会一课」" in wecom["text"]["content"]
    signed = next(path for path, _ in Robot.received if path.startswith("/robot/send"))
    assert "access_token=token-bing" in signed and "&timestamp=" in signed and "&sign=" in signed  # 钉钉加签
    # the same day again: nothing new goes out
    code, out, _ = run("notify", "--as-of", AS_OF, "--lang", "zh", cwd=root)
    assert code == 0 and out.count("今天已发送过") == 3
    assert len(mailbox.messages) == 1 and len(Robot.received) == 2
    # unless asked
    assert run("notify", "--as-of", AS_OF, "--force", cwd=root)[0] == 0
    assert len(mailbox.messages) == 2 and len(Robot.received) == 4


def test_a_failed_delivery_is_reported_and_the_others_still_go_out(run, office, monkeypatch):
    root, mailbox, _ = office
    monkeypatch.setenv("ROBOT_YI", f"http://127.0.0.1:{_free_port()}/cgi-bin/webhook/send?key=secret-key-yi")  # nobody listens
    code, out, err = run("notify", "--as-of", AS_OF, "--lang", "en", cwd=root)
    assert code == 1
    assert "rectify: 乙局 (webhook): not delivered:" in err
    assert "secret-key-yi" not in out + err  # a robot's URL carries its key: never printed
    assert len(mailbox.messages) == 1 and len(Robot.received) == 1  # 甲局's mail and 丙局's robot went out
    # the failure is not remembered as sent: the next run tries it again, and only it
    monkeypatch.setenv("ROBOT_YI", f"{office[2]}/cgi-bin/webhook/send?key=secret-key-yi")
    code, out, _ = run("notify", "--as-of", AS_OF, "--lang", "en", cwd=root)
    assert code == 0 and "乙局 (webhook): sent" in out and len(Robot.received) == 2 and len(mailbox.messages) == 1


def test_mail_without_a_server_is_refused_before_anything_is_sent(run, office, monkeypatch):
    root, mailbox, _ = office
    monkeypatch.delenv("RECTIFY_SMTP_HOST")
    code, _, err = run("notify", "--as-of", AS_OF, "--lang", "en", cwd=root)
    assert code == 2 and "RECTIFY_SMTP_HOST" in err
    assert mailbox.messages == [] and Robot.received == []


def test_a_webhook_kind_outside_the_choices_is_an_error_in_rectify_yaml(run, office):
    root, _, _ = office
    write(root / "rectify.yaml", CONFIG.replace("webhook_kind: wecom", "webhook_kind: slack"))
    code, out, _ = run("check", "--as-of", AS_OF, "--lang", "en", cwd=root)
    assert code == 2 and "rectify.yaml:" in out and "webhook_kind: 'slack' is not allowed" in out


def test_a_failure_reason_never_carries_a_secret():
    from rectify_cli.notify import _reason

    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcd-1234"
    reason = _reason(OSError(f"cannot reach {url} as user with pw hunter22"), {"RECTIFY_SMTP_PASSWORD": "hunter22"}, [url])
    assert "abcd-1234" not in reason and "hunter22" not in reason and "***" in reason
