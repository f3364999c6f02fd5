/* audiogen web player: chapters that move playback, a transcript that follows it and plays
   from any sentence, speed, and keyboard shortcuts that need Alt+Shift and can be turned off.
   The page works without it: native audio controls and the whole transcript. */
(function () {
  "use strict";
  const audio = document.getElementById("audio");
  if (!audio) return;
  const follow = document.getElementById("follow");
  const shortcuts = document.getElementById("shortcuts");
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  document.querySelectorAll("[data-needs-script]").forEach((element) => { element.hidden = false; });

  const chapters = Array.from(document.querySelectorAll("a.chapter"));
  const chapterStarts = chapters.map((link) => parseFloat(link.dataset.start));
  // Sentences become buttons, so that a keyboard or a switch can play from any of them.
  const cues = Array.from(document.querySelectorAll("span.cue")).map((span) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "cue";
    button.dataset.start = span.dataset.start;
    button.textContent = span.textContent;
    span.replaceWith(button);
    return button;
  });
  const cueStarts = cues.map((button) => parseFloat(button.dataset.start));

  function playFrom(seconds) {
    audio.currentTime = seconds;
    const playing = audio.play();
    if (playing) playing.catch(() => {});
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
    currentChapter = mark(chapters, currentChapter, lastStartedBefore(chapterStarts, time), false);
  }

  function skip(seconds) {
    audio.currentTime = Math.min(Math.max(audio.currentTime + seconds, 0), audio.duration || Infinity);
  }

  function chapterBy(step) {
    const target = Math.min(Math.max(currentChapter + step, 0), chapters.length - 1);
    playFrom(chapterStarts[target]);
  }

  chapters.forEach((link) => link.addEventListener("click", (event) => {
    event.preventDefault();
    playFrom(parseFloat(link.dataset.start));
  }));
  cues.forEach((button) => button.addEventListener("click", () => playFrom(parseFloat(button.dataset.start))));
  document.getElementById("back").addEventListener("click", () => skip(-15));
  document.getElementById("forward").addEventListener("click", () => skip(30));
  document.getElementById("speed").addEventListener("change", (event) => {
    audio.playbackRate = parseFloat(event.target.value);
  });
  ["timeupdate", "seeked", "loadedmetadata"].forEach((name) => audio.addEventListener(name, update));

  document.addEventListener("keydown", (event) => {
    if (!shortcuts.checked || !event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey) return;
    const actions = {
      KeyP: () => (audio.paused ? audio.play().catch(() => {}) : audio.pause()),
      ArrowLeft: () => skip(-15),
      ArrowRight: () => skip(30),
      KeyN: () => chapterBy(1),
      KeyB: () => chapterBy(-1),
    };
    if (!actions[event.code]) return;
    event.preventDefault();
    actions[event.code]();
  });

  const start = /[#&]t=([\d.]+)/.exec(window.location.hash);
  if (start) audio.currentTime = parseFloat(start[1]);
  update();
}());
