#!/usr/bin/env python3
"""Reads a cchc-report workbook back with nothing but the standard library
(an .xlsx is a zip of XML parts) and compares it with the report's JSON
(NDJSON, one object per form): one sheet per form in the same order, the
title, unit and window lines, the header row, every row of the JSON with
the same code and value in the same order, numbers stored as numbers with
the number format of their kind. Exit 1 naming the first difference.

usage: xlsx_check.py WORKBOOK.xlsx REPORT.json
"""
import json
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
# Number formats Excel knows by id (ECMA-376 part 1, 18.8.30): libxlsxwriter
# writes "0.00" and "#,##0" as these ids rather than spelling them out.
BUILTIN = {0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00"}
HEADER = ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu"]


def fail(msg):
    print("xlsx_check: " + msg, file=sys.stderr)
    sys.exit(1)


def col_row(ref):
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    return m.group(1), int(m.group(2))


def load(path):
    z = zipfile.ZipFile(path)
    if z.testzip() is not None:
        fail("corrupt zip member in " + path)
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels.findall("p:Relationship", NS)}
    strings = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            strings.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    styles = ET.fromstring(z.read("xl/styles.xml"))
    fmts = dict(BUILTIN)
    for nf in styles.findall("m:numFmts/m:numFmt", NS):
        fmts[int(nf.get("numFmtId"))] = nf.get("formatCode")
    xf_fmt = [fmts.get(int(xf.get("numFmtId", "0")), "?")
              for xf in styles.findall("m:cellXfs/m:xf", NS)]
    sheets = []
    for s in wb.findall("m:sheets/m:sheet", NS):
        part = "xl/" + target[s.get("{%s}id" % NS["r"])]
        root = ET.fromstring(z.read(part))
        cells = {}  # (row, col) -> (kind, text, number format)
        for c in root.iter("{%s}c" % NS["m"]):
            col, row = col_row(c.get("r"))
            v = c.find("m:v", NS)
            fmt = xf_fmt[int(c.get("s", "0"))]
            if v is None:
                cells[(row, col)] = ("blank", None, fmt)
            elif c.get("t") == "s":
                cells[(row, col)] = ("str", strings[int(v.text)], fmt)
            elif c.get("t") in (None, "n"):
                cells[(row, col)] = ("num", v.text, fmt)
            else:
                cells[(row, col)] = (c.get("t"), v.text, fmt)
        ncols = len(root.findall("m:cols/m:col", NS))
        sheets.append((s.get("name"), cells, ncols))
    return sheets


def text(cells, row, col):
    c = cells.get((row, col))
    return c[1] if c and c[0] == "str" else None


def want_format(uom, value):
    if uom == "%":
        return "0.00"
    if uom == "Triệu đồng":
        return "#,##0" if "." not in value else "#,##0.0##"
    if uom == "Tỷ đồng":
        return "#,##0.0"
    return "#,##0"


def shown(x, fmt):
    """x as the format shows it, without the thousands separators (the JSON
    has none): "0.00" two decimals, "#,##0.0" one, "#,##0.0##" one to three,
    "#,##0" none."""
    if fmt == "0.00":
        return "%.2f" % x
    if fmt == "#,##0.0":
        return "%.1f" % x
    if fmt == "#,##0.0##":
        return ("%.3f" % x).rstrip("0")
    return "%d" % round(x)


def main():
    if len(sys.argv) != 3:
        fail("usage: xlsx_check.py WORKBOOK.xlsx REPORT.json")
    sheets = load(sys.argv[1])
    forms = [json.loads(l, parse_float=str, parse_int=str) for l in open(sys.argv[2])]
    if [s[0] for s in sheets] != ["Biểu mẫu %s" % f["form"] for f in forms]:
        fail("sheets %s, forms %s" % ([s[0] for s in sheets], [f["form"] for f in forms]))
    for (name, cells, ncols), f in zip(sheets, forms):
        title = text(cells, 1, "A") or ""
        if not title.startswith("Biểu mẫu %s — " % f["form"]):
            fail("%s: title %r" % (name, title))
        if "(%s" % f["unit"] not in (text(cells, 2, "A") or ""):
            fail("%s: unit line %r" % (name, text(cells, 2, "A")))
        d = lambda iso: "/".join(reversed(iso.split("-")))
        window = "Số liệu từ %s đến %s" % (d(f["from"]), d(f["to"]))
        if text(cells, 3, "A") != window:
            fail("%s: window line %r, want %r" % (name, text(cells, 3, "A"), window))
        if ncols < 4:
            fail("%s: column widths not set" % name)
        rows = sorted({r for r, _ in cells})
        headers = [r for r in rows if [text(cells, r, c) for c in "ABCD"] == HEADER]
        if not headers or headers[0] != 5:
            fail("%s: header rows %s" % (name, headers))
        # Rows with a value: a code and a unit of measure (headings have none).
        got = []
        for r in rows:
            if r in headers or r <= headers[0]:
                continue
            code, uom = text(cells, r, "A"), text(cells, r, "C")
            if code is None or uom is None:
                continue
            got.append((r, code, uom, cells.get((r, "D"))))
        want = list(f["rows"].items())
        if [g[1] for g in got] != [k for k, _ in want]:
            fail("%s: codes %s, want %s" % (name, [g[1] for g in got], [k for k, _ in want]))
        for (r, code, uom, cell), (_, v) in zip(got, want):
            if v is None:
                if cell is not None and cell[0] != "blank":
                    fail("%s row %s: %r, want empty" % (name, code, cell))
                continue
            if cell is None or cell[0] != "num":
                fail("%s row %s: %r is not a number (want %s)" % (name, code, cell, v))
            # libxlsxwriter writes a double with 16 significant digits (88.1
            # as 88.09999999999999, the same double): compare the doubles,
            # and the text the cell's format shows.
            if float(cell[1]) != float(v):
                fail("%s row %s: %s, want %s" % (name, code, cell[1], v))
            if shown(float(cell[1]), want_format(uom, v)) != v:
                fail("%s row %s: shows %s, want %s"
                     % (name, code, shown(float(cell[1]), cell[2]), v))
            if cell[2] != want_format(uom, v):
                fail("%s row %s: format %r, want %r" % (name, code, cell[2], want_format(uom, v)))
    print("xlsx_check: %d sheets match" % len(sheets))


main()
