// Feedback while a form is being sent: every POST form of the site, unless it says data-busy="off".
// On submit its buttons (and those outside it that name it with form="…") are disabled and a spinner
// with “正在提交…” (the page's data-busy-text, translated) shows next to the button pressed. A second
// submit of a busy form (Enter pressed again) is ignored. Coming back to the page (back button, the
// browser's page cache) re-enables everything. Without this script the forms work as before.
(() => {
  const BUSY = "busy";

  function buttonsOf(form) {
    const inside = Array.from(form.querySelectorAll("button, input[type=submit], input[type=image]"));
    const outside = form.id ? Array.from(document.querySelectorAll(`[form="${CSS.escape(form.id)}"]`)) : [];
    return inside.concat(outside).filter((el) => el.matches("button:not([type=button]):not([type=reset]), input[type=submit], input[type=image]"));
  }

  function note(form, submitter) {
    const text = document.body.dataset.busyText || "正在提交…";
    const span = document.createElement("span");
    span.className = "busy-note";
    span.setAttribute("role", "status");
    span.innerHTML = '<span class="spinner" aria-hidden="true"></span>';
    span.append(document.createTextNode(text));
    const anchor = submitter || buttonsOf(form).pop();
    if (anchor && anchor.parentNode) anchor.insertAdjacentElement("afterend", span);
    else form.append(span);
  }

  function reset(form) {
    delete form.dataset.busyState;
    form.removeAttribute("aria-busy");
    buttonsOf(form).forEach((button) => {
      if (button.dataset.busyDisabled) {
        button.disabled = false;
        delete button.dataset.busyDisabled;
      }
    });
    document.querySelectorAll(".busy-note").forEach((span) => span.remove());
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (event.defaultPrevented || (form.method || "").toLowerCase() !== "post" || form.dataset.busy === "off") return;
    if (form.dataset.busyState === BUSY) {
      event.preventDefault();  // already on its way: a second click or Enter sends nothing twice
      return;
    }
    form.dataset.busyState = BUSY;
    form.setAttribute("aria-busy", "true");
    note(form, event.submitter);
    // Disabled after the browser has read the form: a disabled submitter would drop its name=value
    // (action=save / submit, confirm=lock) from what is sent.
    window.setTimeout(() => {
      buttonsOf(form).forEach((button) => {
        if (!button.disabled) {
          button.disabled = true;
          button.dataset.busyDisabled = "1";
        }
      });
    }, 0);
  });

  window.addEventListener("pageshow", () => {
    document.querySelectorAll("form[data-busy-state]").forEach(reset);
  });
})();
