#!/usr/bin/env python3
"""pdfa_check.py - the PDF/A-1b clauses licbill's PDFs rely on, checked from `qpdf --json` (Debian has no PDF/A validator).

Usage: pdfa_check.py FONT.ttf PDF...   (FONT.ttf: the template's regular font, whose glyph count a subset is under)
Prints one line per broken clause, "PDF: clause: what"; exit 1 when any. Clauses (ISO 19005-1):
  6.1.2  header %PDF-1.4 with a binary comment        6.1.3  trailer /ID of two equal 16-byte strings; no /Encrypt
  6.3.4  every font embedded (FontFile2)              6.3.5  subsets tagged ABCDEF+, the same name everywhere, and
         a CIDSet that lists the CIDs the font program holds (each CID shown, CID 0)
  6.3.8  a ToUnicode CMap of bfchar/bfrange only, parseable, covering every code shown with its CID's character
  6.3.3.1 the /Encoding an embedded CMap (Type CMap, CMapName, WMode 0 as in its program, CIDSystemInfo
         Adobe/Identity as the CIDFont's) of code space <00>-<7F>, <8000>-<FFFF> mapping every code shown
  6.2.2  one GTS_PDFA1 OutputIntent with an ICC v2 RGB DestOutputProfile, /N 3
  6.7.2/6.7.3  an unfiltered XMP metadata stream with pdfaid part 1 conformance B whose values equal the Info entries
  6.5.3  annotations printable (F 4), no Hidden/NoView
  CIDFontType2: CIDSystemInfo Adobe/Identity, CIDToGIDMap present, /W covers the CIDs shown."""
import json
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "dc": "http://purl.org/dc/elements/1.1/",
      "xmp": "http://ns.adobe.com/xap/1.0/", "pdf": "http://ns.adobe.com/pdf/1.3/",
      "pdfaid": "http://www.aiim.org/pdfa/ns/id/"}


def load(path):
    out = subprocess.run(["qpdf", "--json=2", "--json-stream-data=inline", "--decode-level=generalized", path],
                         check=True, capture_output=True).stdout
    return json.loads(out)["qpdf"]


def text_of(v):
    """A PDF string in qpdf's JSON: u:text, b:hex or plain."""
    if isinstance(v, str) and v.startswith("u:"):
        return v[2:]
    if isinstance(v, str) and v.startswith("b:"):
        b = bytes.fromhex(v[2:])
        return b[2:].decode("utf-16-be") if b[:2] == b"\xfe\xff" else b.decode("latin-1")
    return v


class Doc:
    def __init__(self, path):
        self.path = path
        q = load(path)
        self.trailer = q[1]["trailer"]["value"]
        self.objs = {k[4:]: v for k, v in q[1].items() if k.startswith("obj:")}
        self.problems = []

    def get(self, ref):
        o = self.objs.get(ref) if isinstance(ref, str) else None
        return o if o is not None else {"value": ref}

    def val(self, ref):
        o = self.get(ref)
        return o["stream"]["dict"] if "stream" in o else o.get("value")

    def data(self, ref):
        import base64
        return base64.b64decode(self.get(ref)["stream"]["data"])

    def bad(self, clause, what):
        self.problems.append("%s: %s: %s" % (self.path, clause, what))


CODE_SPACE = "2 begincodespacerange\n<00> <7F>\n<8000> <FFFF>\nendcodespacerange"


def split_codes(data):
    """The codes of a string shown: one byte below 0x80, else two (the fonts' code space)."""
    codes, i = [], 0
    while i < len(data):
        if data[i] < 0x80:
            codes.append(bytes(data[i:i + 1]))
            i += 1
        else:
            codes.append(bytes(data[i:i + 2]))
            i += 2
    return codes


