// Subscribe to a served feed as a podcast app on the network would, in headless Debian Chromium.
//
//   node tests/browser/check-feed-audio.mjs PAGE_URL
//
// Opens the page `listen serve` serves, fetches feed.xml from the same address, and loads
// each enclosure into an <audio> (muted): prints, as JSON, each enclosure's URL with the
// player's readyState and duration, or the error the player met.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer from "puppeteer-core";

const url = process.argv[2];
const profile = mkdtempSync(join(tmpdir(), "listen-chromium-"));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  userDataDir: profile,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage();
  await page.goto(url, { waitUntil: "load" });
  const enclosures = await page.evaluate(async () => {
    const feed = await (await fetch("feed.xml")).text();
    const doc = new DOMParser().parseFromString(feed, "application/xml");
    const found = [];
    for (const enclosure of doc.querySelectorAll("enclosure")) {
      const src = enclosure.getAttribute("url");
      const audio = new Audio();
      audio.muted = true;
      audio.preload = "auto";
      found.push(await new Promise((resolve) => {
        const report = (extra) => resolve({ url: src, readyState: audio.readyState, ...extra });
        const timer = setTimeout(() => report({ error: "timeout" }), 10000);
        audio.addEventListener("loadedmetadata", () => { clearTimeout(timer); report({ duration: audio.duration }); });
        audio.addEventListener("error", () => { clearTimeout(timer); report({ error: `media error ${audio.error?.code}` }); });
        audio.src = src;
      }));
    }
    return found;
  });
  console.log(JSON.stringify({ enclosures }));
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
