"""Prints where everything is, for `make run`."""
from shared.config import Settings


def main() -> None:
    s = Settings.from_env("intake")
    mailpit = s.smtp_port + 7000  # 1025 -> 8025, as the devstack lays them out
    print(f"""
推举 Tuiju is starting. Open:
  申报（intake, applicants)      {s.intake_url}/
  评审（review, reviewers)       {s.review_url}/
  通知（notify, secretariat)     {s.notify_url}/
  归档（archive)                 {s.archive_url}/api/events/<nomination id>
  Mailpit (mail sent, REST API)  http://127.0.0.1:{mailpit}/api/v1/messages
  S3 console                     http://{s.s3_endpoint.split(':')[0]}:{int(s.s3_endpoint.split(':')[1]) + 1}/
  readiness                      {s.intake_url}/readyz  (and :5002, :5003, :5004)
Ctrl-C stops every process.
""", flush=True)


if __name__ == "__main__":
    main()
