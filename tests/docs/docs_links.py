#!/usr/bin/python3
"""The repository is complete on its own: every reference in it resolves inside it.

(a) every relative link of every tracked Markdown file names a tracked file or
    folder, and a #fragment names a heading of that file (GitHub's slugs);
(b) every mention of a .md file in C and H files, shell and python scripts,
    CMakeLists.txt and Markdown names a tracked file: relative to the top of
    the repository, to the mentioning file's folder, or (a bare name) as the
    one tracked file of that name;
(c) no tracked file names the design, style or brief documents that lived
    outside the repository, unless the repository holds such a file;
(d) every path under a top folder (common/, proto/, services/, tests/, ops/)
    that the files of (b) mention names a tracked file or folder, so that a
    file that moves takes its mentions along.

Prints FILE:LINE: what for each bad reference and exits 1; 0 when none.
Usage: docs_links.py [SOURCE_DIR] (default: $CCHC_SRC, else the current folder).
Standard library only."""

import os
import re
import subprocess
import sys
import unicodedata
import urllib.parse


def tracked_files(src):
    """Paths (relative, '/'-separated) git tracks and the work tree holds."""
    try:
        out = subprocess.run(["git", "-C", src, "ls-files", "-z"], check=True,
                             capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit(f"docs_links: cannot list the tracked files of {src}: {e}")
    paths = [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p]
    return sorted(p for p in paths if os.path.isfile(os.path.join(src, p)))


def folders_of(files):
    dirs = {""}
    for f in files:
        parts = f.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            dirs.add("/".join(parts[:i]))
    return dirs


def read_text(src, path):
    with open(os.path.join(src, path), "rb") as fh:
        data = fh.read()
    if b"\0" in data:
        return None
    return data.decode("utf-8", "replace")


# --- Markdown -------------------------------------------------------------

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def markdown_lines(text):
    """(line number, line, in a fenced block) for every line."""
    fence = None
    for n, line in enumerate(text.split("\n"), 1):
        m = FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)
            yield n, line, True
        elif fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            yield n, line, True
        else:
            yield n, line, False


def heading_text(raw):
    """What a heading renders as text: code spans keep their content, links
    their text, emphasis and HTML tags go."""
    t = CODE_SPAN.sub(lambda m: m.group(2).strip(), raw)
    t = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", t)
    t = re.sub(r"<[^>]+>", "", t)
    t = re.sub(r"(\*+|_{2,})", "", t)
    return t.strip()


def slug(text):
    """GitHub's anchor: lower case; letters (Vietnamese ones as they are),
    marks, digits, '_' and '-' stay, other punctuation goes, spaces are '-'."""
    out = []
    for ch in text.lower():
        cat = unicodedata.category(ch)
        if ch in "-_" or cat[0] in "LMN":
            out.append(ch)
        elif ch == " ":
            out.append("-")
    return "".join(out)


def anchors(text):
    """Every heading's anchor, duplicates numbered as GitHub does (x, x-1, ...)."""
    seen = {}
    result = set()
    prev = None  # the previous line, when it may be a setext heading's text
    for _, line, fenced in markdown_lines(text):
        title = None
        if not fenced:
            m = ATX.match(line)
            s = SETEXT.match(line)
            if m:
                title = m.group(2) or ""
            elif s and prev is not None:
                title = prev
        if title is not None:
            base = slug(heading_text(title))
            n = seen.get(base, 0)
            seen[base] = n + 1
            result.add(base if n == 0 else f"{base}-{n}")
            prev = None
            continue
        plain = line.strip()
        if fenced or not plain or re.match(r"^(#|\||>|[-*+] |\d+[.)] |<)", plain) \
                or SETEXT.match(line):
            prev = None
        else:
            prev = plain
    return result


def links(text):
    """(line number, target) of every inline link and link definition outside code."""
    for n, line, fenced in markdown_lines(text):
        if fenced:
            continue
        visible = CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
        targets = [m.group(1) for m in INLINE_LINK.finditer(visible)]
        m = REF_DEF.match(visible)
        if m:
            targets.append(m.group(1))
        for t in targets:
            if t.startswith("<") and t.endswith(">"):
                t = t[1:-1]
            yield n, t


def check_links(src, files, dirs, md_anchor, problems):
    for path in files:
        if not path.endswith(".md"):
            continue
        here = os.path.dirname(path)
        for n, target in links(read_text(src, path)):
            where = f"{path}:{n}"
            if SCHEME.match(target) or target.startswith("//"):
                continue  # a URL, not a path in the repository
            if target.startswith("/"):
                problems.add(where, target, f"link {target}: an absolute path, not one in the repository")
                continue
            part, _, fragment = target.partition("#")
            part = urllib.parse.unquote(part.split("?")[0])
            if part:
                dest = os.path.normpath(os.path.join(here, part)).replace(os.sep, "/")
                if dest == ".":
                    dest = ""
                if dest.startswith("../") or dest == "..":
                    problems.add(where, part, f"link {target}: outside the repository")
                    continue
                if dest not in dirs and dest not in files:
                    problems.add(where, part, f"link {target}: no tracked file or folder {dest}")
                    continue
            else:
                dest = path
            if fragment:
                if dest not in files or not dest.endswith(".md"):
                    problems.add(where, target, f"link {target}: #{fragment} in {dest or '.'}, "
                                 "which is not a Markdown file")
                    continue
                frag = urllib.parse.unquote(fragment).lower()
                if frag not in md_anchor(dest):
                    problems.add(where, target, f"link {target}: no heading #{fragment} in {dest}")


