#!/usr/bin/env python3
"""gen_archetypes.py - turn the sample's customers from C1006 up into the C tables gen clones.

Usage: python3 scripts/gen_archetypes.py SAMPLE_DIR > build/gen/batch/gen_archetypes.c
(the GNUmakefile runs it at build time whenever the sample changes; the output is never checked in)

Every customer of SAMPLE_DIR/customers.csv numbered C1006 or above is an
archetype: its rows of customers, machines, licenses, support, usage and
scrt/received.csv and its SCRT report files become templates in which the
customer id, the machine serials and every date are placeholders (see
batch/gen_archetypes.h for the placeholder codes). The shared rows they
need follow: the products they license or measure (with their parent
products), every price row of those products and of price-only products
(such as OTHER), the Value Unit Exhibits of those products, the tax rows of
their tax regions and the whole machine_models.csv. Rows for products,
books, exhibits and tax regions that gen writes itself are dropped by
batch/gen_mix.c when it writes the set, against gen's own tables.

The output depends only on the sample's bytes: same sample, same file.
The script stops with a message when the sample breaks an assumption the
generator relies on (a customer with more than 8 machines, a serial used
without a machines.csv row, a Reporting Period whose day count is wrong).
"""

import csv
import os
import re
import sys
from datetime import date, timedelta

FIRST_ARCHETYPE = 1006
MAX_MACHINES = 8  # GEN_MAX_MACHINES: serials come from gen's (customer, machine) bijection
TEMPLATE_MONTH = (2026, 11)  # the billing month the sample is written for

CUSTOMER_FILES = ["customers.csv", "machines.csv", "licenses.csv", "support.csv", "usage.csv",
                  "scrt/received.csv"]
SHARED_FILES = ["products.csv", "prices.csv", "value_units.csv", "taxes.csv", "machine_models.csv"]
LICENSE_ID_COLS = {"license_id", "feature_of", "replaces"}

ESC = "\x01"
RE_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
RE_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
RE_HOUR = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2})$")
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
RE_SCRT_DATE = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r"), (\d{4})\b")
RE_PERIOD = re.compile(r"(\d{1,2} (?:" + "|".join(MONTHS) + r"), \d{4}) - (\d{1,2} (?:" + "|".join(MONTHS) +
                       r"), \d{4}) inclusive \((\d+) days\)")


def die(msg):
    sys.stderr.write("gen_archetypes.py: %s\n" % msg)
    sys.exit(1)


def read_csv(path, required=True):
    """(header, rows) of a CSV file; ([], []) for a missing optional file."""
    if not os.path.exists(path):
        if required:
            die("%s: missing" % path)
        return [], []
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = [r for r in csv.reader(f) if r and any(c != "" for c in r)]
    if not rows:
        return [], []
    header, body = rows[0], rows[1:]
    for i, r in enumerate(body):
        if len(r) > len(header):
            die("%s line %d: %d cells, the header has %d" % (path, i + 2, len(r), len(header)))
        r.extend([""] * (len(header) - len(r)))
    return header, body


class Bounds:
    """Earliest and latest month (y*12+m-1) of the dates and months put into templates."""

    def __init__(self):
        self.lo = None
        self.hi = None

    def see(self, y, m):
        v = y * 12 + m - 1
        self.lo = v if self.lo is None else min(self.lo, v)
        self.hi = v if self.hi is None else max(self.hi, v)


def real_date(text, y, m, d):
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        die("'%s' looks like a date but is not one" % text)


def template_dates(value, bounds):
    """A cell whose whole value is a date, a month or an hour stamp becomes a placeholder."""
    m = RE_DATE.match(value)
    if m:
        real_date(value, *m.groups())
        bounds.see(int(m.group(1)), int(m.group(2)))
        return ESC + "D" + value
    m = RE_HOUR.match(value)
    if m:
        d = RE_DATE.match(m.group(1))
        real_date(value, *d.groups())
        bounds.see(int(d.group(1)), int(d.group(2)))
        return ESC + "D" + m.group(1) + "T" + m.group(2)
    m = RE_MONTH.match(value)
    if m and 1 <= int(m.group(2)) <= 12:
        bounds.see(int(m.group(1)), int(m.group(2)))
        return ESC + "M" + value
    return value


