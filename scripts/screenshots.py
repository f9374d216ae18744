"""The README's screenshots: the main screens of the demo at 1280 px and on a 360 px phone.

Run it against a served demo (`make run` in another terminal), with the demo password `make run` printed:

    .venv/bin/python scripts/screenshots.py --password 'the-demo-password'

It writes docs/screenshots/*.png (viewport-sized, so each stays small). Needs the test extra (Playwright) and
Chromium (`make browser`).
"""
from __future__ import annotations

import argparse
import re
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}


def sign_in(page: Page, username: str, password: str) -> None:
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-submit")
    page.wait_for_url(re.compile(r"/$"))


def shoot(page: Page, name: str) -> None:
    path = OUT / f"{name}.png"
    page.screenshot(path=path)
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KB")


def district_office(page: Page, password: str) -> None:
    """Dashboard, the directive's unit × item grid, team coverage: what the district office sees."""
    sign_in(page, "vanphong", password)
    shoot(page, "dashboard-1280")
    page.goto("/directives")
    page.get_by_role("link", name="1234/UBND-VP").click()
    page.locator("table.task-grid").scroll_into_view_if_needed()
    page.evaluate("() => window.scrollBy(0, document.querySelector('table.task-grid').getBoundingClientRect().top - 120)")
    shoot(page, "directive-grid-1280")
    page.goto("/teams")
    shoot(page, "teams-1280")


def commune(page: Page, password: str, phone: Page) -> None:
    """A commune's task page at 1280 px, and its dashboard and menu on a phone."""
    sign_in(page, "tamphuoc", password)
    page.goto("/tasks")
    page.locator("#results td a").first.click()
    page.wait_for_url(re.compile(r"/tasks/\d+$"))
    shoot(page, "task-1280")
    sign_in(phone, "tamphuoc", password)
    shoot(phone, "phone-dashboard-360")
    phone.locator(".site-menu > summary").click()
    shoot(phone, "phone-menu-360")


def leadership(page: Page, password: str) -> None:
    """Last month's report as the leadership reads it: the table of units, then the bars by class."""
    sign_in(page, "lanhdao", password)
    page.goto("/reports")
    page.get_by_role("link", name="Tháng trước", exact=True).click()
    page.wait_for_url(re.compile(r"period=month"))
    page.evaluate("() => window.scrollBy(0, document.querySelector('#units-title').getBoundingClientRect().top - 16)")
    shoot(page, "reports-1280")
    page.evaluate("() => window.scrollBy(0, document.querySelector('#chart-units').getBoundingClientRect().top - 16)")
    shoot(page, "reports-charts-1280")


def phone_at(page: Page, path: str) -> Page:
    page.goto(path)
    return page


def visitor(page: Page, phone: Page) -> None:
    """The public page, without signing in, at 1280 px and on a phone."""
    page.goto("/cong-khai")
    shoot(page, "public-1280")
    shoot(phone_at(phone, "/cong-khai"), "phone-public-360")
    phone.goto("/cong-khai?q=tam")
    phone.evaluate("() => window.scrollBy(0, document.querySelector('#villages').getBoundingClientRect().top - 8)")
    shoot(phone, "phone-public-search-360")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:5000")
    parser.add_argument("--password", required=True, help="the demo users' password")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            def new_page(viewport: dict) -> Page:
                return browser.new_context(base_url=args.base_url, viewport=viewport, locale="vi-VN").new_page()

            district_office(new_page(WIDE), args.password)
            commune(new_page(WIDE), args.password, new_page(PHONE))
            leadership(new_page(WIDE), args.password)
            visitor(new_page(WIDE), new_page(PHONE))
        finally:
            browser.close()


if __name__ == "__main__":
    main()
