"""A notifier in a child process, for the kill test: send what is due at a given clock.

Usage: python tests/notify_runner.py DATABASE_URL SMTP_PORT CLOCK_ISO
The clock is passed in so that a run after a killed one sees the killed run's lease expired
without waiting minutes of real time.
"""

from __future__ import annotations

import sys
from datetime import datetime

from alerts.mailer import SmtpMailer
from alerts.outbox import send_due
from config import Settings
from store.db import make_engine, make_sessionmaker


def main(argv: list[str]) -> int:
    url, port, clock = argv[1], int(argv[2]), datetime.fromisoformat(argv[3])
    settings = Settings(
        database_url=url,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_timeout=5,
        mail_from="returnwatch@example.org",
    )
    engine = make_engine(url)
    report = send_due(make_sessionmaker(engine), SmtpMailer(settings), settings, now=clock)
    engine.dispose()
    sys.stdout.write(f"{report}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
