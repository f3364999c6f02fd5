/* What this device keeps for the listener, on both pages: where they stopped in each episode,
   which they heard to the end, their speed (in localStorage), and the episodes kept for
   offline listening (in the Cache API, answered by sw.js). Nothing is sent anywhere.
   Everything is kept per show, by the show's address, so two shows on one site stay apart.
   It also holds what both pages write in the page's language: its messages, sizes and times. */
(function () {
  "use strict";
  const manifestLink = document.querySelector('link[rel="manifest"]');
  const root = new URL(".", manifestLink ? manifestLink.href : window.location.href).href;
  const prefix = `audiogen ${root} `;
  const episodeCaches = `${prefix}episode `;
  const canKeep = "serviceWorker" in navigator && "caches" in window && window.isSecureContext;

  function stored(key) {
    try { return JSON.parse(window.localStorage.getItem(prefix + key)); } catch (error) { return null; }
  }
  function store(key, value) {
    try { window.localStorage.setItem(prefix + key, JSON.stringify(value)); } catch (error) { /* storage off or full */ }
  }
  function forget() {
    try {
      Object.keys(window.localStorage).filter((key) => key.startsWith(prefix))
        .forEach((key) => window.localStorage.removeItem(key));
    } catch (error) { /* storage off */ }
  }

  async function bytesIn(cache) {
    let total = 0;
    for (const request of await cache.keys()) total += (await (await cache.match(request)).blob()).size;
    return total;
  }

  /* The kept copy of an episode: {name, version, bytes}, or null. */
  async function keptCopy(slug) {
    if (!canKeep) return null;
    const name = (await caches.keys()).find((key) => key.startsWith(`${episodeCaches}${slug} `));
    if (!name) return null;
    return { name, version: name.slice(`${episodeCaches}${slug} `.length), bytes: await bytesIn(await caches.open(name)) };
  }

  /* Store `urls` (the episode's page, audio and transcript) as the copy of `version`; any older
     copy goes once this one is whole. Returns the bytes kept. */
  async function keep(slug, version, urls) {
    const name = `${episodeCaches}${slug} ${version}`;
    const cache = await caches.open(name);
    try {
      await cache.addAll(urls);
    } catch (error) {
      await caches.delete(name);
      throw error;
    }
    for (const key of await caches.keys()) {
      if (key.startsWith(`${episodeCaches}${slug} `) && key !== name) await caches.delete(key);
    }
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
    return bytesIn(cache);
  }

  /* Remove the kept copy of an episode; returns the bytes freed. */
  async function remove(slug) {
    const copy = await keptCopy(slug);
    if (!copy) return 0;
    await caches.delete(copy.name);
    return copy.bytes;
  }

  const language = document.documentElement.lang || undefined;
  const messages = JSON.parse(document.getElementById("messages").textContent);

  /* A message of the page (messages.html), each {name} in it replaced by values[name]. */
  function say(name, values = {}) {
    return messages[name].replace(/\{(\w+)\}/g, (whole, key) => values[key]);
  }

  function megabytes(bytes) {
    const size = new Intl.NumberFormat(language, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    return `${size.format(bytes / 1e6)} MB`;
  }

  function timeOfDay(date) {
    return date.toLocaleTimeString(language, { hour: "numeric", minute: "2-digit" });
  }

  function clock(seconds) {
    const whole = Math.floor(seconds), hours = Math.floor(whole / 3600);
    const minutes = Math.floor((whole % 3600) / 60), rest = String(whole % 60).padStart(2, "0");
    return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
  }

  window.audiogenDevice = {
    canKeep, keptCopy, keep, remove, say, megabytes, clock, timeOfDay,
    place: (slug) => stored(`place ${slug}`),
    remember: (slug, place) => store(`place ${slug}`, place),
    speed: () => stored("speed"),
    rememberSpeed: (rate) => store("speed", rate),
    markWords: () => stored("words") !== false,
    rememberMarkWords: (on) => store("words", on),
  };

  document.querySelectorAll("[data-needs-script]").forEach((element) => { element.hidden = false; });
  document.querySelectorAll(canKeep ? "[data-needs-offline]" : "[data-no-offline]")
    .forEach((element) => { element.hidden = false; });
  if (canKeep) navigator.serviceWorker.register(`${root}sw.js`).catch(() => {});

  /* The index page: what the device knows of each episode, next to it. */
  async function markEpisodes() {
    for (const item of document.querySelectorAll("li[data-slug]")) {
      const slug = item.dataset.slug, place = stored(`place ${slug}`), kept = await keptCopy(slug);
      const marks = [];
      if (place && place.played) marks.push(say("played"));
      else if (place && place.time) marks.push(say("stoppedMark", { time: clock(place.time), number: place.chapter }));
      if (kept) marks.push(say("keptMark", { size: megabytes(kept.bytes) }));
      const shown = item.querySelector(".device-marks");
      shown.textContent = marks.join(" · ");
      shown.hidden = !marks.length;
    }
  }

  const status = document.getElementById("device-status");
  const forgetButton = document.getElementById("forget");
  if (forgetButton) {
    forgetButton.addEventListener("click", () => {
      forget();
      status.textContent = say("forgotten");
      document.dispatchEvent(new CustomEvent("audiogen:forgotten"));
      markEpisodes();
    });
  }
  markEpisodes();
}());
