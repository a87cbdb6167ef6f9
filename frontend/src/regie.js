// Regie's script: htmx for partial page updates (server-rendered Django; no client-side framework).
import htmx from "htmx.org";

window.htmx = htmx;

// The main menu is open by default (it works without script); on a narrow screen it starts folded.
document.addEventListener("DOMContentLoaded", () => {
  const menu = document.querySelector("details.nav-menu");
  if (menu && window.matchMedia("(max-width: 48rem)").matches) menu.open = false;
});
