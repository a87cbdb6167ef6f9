// Regie's script: htmx for partial page updates (server-rendered Django; no client-side framework).
import htmx from "htmx.org";

window.htmx = htmx;
