/* audiogen web player: chapters that move playback, a transcript that follows it (the
   sentence, and the word being heard) and plays from any sentence, speed, keyboard shortcuts that need Alt+Shift and can be turned off;
   headset, lock-screen and car controls (Media Session); resume where the listener stopped;
   a sleep timer; keeping the episode for offline listening. device.js, loaded first, holds
   what the device remembers. The page works without either: native audio controls and the
   whole transcript. */
/* A Play button (the episode's, or one on the show's page): its name, text and icon say
   whether pressing it would play or pause. */
function showPlayButton(button, playing) {
  button.setAttribute("aria-label", playing ? button.dataset.pauseLabel : button.dataset.playLabel);
  button.querySelector(".play-text").textContent = window.audiogenDevice.say(playing ? "pause" : "play");
  button.querySelector(".play-icon").textContent = playing ? "❚❚" : "▶";
}

(function () {
  "use strict";
  const audio = document.getElementById("audio");
  if (!audio) return;
  const device = window.audiogenDevice;
  const episode = audio.dataset;
  const follow = document.getElementById("follow");
  const shortcuts = document.getElementById("shortcuts");
  const speed = document.getElementById("speed");
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  const SAVE_EVERY = 5;  // seconds of listening between two saves of the place
  const RESTART_WITHIN = 3;  // "previous" restarts the chapter when further into it than this
  const FADE = 10;  // seconds the sleep timer takes to fade out

  const chapters = Array.from(document.querySelectorAll("a.chapter"));
  const chapterStarts = chapters.map((link) => parseFloat(link.dataset.start));
  // Sentences become buttons, so that a keyboard or a switch can play from any of them.
  const cues = Array.from(document.querySelectorAll("span.cue")).map((span) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "cue";
    button.dataset.start = span.dataset.start;
    if (span.dataset.words) button.dataset.words = span.dataset.words;
    button.textContent = span.textContent;
    span.replaceWith(button);
    return button;
  });
  const cueStarts = cues.map((button) => parseFloat(button.dataset.start));

  function play() {
    const playing = audio.play();
    if (playing) playing.catch(() => {});
  }

  function playFrom(seconds) {
    audio.currentTime = seconds;
    play();
  }

  function lastStartedBefore(starts, time) {
    let low = 0, high = starts.length - 1, found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (starts[middle] <= time) { found = middle; low = middle + 1; } else { high = middle - 1; }
    }
    return found;
  }

  function mark(elements, previous, next, scroll) {
    if (previous === next) return next;
    if (previous >= 0) {
      elements[previous].classList.remove("current");
      elements[previous].removeAttribute("aria-current");
    }
    if (next >= 0) {
      elements[next].classList.add("current");
      elements[next].setAttribute("aria-current", "true");
      if (scroll && follow.checked && !audio.paused) {
        elements[next].scrollIntoView({ block: "nearest", behavior: reducedMotion.matches ? "auto" : "smooth" });
      }
    }
    return next;
  }

  let currentCue = -1, currentChapter = -1;
  function update() {
    // A small margin, so that a jump to a start lands in that sentence, not the one before.
    const time = audio.currentTime + 0.05;
    currentCue = mark(cues, currentCue, lastStartedBefore(cueStarts, time), true);
    const chapter = lastStartedBefore(chapterStarts, time);
    if (chapter !== currentChapter) {
      currentChapter = mark(chapters, currentChapter, chapter, false);
      showOnLockScreen();
    }
    markWord(time);
  }

  /* Word by word, inside the current sentence: a CSS Custom Highlight over the word's text, so
     the page's tree never changes and screen readers are told nothing; off when the listener
     switches it off (remembered), and where the browser has no highlights. */
  const words = document.getElementById("words");
  const WORD = "audiogen-word";
  const canMarkWords = "highlights" in CSS && typeof Highlight === "function" &&
    cues.some((button) => button.dataset.words);
  const wordStarts = cues.map((button) => (button.dataset.words || "").split(" ").filter(Boolean).map(parseFloat));
  let markedWord = "";

  function wordRange(cue, index) {
    const text = cues[cue].firstChild, found = Array.from(text.textContent.matchAll(/\S+/g));
    if (found.length !== wordStarts[cue].length) return null;  // not the words that were timed
    const range = new Range();
    range.setStart(text, found[index].index);
    range.setEnd(text, found[index].index + found[index][0].length);
    return range;
  }

  function markWord(time) {
    if (!canMarkWords) return;
    const word = words.checked && currentCue >= 0 ? lastStartedBefore(wordStarts[currentCue], time) : -1;
    const key = word >= 0 ? `${currentCue} ${word}` : "";
    if (key === markedWord) return;
    markedWord = key;
    const range = word >= 0 ? wordRange(currentCue, word) : null;
    if (range) CSS.highlights.set(WORD, new Highlight(range)); else CSS.highlights.delete(WORD);
  }

  function followWords() {
    update();
    if (!audio.paused) window.requestAnimationFrame(followWords);
  }

  if (canMarkWords) {
    document.getElementById("words-option").hidden = false;
    words.checked = device.markWords();
    words.addEventListener("change", () => {
      device.rememberMarkWords(words.checked);
      update();
    });
    audio.addEventListener("play", () => window.requestAnimationFrame(followWords));
  }

  function skip(seconds) {
    audio.currentTime = Math.min(Math.max(audio.currentTime + seconds, 0), audio.duration || Infinity);
  }

  function chapterEnd(index) {
    return index + 1 < chapterStarts.length ? chapterStarts[index + 1] : audio.duration;
  }

  function nextChapter() {
    if (currentChapter + 1 < chapters.length) playFrom(chapterStarts[currentChapter + 1]);
  }

  function previousChapter() {
    const intoChapter = audio.currentTime - (chapterStarts[currentChapter] || 0);
    const target = intoChapter > RESTART_WITHIN ? currentChapter : currentChapter - 1;
    playFrom(chapterStarts[Math.max(target, 0)]);
  }

  chapters.forEach((link) => link.addEventListener("click", (event) => {
    event.preventDefault();
    playFrom(parseFloat(link.dataset.start));
  }));
  document.querySelectorAll("a.skip-contents").forEach((link) => link.addEventListener("click", (event) => {
    event.preventDefault();
    playFrom(parseFloat(link.dataset.start));
  }));
  cues.forEach((button) => button.addEventListener("click", () => playFrom(parseFloat(button.dataset.start))));
  document.getElementById("back").addEventListener("click", () => skip(-15));
  document.getElementById("forward").addEventListener("click", () => skip(30));
  document.getElementById("previous-chapter").addEventListener("click", previousChapter);
  document.getElementById("next-chapter").addEventListener("click", nextChapter);

  /* The large Play button: its name says what it plays and whether it would play or pause. */
  const playButton = document.getElementById("play");
  playButton.addEventListener("click", () => (audio.paused ? play() : audio.pause()));
  const showPlaying = () => showPlayButton(playButton, !audio.paused);
  ["play", "pause", "ended"].forEach((name) => audio.addEventListener(name, showPlaying));
  ["timeupdate", "seeked", "loadedmetadata"].forEach((name) => audio.addEventListener(name, update));

  /* Speed, remembered for the whole show. */
  function setSpeed(rate) {
    audio.defaultPlaybackRate = audio.playbackRate = rate;
    speed.value = String(rate);
  }
  speed.addEventListener("change", () => {
    setSpeed(parseFloat(speed.value));
    device.rememberSpeed(parseFloat(speed.value));
  });
  const rememberedSpeed = device.speed();
  if (rememberedSpeed && speed.querySelector(`option[value="${rememberedSpeed}"]`)) setSpeed(rememberedSpeed);

  document.addEventListener("keydown", (event) => {
    if (!shortcuts.checked || !event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey) return;
    const actions = {
      KeyP: () => (audio.paused ? play() : audio.pause()),
      ArrowLeft: () => skip(-15),
      ArrowRight: () => skip(30),
      KeyN: nextChapter,
      KeyB: previousChapter,
    };
    if (!actions[event.code]) return;
    event.preventDefault();
    actions[event.code]();
  });

  /* Headset buttons, the lock screen and car displays: the Media Session API. */
  const session = "mediaSession" in navigator ? navigator.mediaSession : null;
  const artwork = [192, 512].map((size) => ({
    src: new URL(`../icon-${size}.png`, window.location.href).href, sizes: `${size}x${size}`, type: "image/png" }));

  function showOnLockScreen() {
    if (!session || !window.MediaMetadata) return;
    const chapter = chapters[currentChapter];
    session.metadata = new MediaMetadata({
      title: chapter ? chapter.textContent : episode.title, artist: episode.author, album: episode.title, artwork });
  }

  function showPosition() {
    if (!session || !session.setPositionState || !Number.isFinite(audio.duration)) return;
    session.setPositionState({ duration: audio.duration, playbackRate: audio.playbackRate,
                               position: Math.min(audio.currentTime, audio.duration) });
  }

  if (session) {
    const handlers = {
      play,
      pause: () => audio.pause(),
      stop: () => {
        // After the "paused" that the pause event sets, which comes later.
        if (!audio.paused) audio.addEventListener("pause", () => { session.playbackState = "none"; }, { once: true });
        else session.playbackState = "none";
        audio.pause();
      },
      seekbackward: (details) => skip(-(details.seekOffset || 15)),
      seekforward: (details) => skip(details.seekOffset || 30),
      seekto: (details) => {
        if (details.fastSeek && audio.fastSeek) audio.fastSeek(details.seekTime);
        else audio.currentTime = details.seekTime;
      },
      previoustrack: previousChapter,
      nexttrack: nextChapter,
    };
    for (const [action, handler] of Object.entries(handlers)) {
      try { session.setActionHandler(action, handler); } catch (error) { /* an action this browser lacks */ }
    }
    audio.addEventListener("play", () => { session.playbackState = "playing"; });
    audio.addEventListener("pause", () => { session.playbackState = "paused"; });
    ["loadedmetadata", "durationchange", "ratechange", "seeked", "play", "pause"]
      .forEach((name) => audio.addEventListener(name, showPosition));
  }

  /* Where the listener stopped, kept on this device and offered when they come back. */
  let savedAt = -Infinity;
  function rememberPlace() {
    if (audio.ended || audio.currentTime < SAVE_EVERY) return;
    device.remember(episode.slug, { time: Math.floor(audio.currentTime), chapter: currentChapter + 1, played: false });
    savedAt = audio.currentTime;
  }
  audio.addEventListener("timeupdate", () => {
    if (Math.abs(audio.currentTime - savedAt) >= SAVE_EVERY) rememberPlace();
  });
  ["pause", "seeked"].forEach((name) => audio.addEventListener(name, rememberPlace));
  window.addEventListener("pagehide", rememberPlace);
  audio.addEventListener("ended", () => {
    device.remember(episode.slug, { time: 0, chapter: 1, played: true });
    resume.hidden = true;
  });

  const resume = document.getElementById("resume");
  function offerResume() {
    const place = device.place(episode.slug);
    if (/[#&]t=[\d.]+/.test(window.location.hash) || !place) return;
    const resumeButton = document.getElementById("resume-play");
    const chapter = chapters[place.chapter - 1];
    const at = { time: device.clock(place.time), number: place.chapter, title: chapter && chapter.textContent };
    document.getElementById("resume-text").textContent = device.say(
      place.played ? "heardToTheEnd" : chapter ? "stoppedInChapter" : "stoppedAt", at);
    resumeButton.hidden = place.played;
    resumeButton.textContent = device.say("resumeAt", at);
    resume.hidden = false;
    if (!place.played) audio.currentTime = place.time;  // so that any play button carries on from there
  }
  document.getElementById("resume-play").addEventListener("click", () => {
    resume.hidden = true;
    playFrom(device.place(episode.slug).time);
  });
  document.getElementById("restart").addEventListener("click", () => {
    resume.hidden = true;
    playFrom(0);
  });
  document.addEventListener("audiogen:forgotten", () => { resume.hidden = true; });

  /* The sleep timer: at the end of the chapter or after some minutes, a fade, then a pause. */
  const sleep = document.getElementById("sleep");
  const sleepStatus = document.getElementById("sleep-status");
  let sleepTimer = null, fading = null, fullVolume = 1;

  function stopSleepTimer() {
    clearTimeout(sleepTimer);
    clearInterval(fading);
    if (fading) audio.volume = fullVolume;
    sleepTimer = fading = null;
  }

  function fadeOut(seconds) {
    fullVolume = audio.volume;
    const began = Date.now();
    fading = setInterval(() => {
      const left = 1 - (Date.now() - began) / (seconds * 1000);
      if (left > 0 && !audio.paused) { audio.volume = fullVolume * left; return; }
      audio.pause();
      stopSleepTimer();
      sleep.value = "";
      sleepStatus.textContent = device.say("sleepPaused");
    }, 100);
  }

  sleep.addEventListener("change", () => {
    stopSleepTimer();
    if (sleep.value === "chapter") {
      const chapter = chapters[Math.max(currentChapter, 0)];
      sleepStatus.textContent = device.say("sleepAtChapterEnd", { title: chapter.textContent });
    } else if (sleep.value) {
      const minutes = parseInt(sleep.value, 10);
      const at = device.timeOfDay(new Date(Date.now() + minutes * 60000));
      sleepStatus.textContent = device.say("sleepInMinutes", { minutes, time: at });
      sleepTimer = setTimeout(() => fadeOut(FADE), (minutes * 60 - FADE) * 1000);
    } else {
      sleepStatus.textContent = device.say("sleepOff");
    }
  });
  audio.addEventListener("timeupdate", () => {
    if (sleep.value !== "chapter" || fading || audio.paused || currentChapter < 0) return;
    const left = (chapterEnd(currentChapter) - audio.currentTime) / audio.playbackRate;
    if (left <= FADE) fadeOut(Math.max(left - 0.25, 0));
  });

  /* Keeping this episode on the device for listening with no network. */
  const keepButton = document.getElementById("keep");
  const removeButton = document.getElementById("remove");
  const deviceStatus = document.getElementById("device-status");
  const keptFiles = ["./", "index.html", audio.getAttribute("src"), "transcript.vtt"]
    .map((name) => new URL(name, window.location.href).href);

  function showKept(copy) {
    keepButton.hidden = Boolean(copy);
    removeButton.hidden = !copy;
    if (copy) deviceStatus.textContent = device.say("kept", { size: device.megabytes(copy.bytes) });
  }

  async function keepEpisode(reason) {
    keepButton.disabled = true;
    deviceStatus.textContent = reason;
    try {
      showKept({ bytes: await device.keep(episode.slug, episode.version, keptFiles) });
    } catch (error) {
      deviceStatus.textContent = device.say(error.name === "QuotaExceededError" ? "noSpace" : "networkFailed");
    }
    keepButton.disabled = false;
  }

  if (device.canKeep) {
    keepButton.addEventListener("click", () => keepEpisode(device.say("keeping")));
    removeButton.addEventListener("click", async () => {
      const freed = await device.remove(episode.slug);
      showKept(null);
      deviceStatus.textContent = device.say("removed", { size: device.megabytes(freed) });
      keepButton.focus();
    });
    device.keptCopy(episode.slug).then((copy) => {
      showKept(copy);
      if (copy && copy.version !== episode.version && navigator.onLine) {
        keepEpisode(device.say("updating"));
      }
    });
  }

  const start = /[#&]t=([\d.]+)/.exec(window.location.hash);
  if (start) audio.currentTime = parseFloat(start[1]);
  offerResume();
  update();
  showOnLockScreen();
}());

/* The show's page: a Play button per episode, newest first. One episode plays at a time, in the
   page's own audio element, whose controls appear with the episode's title once one is chosen. */
(function () {
  "use strict";
  const audio = document.getElementById("show-audio");
  if (!audio) return;
  const buttons = Array.from(document.querySelectorAll("button.play-episode"));
  const nowPlaying = document.getElementById("now-playing");
  let chosen = null;


  buttons.forEach((button) => button.addEventListener("click", () => {
    if (button === chosen && !audio.paused) {
      audio.pause();
      return;
    }
    if (button !== chosen) {
      chosen = button;
      audio.src = button.dataset.src;
      document.getElementById("now-playing-title").textContent = window.audiogenDevice.say(
        "nowPlaying", { title: button.dataset.title });
      nowPlaying.hidden = false;
    }
    const playing = audio.play();
    if (playing) playing.catch(() => {});
  }));
  ["play", "pause", "ended"].forEach((name) => audio.addEventListener(name, () => buttons.forEach(
    (button) => showPlayButton(button, button === chosen && !audio.paused))));
}());