def parse_cmap(cmap, kinds):
    """{code bytes: value} from the blocks of kinds (bfchar/bfrange: the value a character; cidchar/cidrange:
    a CID); raises on anything it cannot read."""
    m = {}
    body = cmap.decode("latin-1")
    if "begincmap" not in body or "endcmap" not in body:
        raise ValueError("not a CMap")
    if CODE_SPACE not in body:
        raise ValueError("code space is not <00>-<7F>, <8000>-<FFFF>")
    other = {"bfchar", "bfrange", "cidchar", "cidrange"} - set(kinds)
    if any(("begin" + k) in body for k in other):
        raise ValueError("holds %s blocks" % "/".join(sorted(k for k in other if ("begin" + k) in body)))
    for count, kind, block in re.findall(r"(\d+) begin(%s)\n(.*?)\nend\2" % "|".join(kinds), body, re.S):
        n = int(count)
        lines = block.split("\n")
        if len(lines) != n or n > 100:
            raise ValueError("a %s block says %d entries and has %d" % (kind, n, len(lines)))
        for ln in lines:
            val = r" <([0-9A-F]{4})>" if kind.startswith("bf") else r" (\d+)"
            h = re.fullmatch(r"<((?:[0-9A-F]{2}){1,2})>" + (r" <((?:[0-9A-F]{2}){1,2})>" if kind.endswith("range") else "")
                             + val, ln)
            if not h:
                raise ValueError("cannot read %r" % ln)
            conv = (lambda v, k: chr(int(v, 16) + k)) if kind.startswith("bf") else (lambda v, k: int(v) + k)
            lo = bytes.fromhex(h.group(1))
            if kind.endswith("char"):
                m[lo] = conv(h.group(2), 0)
            else:
                hi = bytes.fromhex(h.group(2))
                if len(lo) != len(hi) or lo[:-1] != hi[:-1] or hi[-1] < lo[-1]:
                    raise ValueError("bad %s %r" % (kind, ln))
                for k in range(hi[-1] - lo[-1] + 1):
                    m[lo[:-1] + bytes([lo[-1] + k])] = conv(h.group(3), k)
    return m


def parse_tounicode(cmap):
    """{code bytes: unicode text} from bfchar/bfrange blocks; raises on anything else."""
    return parse_cmap(cmap, ["bfchar", "bfrange"])


def literal(data, i):
    """The bytes of the literal string starting after '(' at data[i:], and the index after its ')'."""
    out, depth = bytearray(), 0
    esc = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
    while True:
        c = data[i]
        if c == 0x5C:
            d = data[i + 1]
            if d in esc:
                out.append(esc[d])
                i += 2
            elif 0x30 <= d <= 0x37:
                j = i + 1
                while j < i + 4 and 0x30 <= data[j] <= 0x37:
                    j += 1
                out.append(int(data[i + 1:j], 8) & 0xFF)
                i = j
            else:
                out.append(d)
                i += 2
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            if depth == 0:
                return bytes(out), i + 1
            depth -= 1
        out.append(c)
        i += 1


def shown_strings(doc, fontref):
    """The strings the pages show in font fontref: Tj operands after a Tf that selects it."""
    shown = []
    for o in doc.objs.values():
        d = o.get("value")
        if not isinstance(d, dict) or d.get("/Type") != "/Page":
            continue
        fonts = doc.val(doc.val(d["/Resources"]).get("/Font", {}))
        names = {k for k, v in fonts.items() if v == fontref}
        contents = d["/Contents"]
        for ref in contents if isinstance(contents, list) else [contents]:
            data, cur, i = doc.data(ref), None, 0
            tf = re.compile(rb"/(\w+) [\d.]+ Tf")
            while i < len(data):
                m = tf.match(data, i)
                if m:
                    cur = m.group(1).decode()
                    i = m.end()
                    continue
                if data[i] == 0x28:
                    s, i = literal(data, i + 1)
                    if data[i:i + 3] == b" Tj" and "/" + str(cur) in names:
                        shown.append(s)
                    continue
                if data[i] == 0x3C and data[i + 1:i + 2] != b"<":
                    j = data.index(b">", i)
                    if data[j + 1:j + 4] == b" Tj" and "/" + str(cur) in names:
                        shown.append(bytes.fromhex(data[i + 1:j].decode()))
                    i = j + 1
                    continue
                i += 1
    return shown


