// Bundle the NL Design System CSS and Regie's layout into one static file (no CDN at run time).
import { build } from "esbuild";

await build({
  entryPoints: ["src/regie.css"],
  bundle: true,
  minify: true,
  legalComments: "eof",
  outfile: "../src/regie/platform/static/regie/regie.bundle.css",
  logLevel: "info",
});

await build({
  entryPoints: ["src/regie.js"],
  bundle: true,
  minify: true,
  format: "iife",
  legalComments: "eof",
  outfile: "../src/regie/platform/static/regie/regie.bundle.js",
  logLevel: "info",
});
