// The review page: show what a target text means while it is typed (a JSON view over the
// target grammar). The page works without it.
(function () {
  const form = document.getElementById("review-form");
  if (!form) return;
  const url = form.dataset.previewUrl;
  const timers = new WeakMap();

  function rowField(row, name) {
    return row.querySelector(`[name$="-${name}"]`);
  }

  function show(input) {
    const row = input.closest("tr");
    const out = row.querySelector(".target-meaning");
    if (!out) return;
    if (!input.value.trim()) { out.textContent = ""; return; }
    const query = new URLSearchParams({
      text: input.value,
      unit: (rowField(row, "unit") || {}).value || "",
      direction: (rowField(row, "direction") || {}).value || "",
    });
    fetch(`${url}?${query}`, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => {
        if (!data) return;
        const shown = { kind: data.kind, label: data.label, value: data.value, low: data.low, high: data.high, unit: data.unit, direction: data.direction };
        Object.keys(shown).forEach((key) => { if (shown[key] === null || shown[key] === "") delete shown[key]; });
        out.textContent = JSON.stringify(shown, null, 1);
        out.dataset.kind = data.kind;
      })
      .catch(() => { out.textContent = ""; });
  }

  form.addEventListener("input", (event) => {
    const input = event.target.closest("[data-target-preview]");
    if (!input) return;
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(() => show(input), 250));
  });
  form.addEventListener("focusin", (event) => {
    const input = event.target.closest("[data-target-preview]");
    if (input) show(input);
  });
})();
