// Small progressive enhancements; every page works without them.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-toggle-all]");
  if (!button) return;
  const open = button.dataset.toggleAll === "open";
  document.querySelectorAll("details.section").forEach((d) => { d.open = open; });
});
