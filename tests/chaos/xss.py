"""The cross-site scripting payloads and what a page must not do with them, checked in headless Chromium.

PAYLOADS pass intake's refusal of < and > (what an applicant can type); MARKUP needs < > and is injected
the way an attacker who got past intake would (an event on Kafka, a row), so each page is shown to escape on
its own. Every payload sets window.xss and calls alert: a page holds when no dialog opened, window.xss is
unset, no element carries an event handler, a javascript: link or an attribute the payload names (nothing
created from it, no attribute broken), and the payload is shown as the text it was."""
from __future__ import annotations

from tests.chaos.results import record
from tests.e2e.browser import sign_in_on_keycloak

PAYLOADS = ('" autofocus onfocus="window.xss=1;alert(1)" x="', "' autofocus onfocus='window.xss=1;alert(1)' x='",
            "javascript:window.xss=1;alert(1)", "';window.xss=1;alert(1);//", "{{7*7}}${7*7}{%raw%}")
MARKUP = ("<script>window.xss=1;alert(1)</script>", '<img src=x onerror="window.xss=1;alert(1)">',
          '"><svg onload=window.xss=1;alert(1)>', "</textarea></title><iframe srcdoc=\"<b>x</b>\">")
ALL = PAYLOADS + MARKUP
PART = "5 XSS beyond intake's forms"
STAFF_PART = "5 XSS typed by staff, file names"  # tests/chaos/xss_staff
NOT_FREE_TEXT = {"domain", "level", "date", "email", "phone", "gender", "birth_date", "id_number", "postcode"}


def with_payload(tree, payload: str):
    """Every free-text string of the form replaced by the payload (choices, dates and numbers kept)."""
    if isinstance(tree, dict):
        return {key: (value if key in NOT_FREE_TEXT and isinstance(value, str) else with_payload(value, payload))
                for key, value in tree.items()}
    if isinstance(tree, list):
        return [with_payload(item, payload) for item in tree]
    return payload if isinstance(tree, str) else tree


# What a payload would leave in the document had it been taken as markup.
_HARM = """() => {
  const bad = [];
  if (window.xss === 1) bad.push('window.xss set');
  for (const e of document.querySelectorAll('*')) {
    for (const a of e.attributes) {
      const value = a.value.trim().toLowerCase();
      if ((a.name.startsWith('on') && value.includes('xss')) || a.name === 'x' ||
          (['href', 'src', 'action', 'formaction'].includes(a.name) && value.startsWith('javascript:')) ||
          (a.name === 'src' && value === 'x') || a.name === 'srcdoc')
        bad.push(`${e.tagName.toLowerCase()} ${a.name}="${a.value.slice(0, 50)}"`);
    }
    if (e.tagName === 'SCRIPT' && e.textContent.includes('window.xss')) bad.push('a script of the payload');
  }
  return bad;
}"""


class Watch:
    """One Chromium page, watched for dialogs; `harm` after each navigation."""

    def __init__(self, page, confirms: bool = False):
        """`confirms`: a page that submits forms accepts their confirm() questions (data-confirm) as a
        person would; any other dialog is harm."""
        self.page, self.dialogs, self.confirms = page, [], confirms
        page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        if self.confirms and dialog.type == "confirm":
            dialog.accept()
            return
        self.dialogs.append(self.page.url)
        dialog.dismiss()

    def open(self, url: str) -> int:
        answer = self.page.goto(url)
        self.page.keyboard.press("Tab")  # focus moves: an injected onfocus would fire
        return answer.status if answer else 0

    def render(self, html: str) -> None:
        """A document that is not served (a mail's HTML) rendered as a mail program would show it."""
        self.page.evaluate("window.xss = undefined")  # set_content keeps the window of the document before
        self.page.set_content(html)
        self.page.keyboard.press("Tab")

    def harm(self) -> list[str]:
        found = self.page.evaluate(_HARM)
        if self.dialogs:
            found.append(f"alert on {self.dialogs[-1]}")
            self.dialogs.clear()
        return found

    def shown(self, payloads=ALL) -> set[str]:
        """The payloads the page shows as the text they were."""
        text = self.page.inner_text("body")
        values = self.page.eval_on_selector_all("input,textarea", "els => els.map(e => e.value)")
        return {payload for payload in payloads if payload in text or payload in values}


class Tally:
    """What went wrong on which page, and which payloads were seen as text, for one row of the table."""

    def __init__(self, expected=ALL, part: str = PART):
        self.pages, self.harm, self.shown = 0, [], set()
        self.expected, self.part = tuple(expected), part  # the texts each page may show (ALL, or file names)

    def check(self, watch: Watch, where: str) -> None:
        self.pages += 1
        self.harm += [f"{where}: {found}" for found in watch.harm()]
        self.shown |= watch.shown(self.expected)

    def record(self, tried: str, expected_shown: int | None = None) -> bool:
        expected_shown = len(self.expected) if expected_shown is None else expected_shown
        held = not self.harm and self.pages > 0 and len(self.shown) >= expected_shown
        record(self.part, tried, held, "; ".join(self.harm)[:400] or
               f"{self.pages} pages, no script ran, nothing made from a payload; {len(self.shown)} of "
               f"{len(self.expected)} {'payloads' if set(self.expected) <= set(ALL) else 'texts'} shown as text")
        return held


def visit(watch: Watch, tally: Tally, base: str, paths) -> None:
    for path in paths:
        status = watch.open(base + path)
        if status >= 500 or status == 0:
            tally.harm.append(f"{path}: answered {status}")
        tally.check(watch, path)


def signed_in(browser, url: str) -> Watch:
    page = browser.new_context().new_page()
    sign_in_on_keycloak(page, url)
    return Watch(page)


def with_mails(links: list[str]) -> list[str]:
    """Notify's message pages, each e-mail's with its HTML part (`<message>/mail.html`) after it."""
    return [path for link in links for path in ([link, f"{link}/mail.html"] if link.count("/") == 3 else [link])]


def render_mails(browser, tally: Tally, mails) -> None:
    """Each (address, mail read from Mailpit's API) rendered in a page of its own as a mail program shows it."""
    reader = Watch(browser.new_context().new_page())
    for address, mail in mails:
        reader.render(mail.get("HTML") or f"<pre>{mail['Text']}</pre>")
        tally.check(reader, f"mail to {address}")
