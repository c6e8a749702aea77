"""Prints where everything is, for `make run`."""
import json

from shared.auth.model import ROLE_LABELS
from shared.config import REPO_ROOT, Settings

DEMO_USERS_FILE = REPO_ROOT / "deploy" / "keycloak" / "demo-users.json"


def demo_staff_lines() -> str:
    """One line per demo staff user of the devstack's realm: username, name, role, password."""
    users = json.loads(DEMO_USERS_FILE.read_text(encoding="utf-8"))["users"]
    password = users[0]["credentials"][0]["value"]
    lines = [f"    {user['username']:<14} {user['lastName']}{user['firstName']}  "
             f"{'、'.join(ROLE_LABELS[role] for role in user['realmRoles']) or '（无角色：用于演示拒绝访问）'}"
             for user in users]
    return "\n".join(lines) + f"\n    password of each: {password}"


def main() -> None:
    s = Settings.from_env("intake")
    mailpit = s.smtp_port + 7000  # 1025 -> 8025, as the devstack lays them out
    keycloak = s.oidc_issuer.rsplit("/realms/", 1)[0]
    print(f"""
推举 Tuiju is starting. Open:
  申报（intake, applicants)      {s.intake_url}/
  秘书处（intake admin）          {s.intake_url}/admin/   (staff sign-in)
  评审（review, reviewers)       {s.review_url}/
  通知（notify, secretariat)     {s.notify_url}/
  归档（archive）统计、往届查询   {s.archive_url}/   （工作人员登录 / staff sign-in）
  Mailpit (mail sent, REST API)  http://127.0.0.1:{mailpit}/api/v1/messages
  S3 console                     http://{s.s3_endpoint.split(':')[0]}:{int(s.s3_endpoint.split(':')[1]) + 1}/
  staff sign-in (Keycloak)       {s.oidc_issuer}/account/   (admin console {keycloak}/admin/ : admin / tuiju-dev-admin)
  readiness                      {s.intake_url}/readyz  (and :5002, :5003, :5004)
Demo staff accounts (Keycloak realm tuiju):
{demo_staff_lines()}
Ctrl-C stops every process.
""", flush=True)


if __name__ == "__main__":
    main()
