"""A Piper (VITS) voice run in two parts, so that its memory does not grow with the sentence.

Stock Piper runs the whole model on a whole sentence; its HiFi-GAN decoder's
activations are the largest part of that, and onnxruntime's arena keeps what the
longest sentence needed. Here the model is cut at the decoder's input: the encoder,
flow and duration predictor run on the whole sentence (they are small), and the
decoder runs over chunks of CHUNK_FRAMES latent frames with CONTEXT_FRAMES of real
context on each side, cut off afterwards. The decoder sees about 10 frames either
way (with 8 of context the joins differ from stock by up to 33 in 32767, with 10 by
0.02), so with 12 the audio equals stock Piper's to within float rounding, at every
join. Measured on a 3,000-word text (docs/performance.md): a window of 152 frames
keeps the sample's build at 267 MB where 232 frames took 310 MB and stock Piper
560-650 MB, for 2% more CPU; 124 frames saved 8 MB more for 10% more CPU.

The two parts are made once per voice (`onnx.utils.Extractor`, about half a second)
and kept beside the speech cache. A voice that cannot be cut (another architecture,
or a model without the decoder's usual node name) runs whole, as before.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ...files import atomic_path

DECODER_FIRST_NODE = "/dec/conv_pre/Conv"
"""The decoder's first convolution in Piper's exported VITS graphs; its input is the latent."""
CHUNK_FRAMES = 128
CONTEXT_FRAMES = 12
PARTS = ("encoder.onnx", "decoder.onnx")


class SplitSession:
    """Stands in for Piper's onnxruntime session: `run` gives the same audio, in bounded memory."""

    def __init__(self, encoder, decoder, latent: str, shared: list[str]):
        self.encoder = encoder
        self.decoder = decoder
        self.latent = latent
        self.shared = shared
        """Inputs the decoder needs too (a multi-speaker voice's speaker id)."""

    def run(self, output_names, inputs: dict) -> list[np.ndarray]:
        latent = self.encoder.run([self.latent], inputs)[0]
        frames = latent.shape[2]
        pieces = []
        for start in range(0, frames, CHUNK_FRAMES):
            end = min(start + CHUNK_FRAMES, frames)
            first, last = max(start - CONTEXT_FRAMES, 0), min(end + CONTEXT_FRAMES, frames)
            feed = {self.latent: latent[:, :, first:last], **{name: inputs[name] for name in self.shared}}
            audio = self.decoder.run(None, feed)[0].reshape(-1)
            hop = len(audio) // (last - first)
            pieces.append(audio[(start - first) * hop:(end - first) * hop])
        return [np.concatenate(pieces).reshape(1, 1, -1)]


def parts(model: Path, folder: Path) -> tuple[Path, Path, str, list[str]] | None:
    """The voice's two parts (made once and kept in `folder`), the latent's name and the inputs
    the decoder shares; None for a voice that cannot be cut."""
    import onnx
    import onnx.utils

    names = folder / "names.txt"
    encoder, decoder = (folder / part for part in PARTS)
    if names.is_file() and encoder.is_file() and decoder.is_file():
        latent, *shared = names.read_text().split()
        return encoder, decoder, latent, shared
    graph = onnx.load(str(model))
    first = next((node for node in graph.graph.node if node.name == DECODER_FIRST_NODE), None)
    if first is None:
        return None
    inputs = [item.name for item in graph.graph.input]
    latent, shared = first.input[0], [name for name in inputs if name == "sid"]
    try:
        extractor = onnx.utils.Extractor(graph)
        halves = (extractor.extract_model(inputs, [latent]),
                  extractor.extract_model([latent, *shared], [graph.graph.output[0].name]))
    except Exception:  # onnx raises its own types for graphs it cannot cut there
        return None
    for path, half in zip((encoder, decoder), halves):
        with atomic_path(path) as temporary:
            onnx.save(half, str(temporary))
    with atomic_path(names) as temporary:
        temporary.write_text(" ".join([latent, *shared]))
    return encoder, decoder, latent, shared
