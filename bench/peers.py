#!/usr/bin/python3
"""peers.py - the same invoice page drawn by licbill's peers: ReportLab, and an HTML page for headless Chromium.

Usage: peers.py OPS_FILE reportlab N FONT_DIR   draw the page N times with ReportLab (DejaVu Sans embedded,
                                                 subset, as licbill does); print "reportlab: N pages, S seconds"
       peers.py OPS_FILE html PAGES FONT_DIR OUT  write OUT: the page PAGES times as HTML for print-to-PDF

OPS_FILE is `floor --dump PDF PAGE`: one drawing operation a line, as licbill's own page has them
(operator, six numbers, a bold flag, then the text of a Tj)."""
import io
import sys
import time


def read_ops(path):
    ops = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split(" ", 8)
            a = [float(x) for x in parts[1:7]]
            ops.append((parts[0], a, parts[7] == "1", parts[8] if len(parts) > 8 else ""))
    return ops


def walk(ops, text, path):
    """Replay the operations: text(x, y, size, bold, gray, s, rotated) and path(kind, args, state)."""
    tx = ty = 0.0
    size, bold, gray, rot = 10.0, False, 0.0, False
    for op, a, b, s in ops:
        if op == "BT":
            tx = ty = 0.0
            rot = False
        elif op == "Tf":
            size, bold = a[0], b
        elif op == "Td":
            tx += a[0]
            ty += a[1]
        elif op == "Tm":
            tx, ty, rot = a[4], a[5], a[0] == 0
        elif op == "g":
            gray = a[0]
            path(op, a)  # the fill of shapes too
        elif op == "Tj":
            text(tx, ty, size, bold, gray, s, rot)
        else:
            path(op, a)


def reportlab(ops, n, fontdir):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(TTFont("DejaVu", fontdir + "/DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont("DejaVu-Bold", fontdir + "/DejaVuSans-Bold.ttf"))
    start = time.perf_counter()
    for _ in range(n):
        out = io.BytesIO()
        c = canvas.Canvas(out, pagesize=(595.276, 841.89), pageCompression=1)
        p = [None]

        def text(x, y, size, bold, gray, s, rot):
            c.setFont("DejaVu-Bold" if bold else "DejaVu", size)
            c.setFillGray(gray)
            if rot:
                c.saveState()
                c.translate(x, y)
                c.rotate(90)
                c.drawString(0, 0, s)
                c.restoreState()
            else:
                c.drawString(x, y, s)

        def path(op, a):
            if op in ("m", "l", "re") and p[0] is None:
                p[0] = c.beginPath()
            if op == "m":
                p[0].moveTo(a[0], a[1])
            elif op == "l":
                p[0].lineTo(a[0], a[1])
            elif op == "re":
                p[0].rect(a[0], a[1], a[2], a[3])
            elif op in ("S", "f", "B", "n"):
                if p[0] is not None:
                    c.drawPath(p[0], stroke=op in ("S", "B"), fill=op in ("f", "B"))
                p[0] = None
            elif op == "W":
                if p[0] is not None:
                    c.clipPath(p[0], stroke=0, fill=0)
                p[0] = None
            elif op == "G":
                c.setStrokeGray(a[0])
            elif op == "w":
                c.setLineWidth(a[0])
            elif op == "d":
                c.setDash([a[0], a[1]] if a[5] > 0 else [])
            elif op == "q":
                c.saveState()
            elif op == "Q":
                c.restoreState()

        walk(ops, text, path)
        c.showPage()
        c.save()
    spent = time.perf_counter() - start
    print("reportlab: %d pages, %.3f seconds" % (n, spent))


def html(ops, pages, fontdir, out):
    spans, svg = [], []
    cur = []

    def esc(s):
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def text(x, y, size, bold, gray, s, rot):
        g = int(gray * 255)
        style = "left:%.2fpt;top:%.2fpt;font-size:%.2fpt;color:rgb(%d,%d,%d)" % (
            x, 841.89 - y - size * 0.93, size, g, g, g)
        if bold:
            style += ";font-weight:bold"
        if rot:
            style += ";transform:rotate(-90deg);transform-origin:0 %.2fpt" % (size * 0.93)
        spans.append('<span style="%s">%s</span>' % (style, esc(s)))

    state = {"g": 0, "G": 0, "w": 1}

    def path(op, a):
        if op in ("g", "G", "w"):
            state[op] = a[0]
        elif op in ("m", "l"):
            cur.append("%s%.2f %.2f" % ("M" if op == "m" else "L", a[0], 841.89 - a[1]))
        elif op == "re":
            cur.append("M%.2f %.2fh%.2fv%.2fh%.2fz" % (a[0], 841.89 - a[1], a[2], -a[3], -a[2]))
        elif op in ("S", "f", "B"):
            fill = "rgb(%d,%d,%d)" % ((int(state["g"] * 255),) * 3) if op in ("f", "B") else "none"
            stroke = "rgb(%d,%d,%d)" % ((int(state["G"] * 255),) * 3) if op in ("S", "B") else "none"
            svg.append('<path d="%s" fill="%s" stroke="%s" stroke-width="%.2f"/>' % ("".join(cur), fill, stroke, state["w"]))
            cur.clear()
        elif op == "n":
            cur.clear()

    walk(ops, text, path)
    page = ('<div class="p"><svg width="595.276pt" height="841.89pt" viewBox="0 0 595.276 841.89">%s</svg>%s</div>'
            % ("".join(svg), "".join(spans)))
    with open(out, "w", encoding="utf-8") as f:
        f.write("<!doctype html><html><head><meta charset=\"utf-8\"><style>"
                "@font-face{font-family:DejaVu;src:url('file://%s/DejaVuSans.ttf')}"
                "@font-face{font-family:DejaVu;font-weight:bold;src:url('file://%s/DejaVuSans-Bold.ttf')}"
                "@page{size:595.276pt 841.89pt;margin:0}body{margin:0;font-family:DejaVu}"
                ".p{position:relative;width:595.276pt;height:841.89pt;overflow:hidden;page-break-after:always}"
                ".p svg{position:absolute;left:0;top:0}.p span{position:absolute;white-space:pre}"
                "</style></head><body>" % (fontdir, fontdir))
        for _ in range(pages):
            f.write(page)
        f.write("</body></html>\n")


def main():
    ops = read_ops(sys.argv[1])
    if sys.argv[2] == "reportlab":
        reportlab(ops, int(sys.argv[3]), sys.argv[4])
    elif sys.argv[2] == "html":
        html(ops, int(sys.argv[3]), sys.argv[4], sys.argv[5])


if __name__ == "__main__":
    main()
