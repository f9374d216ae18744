"""What every screen must pass: axe-core, one h1, labelled inputs, visible focus, 360 px without sideways
scrolling or text squeezed one word per line, no CSP violation, no console error; and screenshots at 1280 and
360 px for a person to look at."""
from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import BrowserContext, ConsoleMessage, Page

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"  # git-ignored
SCREENSHOTS = ARTIFACTS / "screenshots"
AXE = Path(__file__).with_name("vendor") / "axe-core-4.10.3.min.js"
VIEWPORTS = {1280: {"width": 1280, "height": 800}, 360: {"width": 360, "height": 740}}
# Colour contrast, by far axe's slowest rule, gives the same answer at both widths (same colours, nothing hidden
# by width), so it runs once per screen, at phone width; every other rule runs at both widths.
AXE_OPTIONS = {1280: {"rules": {"color-contrast": {"enabled": False}}}, 360: {}}
FAILING_IMPACTS = ("serious", "critical")

# Runs before any page script of every document the tab loads (init scripts are not subject to the page's CSP):
# keeps every violation on window and reports it to the test as it happens, so a violation during an htmx swap, or
# on a page the test has already left, is not lost. Every violation also goes to VIOLATIONS, which the browser tests'
# conftest asserts empty at the end of each test, whatever the test checked on the way.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const violation = {directive: event.violatedDirective, blocked: event.blockedURI,
                     source: event.sourceFile, line: event.lineNumber, column: event.columnNumber,
                     sample: event.sample, element: event.target && event.target.outerHTML
                       ? event.target.outerHTML.slice(0, 200) : String(event.target)};
  window.__cspViolations.push(violation);
  if (window.__reportCspViolation) window.__reportCspViolation(violation);
});
"""

UNLABELLED_CONTROLS = """() => Array.from(document.querySelectorAll("input, select, textarea"))
  .filter((el) => !["hidden", "submit", "button", "reset", "image"].includes(el.type))
  .filter((el) => el.labels.length === 0 && !el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby"))
  .map((el) => el.outerHTML)"""

FOCUSED_OUTLINE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {element: el.outerHTML.slice(0, 120), style: style.outlineStyle, width: parseFloat(style.outlineWidth)};
}"""

WIDER_THAN_VIEWPORT = """() => Array.from(document.querySelectorAll("body *"))
  .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
  .slice(0, 5).map((el) => el.outerHTML.slice(0, 160))"""

# Text squeezed into a column so narrow that it reads one word or two per line: 30 or more characters of an
# element's own text, over 4 lines or more, in a box narrower than 120 px.
SQUEEZED_TEXT = """() => Array.from(document.querySelectorAll("main *")).filter((el) => {
  const text = Array.from(el.childNodes).filter((node) => node.nodeType === Node.TEXT_NODE)
    .map((node) => node.textContent).join("").trim();
  if (text.length < 30) return false;
  const box = el.getBoundingClientRect();
  return box.width < 120
    && box.height >= 4 * parseFloat(getComputedStyle(el).lineHeight);
}).slice(0, 5).map((el) => el.outerHTML.slice(0, 160))"""

RUN_AXE = """async (options) => {
  const results = await axe.run(document, {...options, resultTypes: ["violations"]});
  return results.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + ": " + n.failureSummary)}));
}"""


# (tab, violation) for every CSP violation reported by any tab since the current test started; every tab opened.
VIOLATIONS: list[tuple[Tab, dict]] = []
OPEN_TABS: list[Tab] = []


@dataclass
class Tab:
    """A page in its own browser context, with everything it logged as an error."""

    page: Page
    javascript: bool
    console_errors: list[str] = field(default_factory=list)
    csp_violations: list[dict] = field(default_factory=list)

    @classmethod
    def open(cls, context: BrowserContext, *, javascript: bool = True) -> Tab:
        tab = cls(context.new_page(), javascript)
        OPEN_TABS.append(tab)
        context.expose_binding("__reportCspViolation", lambda source, violation: tab._on_csp_violation(violation))
        context.add_init_script(CSP_LISTENER)
        tab.page.on("console", tab._on_console)
        tab.page.on("pageerror", lambda error: tab.console_errors.append(f"uncaught: {error}"))
        return tab

    def _on_csp_violation(self, violation: dict) -> None:
        self.csp_violations.append(violation)
        VIOLATIONS.append((self, violation))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url')})")

    def forget_errors(self) -> None:
        """Start counting errors afresh, when one tab is reused for another screen (or a test has just provoked one)."""
        self.console_errors.clear()
        self.csp_violations.clear()
        VIOLATIONS[:] = [(tab, violation) for tab, violation in VIOLATIONS if tab is not self]

    def assert_no_errors(self) -> None:
        """No CSP violation and no console error since the tab was opened."""
        assert self.csp_violations == [], "Content-Security-Policy violations"
        assert self.console_errors == [], "console errors"


def flush_violations() -> None:
    """Let every violation an open page has already seen reach the test: one round trip to each page delivers the
    reports queued before it."""
    OPEN_TABS[:] = [tab for tab in OPEN_TABS if not tab.page.is_closed()]
    for tab in OPEN_TABS:
        tab.page.evaluate("() => window.__cspViolations && window.__cspViolations.length")


def assert_no_violation_since_the_test_began() -> None:
    """No tab reported a CSP violation during the test, on any page and after any swap."""
    flush_violations()
    found = [violation for _tab, violation in VIOLATIONS]
    VIOLATIONS.clear()
    assert found == [], f"Content-Security-Policy violations during the test: {found}"


def reset_screenshots() -> None:
    """Start each run with an empty screenshot folder, so no stale picture is mistaken for a current one."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)


def axe_violations(page: Page, options: dict | None = None) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now (every rule unless options say)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, so the page's CSP neither blocks nor reports it.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return [v for v in page.evaluate(RUN_AXE, options or {}) if v["impact"] in FAILING_IMPACTS]


def violations(tab: Tab) -> list[dict]:
    """axe-core's serious and critical violations, with or without JavaScript in the tab."""
    with scripted_copy(tab) as page:
        return axe_violations(page)


@contextmanager
def scripted_copy(tab: Tab) -> Iterator[Page]:
    """The tab's page itself, or, when its scripts are off (axe needs them), its exact HTML replayed at the same
    URL and size in a tab with scripts on."""
    if tab.javascript:
        yield tab.page
        return
    page, html = tab.page, tab.page.content()
    context = page.context.browser.new_context(viewport=page.viewport_size)
    try:
        copy = context.new_page()
        copy.route(page.url, lambda route: route.fulfill(status=200, body=html,
                                                         content_type="text/html; charset=utf-8"))
        copy.goto(page.url)
        yield copy
    finally:
        context.close()


def assert_focus_visible(page: Page) -> None:
    """The element the keyboard reaches next shows an outline."""
    focused = None
    for _attempt in range(3):  # from the last element, the first Tab leaves the page and the next comes back
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_OUTLINE)
        if focused is not None:
            break
    assert focused is not None, "Tab reached no element"
    assert focused["style"] != "none" and focused["width"] >= 2, f"focus is not visible: {focused}"


