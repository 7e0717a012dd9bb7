// The connection form: worker (production) or emulator (development). Saving stores the choice
// in this tab's sessionStorage and reloads, so every module starts from one connection.
import { $ } from "./dom.js";
import { saveConnection, forgetConnection } from "../connection.js";
import { showError } from "./error-box.js";

export function initConnectionForm(current, storage) {
  const section = $("#connection");
  const form = $("#connection-form");
  const errorBox = $("#connection-error");
  const tokenLabel = $("#conn-token-label");

  const syncMode = () => {
    const emulator = form.elements.mode.value === "emulator";
    tokenLabel.textContent = emulator ? "Emulator API key (development only)" : "Dashboard token";
    $("#conn-mode-hint").textContent = emulator
      ? "Development only: the page talks straight to the emulator and holds its API key."
      : "The worker holds the Zilliz Cloud API key; this page only has its own dashboard token.";
  };
  for (const radio of form.elements.mode) radio.addEventListener("change", syncMode);

  if (current) {
    form.elements.mode.value = current.mode;
    form.elements.url.value = current.url;
    form.elements.token.value = current.token;
  }
  syncMode();

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    try {
      saveConnection(storage, { mode: form.elements.mode.value, url: form.elements.url.value, token: form.elements.token.value });
    } catch (err) {
      showError(errorBox, Object.assign(err, { kind: "InvalidInput" }));
      return;
    }
    location.reload();
  });
  $("#conn-forget").addEventListener("click", () => {
    forgetConnection(storage);
    location.reload();
  });

  return {
    open() {
      section.hidden = false;
      form.elements.url.focus();
    },
    showError: (err) => showError(errorBox, err),
  };
}
