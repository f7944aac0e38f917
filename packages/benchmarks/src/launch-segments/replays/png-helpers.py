# Shared by the stdlib replays of launch-segments and anomaly-days: the A/B stdlib replay's raster,
# 5x7 bitmap font and PNG writer (tests/fixtures/replays/stdlib-correct/5-charts.py), unchanged.
W, H = 800, 600
LEFT, RIGHT, TOP, BOTTOM = 90, 760, 70, 510
COLORS = {'A': (31, 119, 180), 'B': (255, 127, 14)}
# A 5x7 bitmap font (upper case, digits, a little punctuation): each glyph is its character, then
# 7 rows as hex bytes whose low 5 bits are the pixels, left to right.
GLYPHS = (
    'A0e11111f111111B1e11111e11111eC0e11101010110eD1e11111111111eE1f10101e10101fF1f10101e101010'
    'G0e11101711110fH1111111f111111I0e04040404040eJ0702020202120cK11121418141211L1010101010101f'
    'M111b1515111111N11111915131111O0e11111111110eP1e11111e101010Q0e11111115120dR1e11111e141211'
    'S0f10100e01011eT1f040404040404U1111111111110eV11111111110a04W1111111515150aX11110a040a1111'
    'Y11110a04040404Z1f01020408101f00e11131519110e1040c040404040e20e11010204081f31f02040201110e'
    '402060a121f020251f101e0101110e60608101e11110e71f01020408080880e11110e11110e90e11110f01020c'
    '-0000001f000000(02040808080402)08040202020408,000000000c0408.00000000000c0c/00010204081000'
    '%18190204081303+0004041f040400=00001f001f0000:000c0c000c0c00?0e110102040004'
)
FONT = {GLYPHS[i]: bytes.fromhex(GLYPHS[i + 1:i + 15]) for i in range(0, len(GLYPHS), 15)}


def canvas():
    return bytearray(b'\xff' * (W * H * 3))


def fill(px, x0, y0, x1, y1, rgb):
    x0, x1 = max(0, min(x0, x1)), min(W, max(x0, x1))
    y0, y1 = max(0, min(y0, y1)), min(H, max(y0, y1))
    for y in range(y0, y1):
        px[(y * W + x0) * 3:(y * W + x1) * 3] = bytes(rgb) * (x1 - x0)


def text_width(s, scale=2):
    return (len(s) * 6 - 1) * scale


def text(px, x, y, s, scale=2, rgb=(0, 0, 0), vertical=False):
    """Draws s from (x, y), its top left; vertical: bottom to top, (x, y) its bottom left."""
    for i, ch in enumerate(s.upper()):
        rows = FONT.get(ch, bytes(7))
        for r in range(7):
            for c in range(5):
                if rows[r] >> (4 - c) & 1:
                    gx, gy = (i * 6 + c) * scale, r * scale
                    if vertical:
                        fill(px, x + gy, y - gx - scale, x + gy + scale, y - gx, rgb)
                    else:
                        fill(px, x + gx, y + gy, x + gx + scale, y + gy + scale, rgb)


def axes(px, title, xlabel, ylabel):
    fill(px, LEFT, TOP, LEFT + 2, BOTTOM, (0, 0, 0))
    fill(px, LEFT, BOTTOM - 2, RIGHT, BOTTOM, (0, 0, 0))
    text(px, (W - text_width(title, 2)) // 2, 20, title, 2)
    text(px, (LEFT + RIGHT - text_width(xlabel, 2)) // 2, BOTTOM + 45, xlabel, 2)
    text(px, 20, (TOP + BOTTOM + text_width(ylabel, 2)) // 2, ylabel, 2, vertical=True)


def legend(px, entries):
    """Colour swatches and names, top right inside the plot."""
    for k, (name, rgb) in enumerate(entries):
        y = TOP + 10 + k * 26
        x = RIGHT - 20 - text_width(name, 2) - 26
        fill(px, x, y, x + 16, y + 16, rgb)
        text(px, x + 24, y + 2, name, 2)


def tick(px, x, y, label, axis):
    """A tick mark and its label: below the x axis, or left of the y axis."""
    if axis == 'x':
        fill(px, x - 1, BOTTOM, x + 1, BOTTOM + 6, (0, 0, 0))
        text(px, x - text_width(label, 2) // 2, BOTTOM + 12, label, 2)
    else:
        fill(px, LEFT - 6, y - 1, LEFT, y + 1, (0, 0, 0))
        text(px, LEFT - 10 - text_width(label, 2), y - 7, label, 2)


def write_png(path, px, title, xlabel, ylabel):
    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))
    raw = b''.join(b'\x00' + bytes(px[y * W * 3:(y + 1) * W * 3]) for y in range(H))
    text = b''.join(chunk(b'tEXt', k.encode('latin-1') + b'\x00' + v.encode('latin-1', 'replace'))
                    for k, v in (('Title', title), ('X-Label', xlabel), ('Y-Label', ylabel)))
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', W, H, 8, 2, 0, 0, 0)) + text
                + chunk(b'IDAT', zlib.compress(raw, 6)) + chunk(b'IEND', b''))
