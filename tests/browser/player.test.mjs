// The web player in a real browser: Debian's Chromium driven by playwright-core (which never
// downloads a browser of its own), WCAG 2.2 A and AA checked by axe-core, and keyboard-only use.
// Run by tests/test_player.py with AUDIOGEN_URL set to a served build and AUDIOGEN_SLUG to one
// of its articles.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";
import { axeViolations } from "./axe.mjs";

const BASE = process.env.AUDIOGEN_URL;
const SLUG = process.env.AUDIOGEN_SLUG;
const PAGES = { index: `${BASE}index.html`, episode: `${BASE}${SLUG}/index.html` };
const SCREENSHOTS = process.env.AUDIOGEN_SCREENSHOTS;

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--no-first-run", "--disable-quic", "--autoplay-policy=user-gesture-required"],
  });
});
after(async () => { await browser?.close(); });

async function open(url, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  // Anything the pages' Content-Security-Policy blocks is an error too.
  page.on("console", (message) => {
    if (message.type() === "error" && message.text().includes("Content Security Policy")) errors.push(message.text());
  });
  await page.goto(url, { waitUntil: "load" });
  return { page, context, errors };
}


async function activeElement(page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    return { tag: element.tagName, text: element.textContent.trim(), start: element.dataset.start || null };
  });
}

async function state(page) {
  return page.evaluate(() => {
    const audio = document.getElementById("audio");
    const cue = document.querySelector("button.cue.current");
    const next = cue && cue.nextElementSibling && cue.nextElementSibling.matches("button.cue")
      ? parseFloat(cue.nextElementSibling.dataset.start) : null;
    const chapter = document.querySelector('a.chapter[aria-current="true"]');
    return { time: audio.currentTime, paused: audio.paused, cueStart: cue ? parseFloat(cue.dataset.start) : null,
             cueEnd: next, cueText: cue ? cue.textContent : null, chapter: chapter ? chapter.textContent : null };
  });
}

