#!/usr/bin/env python3
"""Draw CareerGuide's icons with the standard library alone: public/favicon.ico (16, 32 and 48 px,
served at /favicon.ico by WhiteNoise), static/icons/icon.svg and
apple-touch-icon.png (180 px). The mark: two columns side by side, as in a comparison, white on the
header's navy, over a bar in the focus yellow. Run it again after changing the drawing; the output
is committed and the same on every run."""

import struct
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAVY = (0x0F, 0x2F, 0x5C)
WHITE = (0xFF, 0xFF, 0xFF)
YELLOW = (0xFF, 0xBF, 0x47)
# Shapes on a 64 x 64 grid: (left, top, right, bottom, colour), drawn in order over the navy.
SHAPES = [
    (14, 22, 29, 46, WHITE),
    (35, 12, 50, 46, WHITE),
    (14, 50, 50, 55, YELLOW),
]
SAMPLES = 4  # per pixel side, for smooth edges at small sizes


def pixels(size: int) -> list[list[tuple[int, int, int]]]:
    rows = []
    step = 64 / size / SAMPLES
    for y in range(size):
        row = []
        for x in range(size):
            total = [0, 0, 0]
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    gx = (x * SAMPLES + sx + 0.5) * step
                    gy = (y * SAMPLES + sy + 0.5) * step
                    colour = NAVY
                    for left, top, right, bottom, fill in SHAPES:
                        if left <= gx < right and top <= gy < bottom:
                            colour = fill
                    total = [t + c for t, c in zip(total, colour, strict=True)]
            row.append(tuple(round(t / SAMPLES**2) for t in total))
        rows.append(row)
    return rows


def png(size: int) -> bytes:
    raw = b"".join(b"\0" + bytes(c for pixel in row for c in pixel) for row in pixels(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def ico(sizes: list[int]) -> bytes:
    """An .ico of PNG images, which every browser in use reads."""
    images = [png(size) for size in sizes]
    offset = 6 + 16 * len(images)
    head = struct.pack("<HHH", 0, 1, len(images))
    entries = b""
    for size, image in zip(sizes, images, strict=True):
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(image), offset)
        offset += len(image)
    return head + entries + b"".join(images)


def svg() -> str:
    hex_ = "#{:02x}{:02x}{:02x}".format
    rects = "".join(
        f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" '
        f'fill="{hex_(*fill)}"/>'
        for left, top, right, bottom, fill in SHAPES
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
        f'<rect width="64" height="64" rx="10" fill="{hex_(*NAVY)}"/>{rects}</svg>\n'
    )


def main() -> None:
    (ROOT / "public/favicon.ico").write_bytes(ico([16, 32, 48]))
    icons = ROOT / "static/icons"
    icons.mkdir(parents=True, exist_ok=True)
    (icons / "icon.svg").write_text(svg())
    (icons / "apple-touch-icon.png").write_bytes(png(180))


if __name__ == "__main__":
    main()