# --- mentions of .md files ------------------------------------------------

MD_MENTION = re.compile(r"(?<![\w./-])((?:\.{1,2}/)?(?:[\w.-]+/)*[\w.-]*\w\.md)(?![\w])")
TREE_MENTION = re.compile(r"(?<![\w./${}-])((?:common|proto|services|tests|ops)/[\w./-]*)")
URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+")


def is_script(src, path):
    if path.endswith((".sh", ".py", ".bash")) or os.path.basename(path) == "CMakeLists.txt":
        return True
    if path.endswith((".c", ".h", ".md")):
        return True
    if "." in os.path.basename(path):
        return False
    with open(os.path.join(src, path), "rb") as fh:
        first = fh.readline(200)
    return first.startswith(b"#!") and (b"sh" in first or b"python" in first)


def check_mentions(src, files, dirs, problems):
    by_name = {}
    for f in files:
        by_name.setdefault(os.path.basename(f), []).append(f)
    fileset = set(files)
    for path in files:
        if not is_script(src, path):
            continue
        text = read_text(src, path)
        if text is None:
            continue
        here = os.path.dirname(path)
        for n, line in enumerate(text.split("\n"), 1):
            line = URL.sub(lambda m: " " * len(m.group(0)), line)
            for m in MD_MENTION.finditer(line):
                name = m.group(1)
                candidates = [os.path.normpath(name), os.path.normpath(os.path.join(here, name))]
                if any(c.replace(os.sep, "/") in fileset for c in candidates):
                    continue
                if "/" not in name and len(by_name.get(name, [])) == 1:
                    continue
                if "/" not in name and len(by_name.get(name, [])) > 1:
                    problems.add(f"{path}:{n}", name, f"{name}: more than one tracked file of that "
                                 f"name ({', '.join(by_name[name])}); give its path")
                else:
                    problems.add(f"{path}:{n}", name, f"{name}: no such tracked file")
            for m in TREE_MENTION.finditer(line):
                name = m.group(1).rstrip(".")
                dest = name.rstrip("/")
                if dest in fileset or dest in dirs or name == "ops/s":  # operations a second
                    continue
                problems.add(f"{path}:{n}", name, f"{name}: no such tracked file or folder")


# --- documents that lived outside ------------------------------------------

# Spelled in pieces so that this file does not name them itself.
OUTSIDE = [("STYLE" + ".md", re.compile(r"\bSTYLE" + r"\.md\b", re.I)),
           ("DESIGN" + ".md", re.compile(r"\bDESIGN" + r"\.md\b", re.I)),
           ("shared/" + "brief", re.compile(r"\bshared/" + r"brief\b", re.I)),
           ("brief" + "/", re.compile(r"(?<![\w-])brief" + r"/", re.I))]


def check_outside(src, files, dirs, problems):
    names = {os.path.basename(f).lower() for f in files}
    dirset = {d.lower() for d in dirs}
    allowed = {
        "STYLE" + ".md": "style" + ".md" in names,
        "DESIGN" + ".md": "design" + ".md" in names,
        "shared/" + "brief": any(d.split("/")[-2:] == ["shared", "brief"] for d in dirset),
        "brief" + "/": any(d.split("/")[-1] == "brief" for d in dirset),
    }
    for path in files:
        text = read_text(src, path)
        if text is None:
            continue
        for n, line in enumerate(text.split("\n"), 1):
            for name, rx in OUTSIDE:
                if not allowed[name] and rx.search(line):
                    problems.add(f"{path}:{n}", "outside:" + name, f"names {name}, which is not in the repository")


class Problems:
    """Bad references, one message per file, line and reference."""

    def __init__(self):
        self.seen = {}

    def add(self, where, ref, message):
        self.seen.setdefault((where, ref), f"{where}: {message}")

    def lines(self):
        return list(self.seen.values())

    def __len__(self):
        return len(self.seen)


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("CCHC_SRC", ".")
    files = tracked_files(src)
    if not files:
        sys.exit(f"docs_links: no tracked files in {src}")
    dirs = folders_of(files)
    cache = {}

    def md_anchor(path):
        if path not in cache:
            cache[path] = anchors(read_text(src, path) or "")
        return cache[path]

    problems = Problems()
    check_links(src, files, dirs, md_anchor, problems)
    check_mentions(src, files, dirs, problems)
    check_outside(src, files, dirs, problems)
    for p in problems.lines():
        print(p)
    md = sum(1 for f in files if f.endswith(".md"))
    if problems:
        print(f"docs_links: {len(problems)} bad reference(s) in {len(files)} tracked files")
        return 1
    print(f"docs_links: every reference resolves ({md} Markdown files, {len(files)} tracked files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
