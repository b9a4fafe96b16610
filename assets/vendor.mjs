// Builds what hoering serves from DKFDS into hoering/static/dkfds (run by
// scripts/build_assets.sh after `npm ci`): the CSS compiled from hoering-dkfds.scss, DKFDS's
// JavaScript, the woff2 fonts and SVG icons that CSS names, a sprite of the icons the
// templates use (<svg><use href=".../icons.svg#menu">), and the licences.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const here = path.dirname(fileURLToPath(import.meta.url));
const dkfds = path.join(here, "node_modules", "dkfds");
const dist = path.join(dkfds, "dist");
const out = path.join(here, "..", "hoering", "static", "dkfds");
// the icons the templates use: icon() and alert_icon() in templates/macros.html (the header,
// alerts, the error summary, the case's step indicator)
const SPRITE = ["menu", "close", "lock", "info", "success", "warning", "error", "check"];
// icons hoering.css uses as backgrounds, beside those DKFDS's CSS names
const CSS_ICONS = ["chevron-left"];

const version = JSON.parse(fs.readFileSync(path.join(dkfds, "package.json"), "utf8")).version;
fs.rmSync(out, { recursive: true, force: true });
for (const dir of ["css", "js", "fonts", "img", "icons"]) {
  fs.mkdirSync(path.join(out, dir), { recursive: true });
}

// CSS: only the parts of DKFDS that hoering uses, no source map
const { css } = sass.compile(path.join(here, "hoering-dkfds.scss"), {
  loadPaths: [path.join(dkfds, "src", "stylesheets")],
  style: "compressed",
  sourceMap: false,
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin"],
});
// (compressed Sass opens with a byte order mark instead of @charset: put the @charset first)
fs.writeFileSync(path.join(out, "css", "dkfds.min.css"),
                 `@charset "UTF-8";\n/*! DKFDS ${version} (MIT), built for hoering */\n`
                 + `${css.replace(/^\uFEFF/, "").replace(/^@charset "UTF-8";/, "")}\n`);

// The files the CSS refers to: fonts (fonts/…) and icons/images (img/…)
const referenced = new Set([...css.matchAll(/url\(["']?\.\.\/([^"')]+)["']?\)/g)].map(m => m[1]));
for (const file of referenced) {
  const source = file.startsWith("fonts/")
    ? path.join(dist, "fonts", "IBMPlexSans", "complete", "woff2", path.basename(file))
    : file.startsWith("icons/") ? path.join(dist, "img", "svg-icons", path.basename(file))
    : path.join(dist, file);
  fs.mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
  fs.copyFileSync(source, path.join(out, file));
}

for (const name of CSS_ICONS) {
  fs.copyFileSync(path.join(dist, "img", "svg-icons", `${name}.svg`), path.join(out, "icons", `${name}.svg`));
}

// JavaScript: DKFDS's own build, without its source map comment
const js = fs.readFileSync(path.join(dist, "js", "dkfds.min.js"), "utf8")
  .replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n");
fs.writeFileSync(path.join(out, "js", "dkfds.min.js"), js);

// The sprite: the named <symbol>s of DKFDS's all-svg-icons.svg
const all = fs.readFileSync(path.join(dist, "img", "all-svg-icons.svg"), "utf8");
const symbols = SPRITE.map(id => {
  const match = all.match(new RegExp(`<symbol id="${id}"[\\s\\S]*?</symbol>`));
  if (!match) throw new Error(`no icon ${id} in all-svg-icons.svg`);
  return match[0];
});
fs.writeFileSync(path.join(out, "img", "icons.svg"),
                 `<svg xmlns="http://www.w3.org/2000/svg">${symbols.join("")}</svg>\n`);

// Licences: DKFDS (MIT; icons Apache 2.0), IBM Plex Sans (SIL OFL 1.1)
fs.copyFileSync(path.join(dkfds, "LICENSE.md"), path.join(out, "LICENSE.md"));
fs.copyFileSync(path.join(dist, "fonts", "IBMPlexSans", "complete", "woff2", "license.txt"),
                path.join(out, "fonts", "LICENSE-IBMPlexSans.txt"));
fs.writeFileSync(path.join(out, "VERSION"), `dkfds ${version}\n`);
console.log(`DKFDS ${version} -> ${path.relative(process.cwd(), out)}: ${referenced.size} files named by the CSS`);
