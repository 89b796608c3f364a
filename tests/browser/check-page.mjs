// Check one served page in headless Debian Chromium and print what we found as JSON.
//
//   node tests/browser/check-page.mjs URL
//
// axe-core runs with the WCAG 2.x A/AA/AAA and best-practice rules; the script also reports
// each <audio>'s chapters and captions tracks (readyState 2 = loaded, and their cues), whether Tab
// reaches the skip link first with a visible outline, and the page's layout shift.
// puppeteer-core drives the browser the system installed; it never downloads one.
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const url = process.argv[2];
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const profile = mkdtempSync(join(tmpdir(), "listen-chromium-"));

const browser = await puppeteer.launch({
  executablePath,
  headless: true,
  userDataDir: profile,
  // This machine's network is closed: without the background-networking flags Chromium's
  // own connections are refused and slow everything down.
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage();
  // Layout shifts of the page's own elements count; Chromium's native <audio> controls lay
  // out their insides (time display) just after first paint even on a bare <audio controls>,
  // and those shifts have no node in the page, so they are reported apart.
  await page.evaluateOnNewDocument(() => {
    window.__layoutShift = { page: 0, nativeControls: 0, shifted: [] };
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (entry.hadRecentInput) continue;
        const nodes = entry.sources.map((s) => s.node).filter((n) => n && n.getRootNode() === document);
        if (nodes.length === 0) { window.__layoutShift.nativeControls += entry.value; continue; }
        window.__layoutShift.page += entry.value;
        window.__layoutShift.shifted.push(...nodes.map((n) => n.nodeName + (n.id ? "#" + n.id : "")));
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
  const response = await page.goto(url, { waitUntil: "load" });

  const tracks = await page.evaluate(async () => {
    const deadline = Date.now() + 10000;
    const elements = [...document.querySelectorAll("audio track")];
    // A track that is not "default" loads only once a player turns it on, as a captions
    // button does; turn every one on (hidden) so their cues can be counted.
    for (const t of elements) if (t.track.mode === "disabled") t.track.mode = "hidden";
    while (Date.now() < deadline && elements.some((t) => t.readyState < 2)) {
      await new Promise((r) => setTimeout(r, 50));
    }
    return elements.map((t) => ({
      audio: t.parentElement.id, src: t.getAttribute("src"), kind: t.kind,
      readyState: t.readyState, mode: t.track.mode,
      cues: t.track.cues ? [...t.track.cues].map((c) => c.text) : null,
    }));
  });

  await new Promise((resolve) => setTimeout(resolve, 300)); // let late shifts be observed
  const layoutShift = await page.evaluate(() => window.__layoutShift);
  await page.keyboard.press("Tab");
  const focus = await page.evaluate(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return { className: el.className, text: el.textContent.trim(), outlineStyle: style.outlineStyle,
             outlineWidth: style.outlineWidth, top: el.getBoundingClientRect().top };
  });

  // Evaluated through the DevTools protocol, not added as a <script>: the served page's own
  // Content-Security-Policy (rightly) refuses scripts it did not ship, and must stay enforced.
  await page.evaluate(readFileSync(require.resolve("axe-core/axe.min.js"), "utf8"));
  const axe = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag2aaa", "wcag21a", "wcag21aa",
                                       "wcag22aa", "best-practice"] },
    });
    return {
      version: window.axe.version,
      passes: result.passes.length,
      violations: result.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")),
      })),
    };
  });
  const outline = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    headings: [...document.querySelectorAll("h1,h2,h3,h4,h5,h6")].map((h) => [h.tagName, h.textContent]),
    scripts: [...document.scripts].map((s) => s.textContent),
  }));
  console.log(JSON.stringify({ status: response.status(), tracks, focus, axe, layoutShift, ...outline }));
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
