"""Cover art: the producer's image checked against Apple's rules, or one made from the title;
and the cover made small, as the web app's icons."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .. import layout

SIZE = 1400
MAX_SIZE = 3000
MARGIN = 130
# White on dark navy: a contrast ratio of about 14:1, legible at thumbnail size.
BACKGROUND = (16, 42, 67)
FOREGROUND = (255, 255, 255)
ACCENT = (255, 209, 102)


@dataclass(frozen=True)
class Cover:
    name: str
    """`cover.png` or `cover.jpg`."""
    data: bytes
    width: int
    """Its side, in pixels (covers are square)."""

    @property
    def mime_type(self) -> str:
        return "image/png" if self.name.endswith(".png") else "image/jpeg"


def cover(settings_image: str, title: str) -> Cover:
    """The show's cover: the producer's image, or one made from the title."""
    name, data = prepared(Path(settings_image)) if settings_image else (layout.cover_file("PNG"), generated(title))
    with Image.open(io.BytesIO(data)) as image:
        return Cover(name, data, image.width)


def prepared(path: Path) -> tuple[str, bytes]:
    """The producer's image (config.py has checked it against Apple's rules), made RGB and at
    most 3000 px if it needs to be."""
    data = path.read_bytes()
    image = Image.open(io.BytesIO(data))
    name = layout.cover_file(image.format)
    if image.mode == "RGB" and image.width <= MAX_SIZE:
        return name, data
    image = image.convert("RGB")
    if image.width > MAX_SIZE:
        image = image.resize((MAX_SIZE, MAX_SIZE), Image.LANCZOS)
    output = io.BytesIO()
    image.save(output, "PNG" if name.endswith("png") else "JPEG")
    return name, output.getvalue()


def icon(cover_bytes: bytes, size: int) -> bytes:
    """The cover as a square PNG of `size` pixels."""
    image = Image.open(io.BytesIO(cover_bytes)).convert("RGB").resize((size, size), Image.LANCZOS)
    output = io.BytesIO()
    image.save(output, "PNG", optimize=True)
    return output.getvalue()


def generated(title: str) -> bytes:
    """A square cover with the show's title in large white letters on dark blue."""
    image = Image.new("RGB", (SIZE, SIZE), BACKGROUND)
    draw = ImageDraw.Draw(image)
    font, lines = fitted_title(draw, title)
    line_height = font.size * 1.2
    top = (SIZE - line_height * len(lines)) / 2
    for number, line in enumerate(lines):
        draw.text((SIZE / 2, top + number * line_height), line, font=font, fill=FOREGROUND, anchor="ma")
    draw.rectangle((MARGIN, SIZE - MARGIN - 24, SIZE - MARGIN, SIZE - MARGIN), fill=ACCENT)
    output = io.BytesIO()
    image.save(output, "PNG")
    return output.getvalue()


def fitted_title(draw: ImageDraw.ImageDraw, title: str):
    """The largest font size at which the title fits the cover, and its wrapped lines."""
    width = SIZE - 2 * MARGIN
    for size in range(180, 40, -10):
        font = ImageFont.load_default(size=size)
        lines = wrap(draw, title, font, width)
        if len(lines) * size * 1.2 <= SIZE - 3 * MARGIN:
            return font, lines
    return font, lines


def wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines or [""]
