#!/usr/bin/env python3
"""make-srgb-compact.py - writes sRGB-compact.icc, the PDF/A OutputIntent profile of the default template.

An ICC v2.1 display ('mntr') RGB profile with the sRGB colorants and media white point of Debian's
icc-profiles-free sRGB.icc (D50-adapted, as in that profile) and one 64-point tone curve sampled from the
IEC 61966-2.1 transfer function, shared by the three channels. Debian's profile carries three 1,024-point
curves: 6.9 KB, 2.4 KB deflated in every PDF; this one is under 500 bytes. licbill's documents draw only
DeviceGray, so the profile is the PDF/A-1 output intent, never used to convert a colour.

Run it to regenerate the file; the output is byte for byte the same each time (fixed date, no random id).
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
POINTS = 64


def s15f16(v):
    return struct.pack('>i', int(round(v * 65536)))


def xyz(x, y, z):
    return b'XYZ ' + bytes(4) + s15f16(x) + s15f16(y) + s15f16(z)


def srgb_to_linear(v):
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def curve():
    pts = [int(round(srgb_to_linear(i / (POINTS - 1)) * 65535)) for i in range(POINTS)]
    return b'curv' + bytes(4) + struct.pack('>I', POINTS) + b''.join(struct.pack('>H', p) for p in pts)


def desc(text):
    a = text.encode('ascii') + b'\0'
    # textDescriptionType: ASCII, then an empty Unicode and an empty ScriptCode description
    return b'desc' + bytes(4) + struct.pack('>I', len(a)) + a + struct.pack('>II', 0, 0) + struct.pack('>HB', 0, 0) + bytes(67)


def text(t):
    return b'text' + bytes(4) + t.encode('ascii') + b'\0'


def pad4(b):
    return b + bytes(-len(b) % 4)


def main():
    trc = curve()
    tags = [
        (b'desc', desc('sRGB IEC61966-2.1')),
        (b'cprt', text('No copyright, use freely')),
        (b'wtpt', xyz(0.9501495361328125, 1.0, 1.0882568359375)),
        (b'rXYZ', xyz(0.43585205078125, 0.222381591796875, 0.013916015625)),
        (b'gXYZ', xyz(0.3853302001953125, 0.717041015625, 0.097137451171875)),
        (b'bXYZ', xyz(0.1430206298828125, 0.0605926513671875, 0.713836669921875)),
        (b'rTRC', trc),
        (b'gTRC', trc),
        (b'bTRC', trc),
    ]
    table_len = 4 + 12 * len(tags)
    off = 128 + table_len
    entries, data, placed = [], b'', {}
    for sig, body in tags:
        if body in placed:  # the three channels share one curve
            entries.append((sig, placed[body], len(body)))
            continue
        placed[body] = off + len(data)
        entries.append((sig, off + len(data), len(body)))
        data += pad4(body)
    size = off + len(data)
    hdr = struct.pack('>I', size) + bytes(4) + bytes([2, 0x10, 0, 0]) + b'mntr' + b'RGB ' + b'XYZ '
    hdr += struct.pack('>6H', 2026, 12, 4, 0, 0, 0) + b'acsp' + bytes(4) + struct.pack('>I', 0) + bytes(8) + bytes(8)
    hdr += struct.pack('>I', 0) + s15f16(0.9642) + s15f16(1.0) + s15f16(0.8249) + bytes(4)
    hdr += bytes(128 - len(hdr))
    table = struct.pack('>I', len(tags)) + b''.join(struct.pack('>4sII', s, o, n) for s, o, n in entries)
    out = hdr + table + data
    assert len(out) == size
    with open(os.path.join(HERE, 'sRGB-compact.icc'), 'wb') as f:
        f.write(out)


if __name__ == '__main__':
    main()
