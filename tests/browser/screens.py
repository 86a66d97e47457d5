"""The field's screens: journeys done on a phone (390 px), each page they visit checked on
the phone and on a desktop (1,280 px). A page passes when nothing is wider than the
screen (a table may scroll sideways inside its own frame), every table cell has a
visible column header or a label, and axe-core finds no violation
(``docs/conventions.md``, Components)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from axe_playwright_python.sync_playwright import Axe

PHONE = {"width": 390, "height": 844}
#: The narrowest phone still in use: the youth's space is checked there too.
SMALL_PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}

#: Elements reaching past the screen's right edge, outside a frame that scrolls sideways.
OVERFLOWING = """() => {
  const limit = document.documentElement.clientWidth + 1;
  const scrolls = (element) => {
    for (let e = element.parentElement; e; e = e.parentElement) {
      const overflow = getComputedStyle(e).overflowX;
      if ((overflow === "auto" || overflow === "scroll") && e !== document.documentElement
          && e !== document.body) return true;
    }
    return false;
  };
  const found = [];
  if (document.documentElement.scrollWidth > limit) {
    found.push(`the page is ${document.documentElement.scrollWidth} px wide`);
  }
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.right <= limit || scrolls(element)) continue;
    if (!element.checkVisibility({visibilityProperty: true})) continue;  // a closed menu
    const name = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
      + (element.className && typeof element.className === "string"
         ? "." + element.className.trim().split(/\\s+/).join(".") : "");
    found.push(`${name} ends at ${Math.round(box.right)} px`);
    if (found.length > 5) break;
  }
  return found;
}"""

#: Data cells without a visible column header (a <th> over their column) or a label.
UNLABELLED_CELLS = """() => {
  const found = [];
  for (const table of document.querySelectorAll("main table")) {
    const headers = [...table.querySelectorAll("thead tr:last-child th")]
      .filter((th) => th.getBoundingClientRect().height > 0)
      .reduce((count, th) => count + (th.colSpan || 1), 0);
    for (const row of table.querySelectorAll("tbody tr")) {
      let column = 0;
      for (const cell of row.cells) {
        column += cell.colSpan || 1;
        if (cell.tagName !== "TD" || cell.dataset.label) continue;
        if (column > headers && !(cell.colSpan > 1 && row.cells.length === 1)) {
          const name = table.caption ? table.caption.innerText : table.id || "a table";
          found.push(`${name}: column ${column} has no header`);
          break;
        }
      }
    }
  }
  return found.slice(0, 5);
}"""


def axe_violations(page) -> list[str]:
    """Every axe-core violation of the page, whatever its impact."""
    return [
        f"{violation['id']} ({violation['impact']}): "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in Axe().run(page).response["violations"]
    ]


@dataclass
class Screens:
    """Checks the page a journey stands on at both widths and keeps what fails.

    The width and the table headers are checked at every width; axe-core, whose rules read
    the markup rather than the layout, runs at the narrowest phone width checked, and on a
    desktop for the journey's first page (the menu unfolded, the wide layout) or for every
    page with ``desktop_axe`` (``test_accessibility.py``)."""

    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    desktop_axe: bool = False

    def check(self, page, *, small_phone: bool = False) -> None:
        """Check the page at 390 and 1,280 px and, with ``small_phone``, at 360 px."""
        page.wait_for_load_state("load")
        where = re.sub(r"^https?://[^/]+", "", page.url)
        axe_on_desktop = self.desktop_axe or not self.checked
        self.checked.append(where)
        sizes = [("390 px", PHONE, not small_phone), ("1 280 px", DESKTOP, axe_on_desktop)]
        if small_phone:
            sizes.insert(0, ("360 px", SMALL_PHONE, True))
        for name, size, with_axe in sizes:
            page.set_viewport_size(size)
            problems = page.evaluate(OVERFLOWING) + page.evaluate(UNLABELLED_CELLS)
            for problem in problems + (axe_violations(page) if with_axe else []):
                self.problems.append(f"{where} at {name}: {problem}")
        page.set_viewport_size(PHONE)  # back to the phone the journey runs on

    def shoot(self, page, screenshot, name: str) -> None:
        """The README's pictures of this page: ``NAME`` on a desktop, ``phone-NAME``."""
        page.set_viewport_size(DESKTOP)
        screenshot(page, name)
        page.set_viewport_size(PHONE)
        screenshot(page, f"phone-{name}")

    def assert_clean(self) -> None:
        assert self.checked, "no page was checked"
        assert not self.problems, "\n".join(self.problems)


def open_section(page, name: str) -> None:
    """Follow a link of the main menu, opening it first on a phone (where it is folded
    behind « Menu »)."""
    navigation = page.get_by_role("navigation", name="Navigation principale")
    menu = navigation.locator("details")
    if not menu.evaluate("details => details.open"):
        navigation.get_by_text("Menu", exact=True).click()
    with page.expect_navigation():
        navigation.get_by_role("link", name=name, exact=True).click()


def switch_organisation(page, label: str) -> None:
    """Work for another of one's memberships, through the organisation menu."""
    page.locator(".org-menu summary").click()
    page.get_by_label("Organisation", exact=True).select_option(label=label)
    with page.expect_navigation():
        page.get_by_role("button", name="Changer").click()
