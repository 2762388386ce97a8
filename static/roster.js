// Roster settings pages: progressive enhancement only. Every page works without this script; it adds Copy buttons.
"use strict";

function copyText(input, button) {
  const done = () => {
    const label = button.textContent;
    button.textContent = "Copied";
    setTimeout(() => { button.textContent = label; }, 1500);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(input.value).then(done, () => { input.select(); });
    return;
  }
  // Plain-HTTP pages have no clipboard API: select the text and use the legacy command.
  input.focus();
  input.select();
  try {
    if (document.execCommand("copy")) { done(); }
  } catch (error) {
    // Leave the text selected so that the admin can copy it by hand.
  }
}

document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button.copy-button[data-copy-target]")) {
    const input = document.getElementById(button.dataset.copyTarget);
    if (!input) { continue; }
    button.hidden = false;
    button.addEventListener("click", () => copyText(input, button));
  }
});
