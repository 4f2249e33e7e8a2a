"""What the layout browser tests measure: the two screens, and the elements that stick out of their box."""

LAPTOP, PHONE = {"width": 1366, "height": 768}, {"width": 390, "height": 844}
SCROLLERS = ".table-scroll, .table-container, .plot-scroll"

# Every element of a container, outside a scrolling box, that sticks out of it on the right or left.
_OVERFLOWING = """([containers, scrollers]) => {
  const out = [];
  document.querySelectorAll(containers).forEach((card) => {
    const box = card.getBoundingClientRect();
    card.querySelectorAll("*").forEach((el) => {
      if (el.closest(scrollers) && el.closest(scrollers) !== el) return;
      const r = el.getBoundingClientRect();
      if (r.width && (r.right > box.right + 1 || r.left < box.left - 1))
        out.push(`${el.tagName}.${el.className.baseVal ?? el.className}: ${Math.round(r.left)}–${Math.round(r.right)} in ${Math.round(box.left)}–${Math.round(box.right)}`);
    });
  });
  return out;
}"""


def overflowing(page, containers: str = "main .card") -> list[str]:
    """The elements of `containers` (a CSS selector) that stick out of them, outside a scrolling box."""
    return page.evaluate(_OVERFLOWING, [containers, SCROLLERS])