def check_fonts(doc, full_glyphs):
    fonts = {}
    for o in doc.objs.values():
        d = o.get("value")
        if isinstance(d, dict) and d.get("/Type") == "/Page":
            for ref in doc.val(doc.val(d["/Resources"]).get("/Font", {})).values():
                fonts[ref] = doc.val(ref)
    if not fonts:
        doc.bad("6.3.4", "no fonts")
    for ref, f in fonts.items():
        if f.get("/Subtype") != "/Type0" or not isinstance(f.get("/Encoding"), str) or \
                "stream" not in doc.get(f["/Encoding"]):
            doc.bad("fonts", "%s is not a Type0 font with an embedded CMap" % ref)
            continue
        cid = doc.val(f["/DescendantFonts"][0])
        enc = doc.val(f["/Encoding"])
        esys = doc.val(enc.get("/CIDSystemInfo", {}))
        csys = doc.val(cid.get("/CIDSystemInfo", {}))
        try:
            prog_cmap = doc.data(f["/Encoding"])
            encoding = parse_cmap(prog_cmap, ["cidchar", "cidrange"])
            wm = re.search(rb"/WMode (\d+) def", prog_cmap)
            if enc.get("/Type") != "/CMap" or not str(enc.get("/CMapName", "")).startswith("/") or \
                    enc.get("/WMode", 0) != 0 or (wm and int(wm.group(1)) != 0) or \
                    [text_of(esys.get(k)) for k in ("/Registry", "/Ordering")] != \
                    [text_of(csys.get(k)) for k in ("/Registry", "/Ordering")] or \
                    esys.get("/Supplement") != csys.get("/Supplement"):
                doc.bad("6.3.3.1", "%s: /Encoding CMap dictionary: Type, CMapName, WMode 0 or CIDSystemInfo as the "
                        "CIDFont's missing" % ref)
        except ValueError as e:
            doc.bad("6.3.3.1", "%s: /Encoding CMap unreadable: %s" % (ref, e))
            continue
        codes = {c for st in shown_strings(doc, ref) for c in split_codes(st)}
        unmapped = sorted(c.hex() for c in codes if c not in encoding)
        if unmapped:
            doc.bad("6.3.3.1", "%s: codes shown that the /Encoding CMap does not map: %s" % (ref, unmapped[:5]))
        desc = doc.val(cid["/FontDescriptor"])
        name = f["/BaseFont"]
        if not re.fullmatch(r"/[A-Z]{6}\+[!-~]+", name) or cid.get("/BaseFont") != name or desc.get("/FontName") != name:
            doc.bad("6.3.5", "%s: subset name %s not tagged or not the same in font, CIDFont and descriptor" % (ref, name))
        info = doc.val(cid.get("/CIDSystemInfo", {}))
        if cid.get("/Subtype") != "/CIDFontType2" or text_of(info.get("/Registry")) != "Adobe" or \
                text_of(info.get("/Ordering")) != "Identity":
            doc.bad("CIDFont", "%s: not CIDFontType2 with CIDSystemInfo Adobe/Identity" % ref)
        if "/FontFile2" not in desc or "/Length1" not in doc.val(desc["/FontFile2"]):
            doc.bad("6.3.4", "%s: no embedded FontFile2 with Length1" % ref)
            continue
        prog = doc.data(desc["/FontFile2"])
        tables = {prog[12 + 16 * i:16 + 16 * i]: struct.unpack(">II", prog[20 + 16 * i:28 + 16 * i])
                  for i in range(struct.unpack(">H", prog[4:6])[0])}
        if b"maxp" not in tables or b"glyf" not in tables:
            doc.bad("6.3.4", "%s: the font program has no maxp or glyf table" % ref)
            continue
        off = tables[b"maxp"][0]
        nglyphs = struct.unpack(">H", prog[off + 4:off + 6])[0]
        shown = {encoding[c] for c in codes if c in encoding}
        if not nglyphs < full_glyphs:
            doc.bad("6.3.5", "%s: declared a subset but holds %d glyphs, the full font %d" % (ref, nglyphs, full_glyphs))
        gidmap = doc.data(cid["/CIDToGIDMap"]) if "/CIDToGIDMap" in cid else b""
        for c in shown:
            g = struct.unpack(">H", gidmap[2 * c:2 * c + 2])[0] if 2 * c + 2 <= len(gidmap) else -1
            if g < 0 or g >= nglyphs:
                doc.bad("CIDFont", "%s: CID %d maps to glyph %d, the program has %d" % (ref, c, g, nglyphs))
        widths = set()
        w = cid.get("/W", [])
        i = 0
        while i + 1 < len(w):
            widths.update(range(int(w[i]), int(w[i]) + len(w[i + 1])))
            i += 2
        if not shown <= widths:
            doc.bad("CIDFont", "%s: /W lacks CIDs %s" % (ref, sorted(shown - widths)[:5]))
        if "/CIDSet" not in desc:
            doc.bad("6.3.5", "%s: subset without CIDSet" % ref)
        else:
            cs = doc.data(desc["/CIDSet"])
            bits = {8 * i + k for i, b in enumerate(cs) for k in range(8) if b & (0x80 >> k)}
            if bits != shown | {0}:
                doc.bad("6.3.5", "%s: CIDSet lists %d CIDs, the program holds the %d shown and CID 0"
                        % (ref, len(bits), len(shown | {0})))
        if "/ToUnicode" not in f:
            doc.bad("6.3.8", "%s: no ToUnicode" % ref)
        else:
            try:
                m = parse_tounicode(doc.data(f["/ToUnicode"]))
                missing = sorted(c.hex() for c in codes if c not in m)
                if missing:
                    doc.bad("6.3.8", "%s: ToUnicode lacks codes %s" % (ref, missing[:5]))
                # a CID is its character's BMP code; a surrogate (from CESU-style bytes) reads as U+FFFD
                wrong = sorted(c.hex() for c in codes if c in m and c in encoding and
                               m[c] != (chr(encoding[c]) if not 0xD800 <= encoding[c] <= 0xDFFF else "\ufffd"))
                if wrong:
                    doc.bad("6.3.8", "%s: ToUnicode maps codes %s to other characters than their CIDs'" % (ref, wrong[:5]))
            except ValueError as e:
                doc.bad("6.3.8", "%s: ToUnicode unreadable: %s" % (ref, e))


