#!/usr/bin/env python3
"""pdfa_check.py - the PDF/A-1b clauses licbill's PDFs rely on, checked from `qpdf --json` (Debian has no PDF/A validator).

Usage: pdfa_check.py FONT.ttf PDF...   (FONT.ttf: the template's regular font, whose glyph count a subset is under)
Prints one line per broken clause, "PDF: clause: what"; exit 1 when any. Clauses (ISO 19005-1):
  6.1.2  header %PDF-1.4 with a binary comment        6.1.3  trailer /ID of two equal 16-byte strings; no /Encrypt
  6.3.4  every font embedded (FontFile2)              6.3.5  subsets tagged ABCDEF+, the same name everywhere, and
         a CIDSet that lists the CIDs the font program holds (each CID shown, CID 0)
  6.3.8  a ToUnicode CMap of bfchar/bfrange only, parseable, covering every CID shown
  6.2.2  one GTS_PDFA1 OutputIntent with an ICC v2 RGB DestOutputProfile, /N 3
  6.7.2/6.7.3  an unfiltered XMP metadata stream with pdfaid part 1 conformance B whose values equal the Info entries
  6.5.3  annotations printable (F 4), no Hidden/NoView
  CIDFontType2: CIDSystemInfo Adobe/Identity matching Identity-H, CIDToGIDMap present, /W covers the CIDs shown."""
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


def parse_tounicode(cmap):
    """{cid: unicode text} from bfchar/bfrange blocks; raises on anything else."""
    m = {}
    body = cmap.decode("latin-1")
    if "begincidrange" in body or "begincmap" not in body or "endcmap" not in body:
        raise ValueError("not a ToUnicode CMap of bfchar/bfrange")
    for count, kind, block in re.findall(r"(\d+) begin(bfchar|bfrange)\n(.*?)\nend\2", body, re.S):
        n = int(count)
        lines = block.split("\n")
        if len(lines) != n or n > 100:
            raise ValueError("a %s block says %d entries and has %d" % (kind, n, len(lines)))
        for ln in lines:
            h = re.fullmatch(r"<([0-9A-F]{4})> <([0-9A-F]{4})>" + (r" <([0-9A-F]{4})>" if kind == "bfrange" else ""), ln)
            if not h:
                raise ValueError("cannot read %r" % ln)
            if kind == "bfchar":
                m[int(h.group(1), 16)] = chr(int(h.group(2), 16))
            else:
                lo, hi, dst = (int(x, 16) for x in h.groups())
                if hi < lo or (lo >> 8) != (hi >> 8):
                    raise ValueError("bad bfrange %r" % ln)
                for c in range(lo, hi + 1):
                    m[c] = chr(dst + c - lo)
    return m


def shown_cids(doc, fontref):
    """The CIDs the pages show in font fontref: Tj strings after a Tf that selects it."""
    cids = set()
    for o in doc.objs.values():
        d = o.get("value")
        if not isinstance(d, dict) or d.get("/Type") != "/Page":
            continue
        fonts = doc.val(doc.val(d["/Resources"]).get("/Font", {}))
        names = {k for k, v in fonts.items() if v == fontref}
        contents = d["/Contents"]
        for ref in contents if isinstance(contents, list) else [contents]:
            cur = None
            for tok in re.finditer(rb"/(\w+) [\d.]+ Tf|<([0-9a-fA-F]*)> Tj", doc.data(ref)):
                if tok.group(1):
                    cur = tok.group(1).decode()
                elif "/" + str(cur) in names:
                    h = tok.group(2).decode()
                    cids.update(int(h[i:i + 4], 16) for i in range(0, len(h), 4))
    return cids


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
        if f.get("/Subtype") != "/Type0" or f.get("/Encoding") != "/Identity-H":
            doc.bad("fonts", "%s is not a Type0 Identity-H font" % ref)
            continue
        cid = doc.val(f["/DescendantFonts"][0])
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
        shown = shown_cids(doc, ref)
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
                missing = [c for c in shown if c not in m]
                if missing:
                    doc.bad("6.3.8", "%s: ToUnicode lacks CIDs %s" % (ref, missing[:5]))
                wrong = [c for c in shown if c in m and not 0xD800 <= c <= 0xDFFF and m[c] != chr(c)]
                if wrong:
                    doc.bad("6.3.8", "%s: ToUnicode maps CIDs %s to other characters" % (ref, wrong[:5]))
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
