"""A Piper voice as audiogen runs it: whole for short sentences, in two parts for long ones,
telling how long each phoneme lasts either way.

Piper's VITS voices spend their memory in the HiFi-GAN decoder, whose activations grow
with the sentence: the whole voice peaks near 0.55 MB per phoneme above its 144 MB at rest
(measured on the bundled voice: 181 MB for 65 phonemes, 311 MB for 301, 485 MB for 613).
A sentence of up to WHOLE_PHONEMES runs whole, as stock Piper runs it. A longer one runs
in two parts: the encoder, flow and duration predictor on the whole sentence, then the
decoder over windows of CHUNK_FRAMES latent frames with CONTEXT_FRAMES of real context on
each side, cut off afterwards (its receptive field is about ±11 frames), so that its
memory stays flat (241 MB for 613 phonemes, 265 MB for 911): the same audio, within the
last bit. Windowing costs some 5% of the decoder's time, which is why short sentences do
without it; the threshold is where the whole voice's peak passes what the windowed voice
takes for the longest sentence audiogen sends it (docs/performance.md has the curve).

Both run with the duration predictor's output (`w_ceil`, frames per phoneme) as a second
output, which Piper turns into phoneme alignments and audiogen into word timings. The
models are made from the voice file once, into a folder of the user's data (not the
cache, which `audiogen clean` empties): the whole one with Piper's own
`add_alignment_output` when the voice is first used, the parts (`onnx.utils.Extractor`)
only when a sentence first needs them. A voice that cannot be cut (another architecture)
runs whole, windowless, for every sentence.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

import numpy as np

from ...files import atomic_path

DECODER_FIRST_NODE = "/dec/conv_pre/Conv"
"""The decoder's first convolution in Piper's exported VITS graphs; its input is the latent."""
WHOLE_PHONEMES = 100
"""Phoneme ids (Piper's, pads included) up to which a sentence runs whole."""
CHUNK_FRAMES = 128
CONTEXT_FRAMES = 12
TIMED = "timed.onnx"
PARTS = ("encoder.onnx", "decoder.onnx", "names.txt")


class SplitSession:
    """Stands in for Piper's onnxruntime session: `run` gives the same audio, in bounded memory,
    and the frames of each phoneme."""

    def __init__(self, encoder, decoder, latent: str, shared: list[str]):
        self.encoder = encoder
        self.decoder = decoder
        self.latent = latent
        self.shared = shared
        """Inputs the decoder needs too (a multi-speaker voice's speaker id)."""

    def run(self, output_names, inputs: dict, run_options=None) -> list[np.ndarray]:
        latent, durations = self.encoder.run(None, inputs, run_options)
        frames = latent.shape[2]
        window = CHUNK_FRAMES if inputs["input"].shape[1] > WHOLE_PHONEMES else frames
        pieces = []
        for start in range(0, frames, window):
            end = min(start + window, frames)
            first, last = max(start - CONTEXT_FRAMES, 0), min(end + CONTEXT_FRAMES, frames)
            feed = {self.latent: latent[:, :, first:last], **{name: inputs[name] for name in self.shared}}
            audio = self.decoder.run(None, feed, run_options)[0].reshape(-1)
            hop = len(audio) // (last - first)
            pieces.append(audio[(start - first) * hop:(end - first) * hop])
        return [np.concatenate(pieces).reshape(1, 1, -1), durations]


class ChoosingSession:
    """Piper's session for a voice, loaded when first run: the voice whole until a long sentence
    comes; then its parts (made and loaded only then) in place of the whole voice, whose memory
    goes first, so that the process never holds both. The parts run a short sentence's decoder
    in one window, as fast as the whole voice. `use_parts` loads the parts from the start when a
    long sentence is known to be coming: loading the whole voice only to let it go costs time,
    and its memory is not all given back (30-40 MB more at the sample's switch). Sentences may
    be run from two threads at once; loading and switching are done by one of them."""

    def __init__(self, whole: Callable[[], object], parts: Callable[[], SplitSession | None]):
        self.load_whole, self.load_parts = whole, parts
        self.session = None
        self.split = False
        self.choosing = threading.RLock()
        self.resting = None
        """Run options that give back the working memory, for the run that `rest` makes."""

    @property
    def loaded(self) -> bool:
        return self.session is not None

    def run(self, output_names, inputs: dict) -> list[np.ndarray]:
        with self.choosing:
            if not self.split and inputs["input"].shape[1] > WHOLE_PHONEMES:
                self.use_parts()
            elif self.session is None:
                self.session = self.load_whole()
            session = self.session
        return session.run(None, inputs, self.resting)

    def rest(self, speak_pads: Callable[[], object]) -> None:
        """Give back the working memory that the longest sentences took, when nothing is being
        spoken: onnxruntime frees its arena's unused chunks only at the end of a run asked to,
        so `speak_pads` makes a run of a few pads (measured: 267 to 164 MB after the sample)."""
        import onnxruntime

        with self.choosing:
            if self.session is None:
                return
            self.resting = onnxruntime.RunOptions()
            self.resting.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
            try:
                speak_pads()
            finally:
                self.resting = None

    def use_parts(self) -> None:
        with self.choosing:
            self.split, self.session = True, None
            self.session = self.load_parts() or self.load_whole()  # a voice that cannot be cut runs whole


def timed(model: Path, folder: Path) -> Path:
    """The voice whole, with its phonemes' durations as a second output (made once)."""
    path = folder / TIMED
    if path.is_file():
        return path
    import onnx
    from piper.patch_voice_with_alignment import add_alignment_output

    graph = onnx.load(str(model))
    if len(graph.graph.output) == 1:
        add_alignment_output(graph)
    with atomic_path(path) as temporary:
        onnx.save(graph, str(temporary))
    return path


def parts(model: Path, folder: Path) -> tuple[Path, Path, str, list[str]] | None:
    """The voice's two parts (made once and kept in `folder`), the latent's name and the inputs
    the decoder shares; None for a voice that cannot be cut."""
    encoder, decoder, names = (folder / part for part in PARTS)
    if names.is_file() and encoder.is_file() and decoder.is_file():
        latent, *shared = names.read_text().split()
        return encoder, decoder, latent, shared
    import onnx
    import onnx.utils

    graph = onnx.load(str(timed(model, folder)))
    first = next((node for node in graph.graph.node if node.name == DECODER_FIRST_NODE), None)
    if first is None or len(graph.graph.output) < 2:
        return None
    inputs = [item.name for item in graph.graph.input]
    latent, shared = first.input[0], [name for name in inputs if name == "sid"]
    try:
        extractor = onnx.utils.Extractor(graph)
        halves = (extractor.extract_model(inputs, [latent, graph.graph.output[1].name]),
                  extractor.extract_model([latent, *shared], [graph.graph.output[0].name]))
    except Exception:  # onnx raises its own types for graphs it cannot cut there
        return None
    for path, half in zip((encoder, decoder), halves):
        with atomic_path(path) as temporary:
            onnx.save(half, str(temporary))
    with atomic_path(names) as temporary:
        temporary.write_text(" ".join([latent, *shared]))
    return encoder, decoder, latent, shared
