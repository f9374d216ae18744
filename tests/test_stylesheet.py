"""The stylesheet keeps its own rules: numbered component sections, at most one phone block each, colours only from
the variables of :root."""
import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[1] / "static" / "css" / "app.css").read_text(encoding="utf-8")
SECTION = re.compile(r"^/\* (\d+)\. ", re.MULTILINE)
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b")
PHONE_BLOCK = "@media (max-width: 40rem)"


def _sections() -> list[tuple[int, str]]:
    starts = list(SECTION.finditer(CSS))
    return [(int(match.group(1)), CSS[match.start():starts[n + 1].start() if n + 1 < len(starts) else len(CSS)])
            for n, match in enumerate(starts)]


def test_sections_are_numbered_in_order_and_hold_every_rule_after_the_header_comment():
    numbers = [number for number, _text in _sections()]
    assert numbers == list(range(1, len(numbers) + 1))
    assert CSS[:SECTION.search(CSS).start()].strip().startswith("/*")  # only the file's comment before section 1


@pytest.mark.parametrize("number, text", _sections(), ids=[f"section-{number}" for number, _text in _sections()])
def test_a_component_has_at_most_one_phone_block(number, text):
    assert text.count(PHONE_BLOCK) <= 1, f"section {number}"


def test_colours_come_only_from_the_variables_of_root():
    root_end = CSS.index("}", CSS.index(":root {"))
    assert HEX_COLOUR.findall(CSS[root_end:]) == []


def _top_level_selectors(css: str) -> list[str]:
    """The selectors of the one-selector rules outside any @media or @supports block (a grouped rule shares a base,
    which one rule of a selector's own may then complete)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    selectors, depth, start = [], 0, 0
    for n, char in enumerate(css):
        if char == "{":
            prelude = css[start:n].strip()
            if depth == 0 and not prelude.startswith("@") and "," not in prelude:
                selectors.append(prelude)
            depth, start = depth + 1, n + 1
        elif char == "}":
            depth, start = depth - 1, n + 1
        elif char == ";" and depth == 0:
            start = n + 1
    return selectors


def test_no_selector_has_two_rules_of_its_own():
    selectors = _top_level_selectors(CSS)
    assert sorted({selector for selector in selectors if selectors.count(selector) > 1}) == []