def pdf_date(s):
    m = re.fullmatch(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z.*", s or "")
    return "%s-%s-%sT%s:%s:%sZ" % m.groups() if m else None


def check_metadata(doc, raw):
    cat = doc.val(doc.trailer["/Root"])
    info = doc.val(doc.trailer.get("/Info", {})) or {}
    if "/Metadata" not in cat:
        doc.bad("6.7.2", "no XMP metadata")
        return
    meta = doc.get(cat["/Metadata"])["stream"]["dict"]
    if "/Filter" in meta or meta.get("/Subtype") != "/XML":
        doc.bad("6.7.2", "the metadata stream is filtered or not /Subtype /XML")
    xmp = doc.data(cat["/Metadata"])
    if b"bytes=" in xmp[:200] or b'<?xpacket begin=' not in xmp:
        doc.bad("6.7.5", "the XMP packet header is missing or has a bytes attribute")
    root = ET.fromstring(xmp[xmp.index(b"<x:xmpmeta"):xmp.rindex(b"</x:xmpmeta>") + 12])

    def one(path):
        e = root.find(".//" + path, NS)
        return e.text if e is not None else None
    if one("pdfaid:part") != "1" or one("pdfaid:conformance") != "B":
        doc.bad("6.7.11", "no pdfaid part 1 conformance B")
    pairs = [("/Title", "dc:title/rdf:Alt/rdf:li"), ("/Author", "dc:creator/rdf:Seq/rdf:li"),
             ("/Subject", "dc:description/rdf:Alt/rdf:li"), ("/Keywords", "pdf:Keywords"),
             ("/Creator", "xmp:CreatorTool"), ("/Producer", "pdf:Producer")]
    for key, path in pairs:
        if key in info and text_of(info[key]) != one(path):
            doc.bad("6.7.3", "Info %s %r, XMP %s %r" % (key, text_of(info[key]), path, one(path)))
    if "/CreationDate" in info and pdf_date(text_of(info["/CreationDate"])) != one("xmp:CreateDate"):
        doc.bad("6.7.3", "Info /CreationDate %s, XMP %s" % (text_of(info["/CreationDate"]), one("xmp:CreateDate")))
    intents = doc.val(cat.get("/OutputIntents", []))
    if len(intents) != 1:
        doc.bad("6.2.2", "%d OutputIntents, expected one" % len(intents))
    for ref in intents:
        oi = doc.val(ref)
        prof = doc.data(oi["/DestOutputProfile"]) if "/DestOutputProfile" in oi else b""
        if oi.get("/S") != "/GTS_PDFA1" or "/OutputConditionIdentifier" not in oi:
            doc.bad("6.2.2", "the OutputIntent is not GTS_PDFA1 with an OutputConditionIdentifier")
        if len(prof) < 132 or prof[36:40] != b"acsp" or prof[8] != 2 or prof[16:20] != b"RGB " or \
                doc.val(oi["/DestOutputProfile"]).get("/N") != 3:
            doc.bad("6.2.2", "the DestOutputProfile is not an ICC v2 RGB profile with /N 3")
    if not raw.startswith(b"%PDF-1.4\n") or not all(b >= 128 for b in raw.split(b"\n")[1][1:5]):
        doc.bad("6.1.2", "the header is not %PDF-1.4 followed by a comment of four binary bytes")
    ids = doc.trailer.get("/ID", [])
    if len(ids) != 2 or ids[0] != ids[1] or not ids[0].startswith("b:") or len(ids[0]) != 34 or set(ids[0][2:]) == {"0"}:
        doc.bad("6.1.3", "the trailer /ID is not two equal 16-byte strings from the content: %s" % ids)
    if "/Encrypt" in doc.trailer:
        doc.bad("6.1.3", "encrypted")
    for o in doc.objs.values():
        d = o.get("value")
        if isinstance(d, dict) and d.get("/Type") == "/Annot" and (int(d.get("/F", 0)) & 0x27) != 4:
            doc.bad("6.5.3", "an annotation without the Print flag or with Hidden/Invisible/NoView")


def glyph_count(path):
    with open(path, "rb") as f:
        prog = f.read()
    for i in range(struct.unpack(">H", prog[4:6])[0]):
        if prog[12 + 16 * i:16 + 16 * i] == b"maxp":
            off = struct.unpack(">I", prog[20 + 16 * i:24 + 16 * i])[0]
            return struct.unpack(">H", prog[off + 4:off + 6])[0]
    return 0


def main():
    full = glyph_count(sys.argv[1])
    problems = []
    for path in sys.argv[2:]:
        doc = Doc(path)
        with open(path, "rb") as f:
            raw = f.read()
        check_metadata(doc, raw)
        check_fonts(doc, full)
        problems += doc.problems
    for p in problems:
        print(p)
    print("pdfa_check: %d PDFs, %d problems" % (len(sys.argv) - 2, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
