"""The checks of checks.audit can fail: each catches what it is there to catch, with and without JavaScript."""
from __future__ import annotations

import pytest

from tests.browser.checks import assert_focus_visible, assert_no_violation_since_the_test_began, audit, violations

pytestmark = pytest.mark.browser
READS_ONLY = True

ADD_INPUT = """(ariaLabel) => {
  const input = document.createElement("input");
  if (ariaLabel !== null) input.setAttribute("aria-label", ariaLabel);
  document.querySelector("main").append(input);
}"""


def test_a_csp_violation_is_reported(tab_of):
    tab = tab_of()
    tab.page.goto("/login")
    tab.page.evaluate("""() => {
      const script = document.createElement("script");
      script.textContent = "window.inlineScriptRan = true";
      document.body.append(script);
    }""")
    tab.page.wait_for_function("() => window.__cspViolations.length > 0")
    assert tab.page.evaluate("() => window.inlineScriptRan") is None
    assert [v["directive"] for v in tab.csp_violations] == ["script-src-elem"]
    with pytest.raises(AssertionError, match="Content-Security-Policy"):
        tab.assert_no_errors()
    tab.forget_errors()  # provoked on purpose: not a violation of the test itself


def test_a_console_error_is_reported(tab_of):
    tab = tab_of()
    tab.page.goto("/login")
    tab.page.evaluate("() => console.error('broken')")
    with pytest.raises(AssertionError, match="console errors"):
        tab.assert_no_errors()


def test_an_unlabelled_input_fails_the_label_check(tab_of):
    tab = tab_of()
    tab.page.goto("/login")
    tab.page.evaluate(ADD_INPUT, None)
    with pytest.raises(AssertionError, match="every input has a label"):
        audit(tab, "selftest-unlabelled-input")


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_axe_finds_an_input_whose_label_is_blank(tab_of, javascript):
    tab = tab_of(javascript=javascript)
    tab.page.goto("/login")
    tab.page.evaluate(ADD_INPUT, " ")
    assert "label" in {v["id"] for v in violations(tab)}


def test_a_page_wider_than_a_phone_fails(tab_of):
    tab = tab_of()
    tab.page.goto("/login")
    tab.page.evaluate("() => { document.querySelector('h1').style.minWidth = '500px'; }")
    with pytest.raises(AssertionError, match="scrolls sideways at 360 px"):
        audit(tab, "selftest-too-wide")


def test_text_squeezed_one_word_per_line_on_a_phone_fails(tab_of):
    tab = tab_of()
    tab.page.goto("/login")
    tab.page.evaluate("""() => {
      const p = document.createElement("p");
      p.textContent = "Tuyên truyền, phổ biến đến từng hộ gia đình, người dân về xã thông minh";
      p.style.width = "60px";
      document.querySelector("main").append(p);
    }""")
    with pytest.raises(AssertionError, match="text squeezed into a narrow column"):
        audit(tab, "selftest-squeezed-text")


def test_a_hidden_focus_ring_fails(tab_of):
    tab = tab_of()
    tab.page.goto("/login")
    tab.page.evaluate("() => document.styleSheets[0].insertRule('* { outline: none !important; }')")
    with pytest.raises(AssertionError, match="focus is not visible"):
        assert_focus_visible(tab.page)


def test_a_violation_after_the_last_check_still_fails_the_test_at_its_end(tab_of):
    tab = tab_of()
    tab.page.goto("/login")
    audit(tab, "selftest-before-a-late-violation")
    tab.page.evaluate("() => { document.querySelector('main').innerHTML += '<p style=\"color: red\">x</p>'; }")
    tab.page.wait_for_function("() => window.__cspViolations.length > 0")
    with pytest.raises(AssertionError, match="violations during the test"):
        assert_no_violation_since_the_test_began()
    tab.forget_errors()