def audit(tab: Tab, name: str) -> None:
    """Every check on the screen as it is now, at 1280 and 360 px, with a screenshot at each width."""
    page = tab.page
    assert re.fullmatch(r"[a-z0-9-]+", name), "screenshot names are lower-case words joined by dashes"
    page.wait_for_load_state()
    assert page.locator("h1").count() == 1, "a page has exactly one h1"
    assert page.evaluate(UNLABELLED_CONTROLS) == [], "every input has a label"
    original = page.viewport_size
    try:
        with scripted_copy(tab) as checked:
            for width, viewport in VIEWPORTS.items():
                for resized in {page, checked}:
                    resized.set_viewport_size(viewport)
                assert axe_violations(checked, AXE_OPTIONS[width]) == [], f"axe-core at {width} px"
                scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
                assert scroll_width <= width, f"scrolls sideways at {width} px: {page.evaluate(WIDER_THAN_VIEWPORT)}"
                assert page.evaluate(SQUEEZED_TEXT) == [], f"text squeezed into a narrow column at {width} px"
                # caret="hide" would leave style="" on inputs, which htmx then copies by setAttribute: a CSP violation.
                page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True, caret="initial")
    finally:
        page.set_viewport_size(original)
    assert_focus_visible(page)
    tab.assert_no_errors()
