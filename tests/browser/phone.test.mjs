// The player on a listener's phone, in Debian's Chromium: lock-screen and headset controls
// (Media Session), resume, the sleep timer, keeping an episode for offline listening, the web
// app's installability, and the subscribe code read back by a real QR decoder (jsQR).
// Run by tests/test_player.py with AUDIOGEN_URL set to a served build, AUDIOGEN_SLUG to one of
// its articles, and AUDIOGEN_SERVE to the command that serves its folder (the offline test
// starts its own server, so that it can stop it).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { after, before, describe, test } from "node:test";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { chromium } from "playwright-core";
import { axeViolations } from "./axe.mjs";

const BASE = process.env.AUDIOGEN_URL;
const SLUG = process.env.AUDIOGEN_SLUG;
const EPISODE = `${BASE}${SLUG}/index.html`;

// What the operating system does when a headset button or the lock screen is pressed is to call
// the handler the page gave navigator.mediaSession; the test keeps a reference to each, to call it.
const RECORD_MEDIA_SESSION = () => {
  window.mediaSessionHandlers = {};
  window.positionStates = [];
  const session = navigator.mediaSession;
  const setActionHandler = session.setActionHandler.bind(session);
  session.setActionHandler = (action, handler) => { window.mediaSessionHandlers[action] = handler; setActionHandler(action, handler); };
  const setPositionState = session.setPositionState.bind(session);
  session.setPositionState = (state) => { window.positionStates.push(state); setPositionState(state); };
};

const LAUNCH = {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  // As on a phone, where the lock screen's play button is itself the user's gesture.
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic", "--autoplay-policy=no-user-gesture-required",
         "--mute-audio"],
};

let browser;
before(async () => { browser = await chromium.launch(LAUNCH); });
after(async () => { await browser?.close(); });

async function open(url, { context, init } = {}) {
  context = context || await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  // Anything the pages' Content-Security-Policy blocks is an error too.
  page.on("console", (message) => {
    if (message.type() === "error" && message.text().includes("Content Security Policy")) errors.push(message.text());
  });
  if (init) await page.addInitScript(init);
  await page.goto(url, { waitUntil: "load" });
  return { page, context, errors };
}


const audioTime = (page) => page.evaluate(() => document.getElementById("audio").currentTime);
const chaptersOf = (page) => page.$$eval("a.chapter", (links) => links.map((a) => ({ title: a.textContent, start: parseFloat(a.dataset.start) })));

async function seekTo(page, seconds) {
  await page.evaluate((time) => { document.getElementById("audio").currentTime = time; }, seconds);
  await page.waitForFunction((time) => Math.abs(document.getElementById("audio").currentTime - time) < 0.05
    && !document.getElementById("audio").seeking, seconds);
}

async function act(page, action, details = {}) {
  await page.evaluate(([name, more]) => window.mediaSessionHandlers[name]({ action: name, ...more }), [action, details]);
}

