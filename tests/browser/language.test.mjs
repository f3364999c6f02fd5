// The player in the listener's language, in Debian's Chromium: after the scripts have run, played
// and forgotten, a Spanish and a German episode page and a German show's page show no English
// label, and axe-core finds nothing wrong with them (their `lang` attributes among what it checks).
// Run by tests/web/test_interface.py with AUDIOGEN_URL set to the served show, AUDIOGEN_PAGES to
// its pages and their languages, and AUDIOGEN_ENGLISH to the labels an English page shows.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";
import { axeViolations } from "./axe.mjs";

const BASE = process.env.AUDIOGEN_URL;
const PAGES = JSON.parse(process.env.AUDIOGEN_PAGES);
const ENGLISH = JSON.parse(process.env.AUDIOGEN_ENGLISH);
const LAUNCH = {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--autoplay-policy=no-user-gesture-required", "--mute-audio"],
};

let browser;
before(async () => { browser = await chromium.launch(LAUNCH); });
after(async () => { await browser?.close(); });

function englishIn(text) {
  return ENGLISH.filter((label) => new RegExp(`\\b${label}\\b`).test(text));
}

for (const [path, language] of Object.entries(PAGES)) {
  test(`${path} speaks ${language} once its scripts have run`, async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${BASE}${path}`, { waitUntil: "load" });
    assert.equal(await page.getAttribute("html", "lang"), language);
    const play = page.locator("#play, button.play-episode").first();
    const playText = await play.textContent();
    await play.click();
    await page.waitForFunction(() => [...document.querySelectorAll("audio")].some((audio) => audio.currentTime > 0.2));
    assert.notEqual(await play.textContent(), playText, "the button says it would now pause");
    await page.click("#forget");
    await page.waitForFunction(() => document.getElementById("device-status").textContent !== "");
    const shown = await page.evaluate(() => document.body.innerText);
    const named = await page.evaluate(() => [...document.querySelectorAll("[aria-label], [title], [alt]")]
      .map((element) => element.getAttribute("aria-label") || element.title || element.alt).join(" "));
    assert.deepEqual(englishIn(`${shown} ${named}`), [], `English left on ${path}`);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
    await page.close();
  });
}