def scrt_iso(text):
    m = RE_SCRT_DATE.fullmatch(text)
    return real_date(text, m.group(3), MONTHS.index(m.group(2)) + 1, m.group(1))


def template_scrt(text, cust_id, serials, bounds, where):
    """The bytes of an SCRT report (decoded 1:1 as Latin-1) as a template."""
    def period(m):
        a, b = scrt_iso(m.group(1)), scrt_iso(m.group(2))
        if (b - a).days + 1 != int(m.group(3)):
            die("%s: Reporting Period '%s' counts %s days, expected %d" % (where, m.group(0), m.group(3),
                                                                           (b - a).days + 1))
        return "%s - %s inclusive (%sN%s%s days)" % (m.group(1), m.group(2), ESC, a.isoformat(), b.isoformat())

    text = RE_PERIOD.sub(period, text)

    def scrt_date(m):
        d = real_date(m.group(0), m.group(3), MONTHS.index(m.group(2)) + 1, m.group(1))
        bounds.see(d.year, d.month)
        return ESC + "T" + d.isoformat()

    text = RE_SCRT_DATE.sub(scrt_date, text)
    text = re.sub(r"(?<![A-Za-z0-9])" + re.escape(cust_id) + r"(?![A-Za-z0-9])", ESC + "C", text)
    for k, s in enumerate(serials):
        text = re.sub(r"(?<![A-Za-z0-9-])" + re.escape(s) + r"(?![A-Za-z0-9])", ESC + "S" + chr(48 + k), text)
    return text


def c_string(s):
    """C string literals of the text's bytes (Latin-1 decoded), one per line of the text."""
    out, pieces = [], []
    for ch in s:
        o = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "?":
            out.append("\\?")  # no trigraphs
        elif ch == "\n":
            out.append("\\n")
            pieces.append("".join(out))
            out = []
        elif 32 <= o < 127:
            out.append(ch)
        else:
            out.append("\\%03o" % o)
    if out or not pieces:
        pieces.append("".join(out))
    return "\n   ".join('"%s"' % p for p in pieces)


def c_cell(s):
    """A cell: UTF-8 text, placeholders as octal escapes."""
    out = []
    for b in s.encode("utf-8"):
        ch = chr(b)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "?":
            out.append("\\?")
        elif 32 <= b < 127:
            out.append(ch)
        else:
            out.append("\\%03o" % b)
    return '"%s"' % "".join(out)