describe("headset, lock screen and car controls", () => {
  test("metadata, every action handler, and each action doing what it says", async () => {
    const { page, context, errors } = await open(EPISODE, { init: RECORD_MEDIA_SESSION });
    const chapters = await chaptersOf(page);
    const article = await page.$eval("h1", (h1) => h1.textContent);
    const metadata = () => page.evaluate(() => {
      const { title, artist, album, artwork } = navigator.mediaSession.metadata;
      return { title, artist, album, artwork: artwork.map((art) => art.src) };
    });
    let shown = await metadata();
    assert.deepEqual([shown.title, shown.album], [chapters[0].title, article]);
    assert.ok(shown.artist.length > 0, "the author is shown");
    for (const src of shown.artwork) {
      const response = await page.request.get(src);
      assert.equal(response.headers()["content-type"], "image/png", src);
    }
    const actions = await page.evaluate(() => Object.entries(window.mediaSessionHandlers)
      .filter(([, handler]) => typeof handler === "function").map(([name]) => name).sort());
    assert.deepEqual(actions, ["nexttrack", "pause", "play", "previoustrack", "seekbackward", "seekforward",
                               "seekto", "stop"].sort());

    await act(page, "play");
    await page.waitForFunction(() => !document.getElementById("audio").paused && navigator.mediaSession.playbackState === "playing");
    await act(page, "pause");
    await page.waitForFunction(() => document.getElementById("audio").paused && navigator.mediaSession.playbackState === "paused");

    await seekTo(page, 40);
    await act(page, "seekforward");
    assert.ok(Math.abs(await audioTime(page) - 70) < 0.05, "seek forward goes 30 seconds on");
    await act(page, "seekbackward");
    assert.ok(Math.abs(await audioTime(page) - 55) < 0.05, "seek backward goes 15 seconds back");
    await act(page, "seekforward", { seekOffset: 10 });
    assert.ok(Math.abs(await audioTime(page) - 65) < 0.05, "a device's own offset is used");
    await act(page, "seekto", { seekTime: 100.5 });
    await page.waitForFunction(() => !document.getElementById("audio").seeking);
    assert.ok(Math.abs(await audioTime(page) - 100.5) < 0.05);
    await page.waitForFunction(() => window.positionStates.length
      && Math.abs(window.positionStates.at(-1).position - 100.5) < 0.05);
    const state = await page.evaluate(() => window.positionStates.at(-1));
    assert.equal(state.duration, await page.evaluate(() => document.getElementById("audio").duration));
    assert.equal(state.playbackRate, 1);

    await seekTo(page, chapters[1].start + 1);
    await act(page, "nexttrack");
    await page.waitForFunction((start) => Math.abs(document.getElementById("audio").currentTime - start) < 0.6, chapters[2].start);
    await page.waitForFunction((title) => navigator.mediaSession.metadata.title === title, chapters[2].title);
    await act(page, "pause");
    await seekTo(page, chapters[2].start + 1);
    await act(page, "previoustrack");  // at the start of a chapter: the one before
    await page.waitForFunction((start) => Math.abs(document.getElementById("audio").currentTime - start) < 0.6, chapters[1].start);
    await act(page, "pause");
    await seekTo(page, chapters[1].start + 8);
    await act(page, "previoustrack");  // further in: back to this chapter's start
    await page.waitForFunction((start) => Math.abs(document.getElementById("audio").currentTime - start) < 0.6, chapters[1].start);
    shown = await metadata();
    assert.equal(shown.title, chapters[1].title, "the lock screen shows the chapter being heard");

    await act(page, "stop");
    await page.waitForFunction(() => document.getElementById("audio").paused && navigator.mediaSession.playbackState === "none");
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe("what the device remembers", () => {
  test("the place and speed after a reload, the played mark after the end, and forgetting them", async () => {
    const { page, context, errors } = await open(EPISODE);
    const chapters = await chaptersOf(page);
    assert.equal(await page.isVisible("#resume"), false, "nothing to resume on a first visit");
    await page.selectOption("#speed", "1.5");
    const place = chapters[3].start + 12.4;
    await seekTo(page, place);
    await page.reload({ waitUntil: "load" });

    await page.waitForFunction(() => !document.getElementById("resume").hidden);
    const offer = await page.textContent("#resume-play");
    const minutes = Math.floor(Math.floor(place) / 60), seconds = String(Math.floor(place) % 60).padStart(2, "0");
    assert.equal(offer, `Resume at ${minutes}:${seconds}, chapter 4`);
    assert.match(await page.textContent("#resume-text"), new RegExp(`chapter 4, “${chapters[3].title}”`));
    assert.ok(Math.abs(await audioTime(page) - Math.floor(place)) < 0.05, "the audio waits at that place");
    assert.equal(await page.inputValue("#speed"), "1.5");
    assert.equal(await page.evaluate(() => document.getElementById("audio").playbackRate), 1.5);
    assert.deepEqual(await axeViolations(page), [], "resumed");
    await page.click("#resume-play");
    await page.waitForFunction((time) => !document.getElementById("audio").paused
      && document.getElementById("audio").currentTime >= time, Math.floor(place));
    assert.equal(await page.isVisible("#resume"), false);

    const duration = await page.evaluate(() => document.getElementById("audio").duration);
    await seekTo(page, duration - 0.8);
    await page.evaluate(() => document.getElementById("audio").play());
    await page.waitForFunction(() => document.getElementById("audio").ended, null, { timeout: 10000 });
    const index = await open(`${BASE}index.html`, { context });
    const marks = index.page.locator(`li[data-slug="${SLUG}"] .device-marks`);
    await index.page.waitForFunction((slug) => document.querySelector(`li[data-slug="${slug}"] .device-marks`)
      .textContent === "Played", SLUG);
    await page.reload({ waitUntil: "load" });
    assert.match(await page.textContent("#resume-text"), /heard this episode to the end/);
    assert.equal(await page.isVisible("#resume-play"), false);

    await index.page.click("#forget");
    assert.match(await index.page.textContent("#device-status"), /^Forgotten/);
    await marks.waitFor({ state: "hidden" });  // the played mark is gone
    await page.reload({ waitUntil: "load" });
    assert.equal(await page.isVisible("#resume"), false);
    assert.equal(await page.inputValue("#speed"), "1");
    assert.deepEqual([...errors, ...index.errors], []);
    await context.close();
  });
});

describe("the sleep timer", () => {
  test("at the end of the chapter: it fades out, pauses before the next chapter, and says so", async () => {
    const { page, context, errors } = await open(EPISODE);
    const chapters = await chaptersOf(page);
    await page.selectOption("#sleep", "chapter");
    assert.equal(await page.getAttribute("#sleep-status", "role"), "status");
    assert.equal(await page.textContent("#sleep-status"),
      `Sleep timer set: playback will stop at the end of this chapter, “${chapters[0].title}”.`);
    assert.deepEqual(await axeViolations(page), [], "timer set");
    const end = chapters[2].start;
    await seekTo(page, end - 4);
    await page.evaluate(() => {
      window.volumes = [];
      const audio = document.getElementById("audio");
      audio.addEventListener("volumechange", () => window.volumes.push(audio.volume));
      audio.play();
    });
    await page.waitForFunction(() => document.getElementById("audio").paused, null, { timeout: 15000 });
    const stopped = await audioTime(page);
    assert.ok(stopped > end - 1 && stopped <= end + 0.05, `paused at ${stopped}, the chapter ends at ${end}`);
    const volumes = await page.evaluate(() => window.volumes);
    assert.ok(volumes.some((volume) => volume > 0.2 && volume < 0.8), `a fade, not a cut: ${volumes}`);
    assert.equal(await page.evaluate(() => document.getElementById("audio").volume), 1, "the volume is back for next time");
    assert.equal(await page.textContent("#sleep-status"), "Sleep timer: playback paused.");
    assert.equal(await page.inputValue("#sleep"), "");
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("after 15 minutes of the clock", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(EPISODE, { waitUntil: "load" });
    await page.selectOption("#sleep", "15");
    assert.match(await page.textContent("#sleep-status"), /^Sleep timer set: playback will stop in 15 minutes, at /);
    await page.evaluate(() => document.getElementById("audio").play());
    await page.waitForFunction(() => !document.getElementById("audio").paused);
    await page.clock.runFor("14:45");
    assert.equal(await page.evaluate(() => document.getElementById("audio").paused), false, "still playing");
    await page.clock.runFor("00:10");
    assert.ok(await page.evaluate(() => document.getElementById("audio").volume) < 1, "fading");
    await page.clock.runFor("00:06");
    await page.waitForFunction(() => document.getElementById("audio").paused);
    assert.equal(await page.textContent("#sleep-status"), "Sleep timer: playback paused.");
    await context.close();
  });
});

async function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => { const { port } = server.address(); server.close(() => resolve(port)); });
  });
}

async function startServer(port) {
  const [command, ...options] = JSON.parse(process.env.AUDIOGEN_SERVE);
  const server = spawn(command, [...options, "--port", String(port)], { stdio: "ignore" });
  for (let tries = 0; tries < 600; tries += 1) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/index.html`);
      if (response.ok) return server;
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  server.kill();
  throw new Error("audiogen serve did not start");
}

describe("offline", () => {
  test("installable; a kept episode loads, plays and seeks with no network; Remove frees its space", async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}/`;
    let server = await startServer(port);
    // A browser profile of its own: browsers do not install web apps in incognito contexts.
    const profile = mkdtempSync(join(tmpdir(), "audiogen-phone-"));
    const { page, context, errors } = await open(`${base}${SLUG}/index.html`,
      { context: await chromium.launchPersistentContext(profile, LAUNCH) });
    try {
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
      const cdp = await context.newCDPSession(page);
      assert.deepEqual((await cdp.send("Page.getInstallabilityErrors")).installabilityErrors, []);
      assert.deepEqual((await cdp.send("Page.getAppManifest")).errors, []);

      await page.click("#keep");
      await page.waitForFunction(() => /^Kept on this device/.test(document.getElementById("device-status").textContent));
      const kept = await page.textContent("#device-status");
      const size = parseFloat(/\(([\d.]+) MB\)/.exec(kept)[1]);
      const audioBytes = await page.evaluate(async () => (await (await fetch(document.getElementById("audio").src)).blob()).size);
      assert.ok(size >= audioBytes / 1e6 && size < audioBytes / 1e6 + 1, `${size} MB kept for ${audioBytes} bytes of audio`);
      assert.equal(await page.isVisible("#remove"), true);
      assert.equal(await page.isVisible("#keep"), false);
      assert.deepEqual(await axeViolations(page), [], "kept");
      const index = await open(base, { context });
      await index.page.waitForFunction((slug) => /^Kept for offline \([\d.]+ MB\)$/.test(
        document.querySelector(`li[data-slug="${slug}"] .device-marks`).textContent), SLUG);
      await index.page.close();

      server.kill();
      server = null;
      await context.setOffline(true);
      const ranges = [];
      page.on("response", (response) => {
        if (response.url().endsWith(".mp3")) ranges.push({ status: response.status(), fromWorker: response.fromServiceWorker() });
      });
      await page.reload({ waitUntil: "load" });
      assert.equal(await page.$eval("h1", (h1) => h1.textContent.length > 0), true, "the page loads offline");
      await page.evaluate(() => document.getElementById("audio").play());
      await page.waitForFunction(() => document.getElementById("audio").currentTime > 0.5, null, { timeout: 10000 });
      const duration = await page.evaluate(() => document.getElementById("audio").duration);
      const far = Math.floor(duration * 0.8);
      await seekTo(page, far);
      await page.waitForFunction((time) => document.getElementById("audio").currentTime > time + 0.5, far, { timeout: 10000 });
      assert.ok(ranges.some((r) => r.status === 206 && r.fromWorker), `a range answered from the device: ${JSON.stringify(ranges)}`);
      assert.equal(await page.evaluate(() => document.getElementById("audio").error), null);
      const offlineIndex = await open(base, { context });
      assert.equal(await offlineIndex.page.$eval("h1", (h1) => h1.textContent.length > 0), true, "the show's page loads offline");
      await offlineIndex.page.close();

      await page.click("#remove");
      await page.waitForFunction(() => /^Removed/.test(document.getElementById("device-status").textContent));
      assert.equal(await page.textContent("#device-status"), `Removed from this device: ${size.toFixed(1)} MB freed.`);
      const left = await page.evaluate(async () => (await caches.keys()).filter((name) => name.includes(" episode ")));
      assert.deepEqual(left, []);
      assert.deepEqual(errors, []);
    } finally {
      server?.kill();
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});

describe("one-tap subscribe", () => {
  test("the QR code on the show's page reads back as the feed's address", async () => {
    const { page, context } = await open(`${BASE}index.html`);
    const png = PNG.sync.read(await page.locator("img.qr-code").screenshot());
    const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    assert.ok(found, "a QR code is found");
    assert.equal(found.data, `${BASE}feed.xml`);
    assert.equal(await page.textContent("a.feed-address"), `${BASE}feed.xml`);
    await context.close();
  });
});