// axe-core runs here, on both pages in both schemes at every size (the target size and reflow rules
// depend on the viewport).
describe("no axe-core violation (WCAG 2.2 A, AA) and a large Play button on the first screen, at phone and desktop sizes", () => {
  const PLAY = { index: "button.play-episode", episode: "#play" };
  const AUDIO = { index: "#show-audio", episode: "#audio" };
  for (const [width, height] of [[320, 640], [1280, 800]]) {  // the smallest phone (WCAG's reflow width) and a desktop
    for (const [name, url] of Object.entries(PAGES)) {
      test(`${name} page at ${width}x${height}`, async () => {
        for (const colorScheme of ["light", "dark"]) {
          const { page, context, errors } = await open(url, { colorScheme, viewport: { width, height } });
          const play = page.locator(PLAY[name]).first();
          const box = await play.boundingBox();
          assert.ok(box && box.width >= 64 && box.height >= 64, `Play is ${box?.width}x${box?.height} px`);
          assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= width && box.y + box.height <= height,
            `Play at ${JSON.stringify(box)} is wholly on the first screen`);
          assert.match(await play.getAttribute("aria-label"), /^Play “.+”$/);
          assert.deepEqual(await axeViolations(page), []);
          if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/${name}-${width}x${height}-${colorScheme}.png` });
          if (colorScheme === "light") {
            await play.click();
            await page.waitForFunction((selector) => document.querySelector(selector).currentTime > 0.3, AUDIO[name]);
            assert.match(await play.getAttribute("aria-label"), /^Pause “.+”$/);
            await play.click();
            await page.waitForFunction((selector) => document.querySelector(selector).paused, AUDIO[name]);
          }
          assert.deepEqual(errors, []);
          await context.close();
        }
      });
    }
  }
});

describe("keyboard only", () => {
  test("Tab to a chapter, press Enter: the audio moves there and the transcript follows", async () => {
    const { page, context, errors } = await open(PAGES.episode);
    const chapters = await page.$$eval("a.chapter", (links) => links.map((a) => ({ title: a.textContent, start: parseFloat(a.dataset.start) })));
    const target = chapters[2];
    let reached = false;
    for (let presses = 0; presses < 60 && !reached; presses += 1) {
      await page.keyboard.press("Tab");
      const focused = await activeElement(page);
      reached = focused.tag === "A" && focused.text === target.title;
      if (reached) {
        const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
        assert.notEqual(outline, "none", "focus is visible");
      }
    }
    assert.ok(reached, `Tab reaches the chapter "${target.title}"`);
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => !document.getElementById("audio").seeking);
    let now = await state(page);
    assert.ok(Math.abs(now.time - target.start) < 0.6, `audio at ${now.time}, chapter starts at ${target.start}`);
    assert.equal(now.chapter, target.title);
    assert.ok(now.cueStart <= now.time + 0.06 && (now.cueEnd === null || now.time < now.cueEnd));
    // Later in the episode, the highlighted sentence is still the one being heard.
    // Paused first: a playing audio element moves on while the page is polled.
    await page.evaluate((time) => {
      const audio = document.getElementById("audio");
      audio.pause();
      audio.currentTime = time;
    }, chapters[3].start + 4.2);
    await page.waitForFunction((time) => {
      const audio = document.getElementById("audio");
      return !audio.seeking && Math.abs(audio.currentTime - time) < 0.01 && document.querySelector("button.cue.current");
    }, chapters[3].start + 4.2);
    now = await state(page);
    assert.ok(now.cueStart <= now.time + 0.06 && (now.cueEnd === null || now.time < now.cueEnd),
      `sentence starting ${now.cueStart} is highlighted at ${now.time}`);
    assert.equal(now.chapter, chapters[3].title);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("a sentence in the transcript plays from its start", async () => {
    const { page, context } = await open(PAGES.episode);
    const sentence = page.locator("button.cue").nth(12);
    const start = parseFloat(await sentence.getAttribute("data-start"));
    await sentence.focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction((time) => Math.abs(document.getElementById("audio").currentTime - time) < 0.6, start);
    assert.equal((await state(page)).cueStart, start);
    await context.close();
  });

  test("shortcuts need Alt and Shift, and can be turned off", async () => {
    const { page, context } = await open(PAGES.episode);
    await page.locator("body").click({ position: { x: 1, y: 1 } });
    for (const key of ["p", "k", "ArrowRight", "n", " "]) await page.keyboard.press(key);
    assert.equal((await state(page)).time, 0, "single keys do nothing");
    await page.keyboard.press("Alt+Shift+ArrowRight");
    await page.waitForFunction(() => document.getElementById("audio").currentTime >= 29.9);
    await page.locator("#shortcuts").uncheck();
    await page.keyboard.press("Alt+Shift+ArrowRight");
    await page.waitForTimeout(200);
    assert.ok((await state(page)).time < 31, "turned off, the shortcut does nothing");
    await context.close();
  });

  test("no focus trap: Tab runs through the whole page and out of it", async () => {
    const { page, context } = await open(PAGES.episode);
    const last = "Subscribe to";
    let reachedLast = false, leftAfterLast = false;
    for (let presses = 0; presses < 400 && !leftAfterLast; presses += 1) {
      await page.keyboard.press("Tab");
      const focused = await activeElement(page);
      if (reachedLast) leftAfterLast = !focused.text.startsWith(last);
      reachedLast = reachedLast || focused.text.startsWith(last);
    }
    assert.ok(reachedLast && leftAfterLast, "Tab reaches the last link and moves on from it");
    await context.close();
  });
});

async function seekTo(page, time) {
  await page.evaluate((seconds) => {
    const audio = document.getElementById("audio");
    audio.pause();
    audio.currentTime = seconds;
  }, time);
  await page.waitForFunction((seconds) => {
    const audio = document.getElementById("audio");
    return !audio.seeking && Math.abs(audio.currentTime - seconds) < 0.01;
  }, time);
}

async function markedWord(page) {
  return page.evaluate(() => {
    const marked = CSS.highlights.get("audiogen-word");
    return marked ? Array.from(marked).map((range) => range.toString()).join(" ") : null;
  });
}

describe("word by word", () => {
  test("the word marked is the word the JSON transcript says is heard; off, none is, and it stays off", async () => {
    const { page, context, errors } = await open(PAGES.episode);
    const { segments } = await (await fetch(`${BASE}${SLUG}/transcript.json`)).json();
    const heard = segments.filter((segment) => segment.endTime - segment.startTime > 0.2);
    assert.ok(heard.length > 100, `${heard.length} timed words`);
    assert.equal(await page.isVisible("#words"), true);
    for (const fraction of [0.05, 0.3, 0.55, 0.8, 0.97]) {
      const word = heard[Math.floor(heard.length * fraction)];
      await seekTo(page, (word.startTime + word.endTime) / 2);
      await page.waitForFunction(() => CSS.highlights.has("audiogen-word"));
      assert.equal(await markedWord(page), word.body, `at ${(word.startTime + word.endTime) / 2}`);
      const sentence = await page.$eval("button.cue.current", (button) => button.textContent);
      assert.ok(sentence.split(/\s+/).includes(word.body), "inside the sentence being read");
    }
    await page.uncheck("#words");
    assert.equal(await markedWord(page), null);
    await seekTo(page, (heard[10].startTime + heard[10].endTime) / 2);
    assert.equal(await markedWord(page), null);
    await page.reload({ waitUntil: "load" });
    assert.equal(await page.isChecked("#words"), false, "switched off, it stays off");
    assert.equal(await page.$eval("#transcript", (element) => element.querySelectorAll("[aria-live], mark").length), 0,
      "nothing a screen reader would announce");
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe("the page itself", () => {
  test("no autoplay, speed control, targets at least 24 px, lang from the article", async () => {
    const { page, context } = await open(PAGES.episode);
    await page.waitForTimeout(300);
    const audio = await page.evaluate(() => ({ autoplay: document.getElementById("audio").autoplay,
      paused: document.getElementById("audio").paused, lang: document.documentElement.lang }));
    assert.deepEqual(audio, { autoplay: false, paused: true, lang: "en-us" });
    await page.selectOption("#speed", "1.5");
    assert.equal(await page.evaluate(() => document.getElementById("audio").playbackRate), 1.5);
    const small = await page.$$eval("a, button, select, input", (elements) => elements
      .filter((e) => e.offsetParent !== null)
      .map((e) => ({ name: e.textContent.trim().slice(0, 30) || e.id, box: e.getBoundingClientRect() }))
      .filter(({ box }) => box.height < 24 || box.width < 24));
    assert.deepEqual(small, []);
    await context.close();
  });

  test("text reflows at 400% zoom (320 CSS pixels wide) with no sideways scrolling", async () => {
    for (const url of Object.values(PAGES)) {
      const { page, context } = await open(url, { viewport: { width: 320, height: 256 } });
      const widths = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      assert.ok(widths[0] <= widths[1], `${url}: ${widths[0]} px of content in ${widths[1]} px`);
      await context.close();
    }
  });

  test("reduced motion turns off smooth scrolling and transitions", async () => {
    const { page, context } = await open(PAGES.episode, { reducedMotion: "reduce" });
    const styles = await page.evaluate(() => [getComputedStyle(document.documentElement).scrollBehavior,
      getComputedStyle(document.querySelector("button.cue")).transitionDuration]);
    assert.deepEqual(styles, ["auto", "0s"]);
    await context.close();
  });

  test("with JavaScript off, the audio plays natively and the transcript is all there", async () => {
    const { page, context } = await open(PAGES.episode, { javaScriptEnabled: false });
    const found = await page.evaluate(() => ({
      controls: document.getElementById("audio").controls,
      source: document.getElementById("audio").getAttribute("src"),
      sentences: document.querySelectorAll("#transcript span.cue").length,
      hiddenControls: document.querySelector(".controls").hidden,
    }));
    assert.equal(found.controls, true);
    assert.ok(found.source.endsWith(".mp3") && found.sentences > 10 && found.hiddenControls);
    await context.close();
  });
});