def main():
    if len(sys.argv) != 2:
        die("usage: gen_archetypes.py SAMPLE_DIR > build/gen/batch/gen_archetypes.c")
    sample = sys.argv[1]
    bounds = Bounds()

    files = {}
    for name in CUSTOMER_FILES:
        files[name] = read_csv(os.path.join(sample, name), required=name in ("customers.csv", "machines.csv",
                                                                               "licenses.csv"))
    shared = {}
    for name in SHARED_FILES:
        shared[name] = read_csv(os.path.join(sample, name), required=name != "machine_models.csv")

    def col(name, column):
        header = files[name][0] if name in files else shared[name][0]
        if column not in header:
            die("%s has no column %s" % (name, column))
        return header.index(column)

    ids = []
    for r in files["customers.csv"][1]:
        m = re.fullmatch(r"C(\d+)", r[col("customers.csv", "customer_id")])
        if m and int(m.group(1)) >= FIRST_ARCHETYPE:
            ids.append((int(m.group(1)), r[0]))
    ids.sort()

    scrt_dir = os.path.join(sample, "scrt")
    scrt_names = sorted(n for n in os.listdir(scrt_dir) if n.endswith(".csv") and n != "received.csv") \
        if os.path.isdir(scrt_dir) else []

    archetypes = []
    products_needed = set()
    regions_needed = set()
    for _, cid in ids:
        digits = cid[1:]
        mac_h, mac_rows = files["machines.csv"]
        serials = []
        for r in mac_rows:
            if r[col("machines.csv", "customer_id")] == cid and r[col("machines.csv", "serial")] not in serials:
                serials.append(r[col("machines.csv", "serial")])
        if len(serials) > MAX_MACHINES:
            die("customer %s has %d machines, the generator gives an archetype at most %d" % (cid, len(serials),
                                                                                            MAX_MACHINES))
        tables = []
        for name in CUSTOMER_FILES:
            header, rows = files[name]
            if name == "scrt/received.csv":
                mine = [r for r in rows if header and r[col(name, "serial")] in serials]
            else:
                mine = [r for r in rows if header and r[col(name, "customer_id")] == cid]
            cells = []
            for r in mine:
                for h, v in zip(header, r):
                    if h == "customer_id":
                        v = ESC + "C"
                    elif h == "serial":
                        if v not in serials:
                            die("%s: customer %s names machine %s, which is not in its machines.csv rows" %
                                (name, cid, v))
                        v = ESC + "S" + chr(48 + serials.index(v))
                    elif h in LICENSE_ID_COLS and name in ("licenses.csv", "support.csv"):
                        v = v.replace(digits, ESC + "c") if digits and v else v
                    else:
                        v = template_dates(v, bounds)
                    cells.append(v)
                if name in ("licenses.csv", "usage.csv"):
                    products_needed.add(r[col(name, "product_id")])
                if name == "customers.csv":
                    regions_needed.add(r[col(name, "tax_region")])
            tables.append((len(mine), cells))
        reports = []
        for n in scrt_names:
            for k, s in enumerate(serials):
                m = re.fullmatch(re.escape(s) + r"-(\d{4}-\d{2}-\d{2})\.csv", n)
                if not m:
                    continue
                with open(os.path.join(scrt_dir, n), "rb") as f:
                    text = f.read().decode("latin-1")
                name_t = ESC + "S" + chr(48 + k) + "-" + template_dates(m.group(1), bounds) + ".csv"
                reports.append((name_t, template_scrt(text, cid, serials, bounds, n)))
        archetypes.append((cid, len(serials), tables, reports))

    # shared rows those customers need
    prod_h, prod_rows = shared["products.csv"]
    by_id = {r[col("products.csv", "product_id")]: r for r in prod_rows}
    todo = list(products_needed)
    while todo:
        p = todo.pop()
        parent = by_id.get(p, [""] * len(prod_h))[col("products.csv", "parent_product")]
        if parent and parent not in products_needed:
            products_needed.add(parent)
            todo.append(parent)
    vues = {by_id[p][col("products.csv", "vue")] for p in products_needed if p in by_id} - {""}
    keep = {
        "products.csv": lambda r: r[col("products.csv", "product_id")] in products_needed,
        "prices.csv": lambda r: (r[col("prices.csv", "product_id")] in products_needed or
                                 r[col("prices.csv", "product_id")] not in by_id),
        "value_units.csv": lambda r: r[col("value_units.csv", "vue")] in vues,
        "taxes.csv": lambda r: r[col("taxes.csv", "tax_region")] in regions_needed,
        "machine_models.csv": lambda r: True,
    }
    shared_tables = []
    for name in SHARED_FILES:
        header, rows = shared[name]
        cells = []
        n = 0
        for r in rows:
            if keep[name](r):
                cells.extend(template_dates(v, bounds) for v in r)
                n += 1
        shared_tables.append((header, n, cells))

    # ---- the C file ----
    w = sys.stdout.write
    w("/* gen_archetypes.c - GENERATED from the sample's customers C%d.. by scripts/gen_archetypes.py; do not edit.\n"
      % FIRST_ARCHETYPE)
    w(" * The GNUmakefile makes it at build time from sample/ (the output is deterministic).\n")
    w(" * Placeholders in the cells and reports: see gen_archetypes.h. */\n")
    w('#include "batch/gen_archetypes.h"\n\n')
    w("#include <stddef.h>\n\n")
    w("/* ---- column names per file, as in the sample's headers ---- */\n\n")
    for i, name in enumerate(CUSTOMER_FILES):
        header = files[name][0]
        w("static const char *const cols_%d[] = {%s};\n" % (i, ", ".join([c_cell(h) for h in header] + ["NULL"])))
    for i, name in enumerate(SHARED_FILES):
        header = shared[name][0]
        w("static const char *const cols_%d[] = {%s};\n" % (len(CUSTOMER_FILES) + i,
                                                              ", ".join([c_cell(h) for h in header] + ["NULL"])))
    w("\nconst char *const *const gen_arch_cols[GA__N] = {%s};\n" %
      ", ".join("cols_%d" % i for i in range(len(CUSTOMER_FILES) + len(SHARED_FILES))))
    w("const int gen_arch_ncols[GA__N] = {%s};\n\n" %
      ", ".join([str(len(files[n][0])) for n in CUSTOMER_FILES] + [str(len(shared[n][0])) for n in SHARED_FILES]))

    w("/* ---- the archetypes ---- */\n")
    for a, (cid, nser, tables, reports) in enumerate(archetypes):
        w("\n/* %s */\n" % cid)
        for i, (n, cells) in enumerate(tables):
            if not cells:
                continue
            w("static const char *const a%d_%d[] = {\n" % (a, i))
            ncols = len(files[CUSTOMER_FILES[i]][0])
            for r in range(n):
                w("  %s,\n" % ", ".join(c_cell(c) for c in cells[r * ncols:(r + 1) * ncols]))
            w("};\n")
        if reports:
            w("static const gen_arch_report a%d_scrt[] = {\n" % a)
            for name_t, text in reports:
                w("  {%s,\n   %s},\n" % (c_cell(name_t), c_string(text)))
            w("};\n")
    w("\nconst gen_archetype gen_archetypes[] = {\n")
    for a, (cid, nser, tables, reports) in enumerate(archetypes):
        parts = []
        for i, (n, cells) in enumerate(tables):
            parts.append("{%d, %s}" % (n, "a%d_%d" % (a, i) if cells else "NULL"))
        w("  {%s, %d, {%s}, %d, %s},\n" % (c_cell(cid), nser, ", ".join(parts), len(reports),
                                            "a%d_scrt" % a if reports else "NULL"))
    if not archetypes:
        w("  {NULL, 0, {{0, NULL}}, 0, NULL},\n")
    w("};\n")
    w("const int gen_narchetypes = %d;\n\n" % len(archetypes))

    w("/* ---- shared rows they need ---- */\n")
    for i, (header, n, cells) in enumerate(shared_tables):
        if not cells:
            continue
        w("\nstatic const char *const s_%d[] = {\n" % i)
        for r in range(n):
            w("  %s,\n" % ", ".join(c_cell(c) for c in cells[r * len(header):(r + 1) * len(header)]))
        w("};\n")
    w("\nconst gen_arch_rows gen_arch_shared[GA__N - GA__CUSTOMER_FILES] = {%s};\n" %
      ", ".join("{%d, %s}" % (n, "s_%d" % i if cells else "NULL") for i, (_, n, cells) in enumerate(shared_tables)))

    y, m = TEMPLATE_MONTH
    lo = bounds.lo if bounds.lo is not None else y * 12 + m - 1
    hi = bounds.hi if bounds.hi is not None else y * 12 + m - 1
    w("\nconst lb_month gen_arch_month = %d;  /* %04d-%02d: the billing month the sample is written for */\n" %
      (y * 12 + m - 1, y, m))
    w("const lb_month gen_arch_first = %d;  /* %04d-%02d: the month of the earliest date in the templates */\n" %
      (lo, lo // 12, lo % 12 + 1))
    w("const lb_month gen_arch_last = %d;   /* %04d-%02d: the month of the latest one */\n" % (hi, hi // 12, hi % 12 + 1))


if __name__ == "__main__":
    main()
