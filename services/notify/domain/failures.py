"""Why a message failed for good: a short code kept on its row (`messages.failure`), counted on /metrics
(`tuiju_notify_failed_messages`) and named on the admin pages."""
from __future__ import annotations

ADDRESS = "address"    # no address, or one that can never be reached (empty, not an e-mail, not a mobile)
TEMPLATE = "template"  # the template could not be rendered for this message
COMPOSE = "compose"    # the mail could not be built from the rendered text
REFUSED = "refused"    # the provider refused it for good (a 5xx answer)
TRIES = "tries"        # still failing after the last allowed try
ERROR = "error"        # anything else that went wrong in notify's own code for this one message

FAILURE_LABELS = {
    ADDRESS: "收件地址无效",
    TEMPLATE: "模板无法生成",
    COMPOSE: "邮件无法生成",
    REFUSED: "服务商拒收",
    TRIES: "多次尝试均失败",
    ERROR: "程序错误",
}
