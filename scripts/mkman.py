#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Writes man/smarkbot.ini.5 from docs/config.md, so that the manual page
says what the reference says, key for key. Run after editing docs/config.md:
    /usr/bin/python3 scripts/mkman.py > man/smarkbot.ini.5
(tests/e2e/test_install.py fails when the page is out of date)."""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]

HEAD = r""".\" SPDX-License-Identifier: MIT
.\" Generated from docs/config.md by scripts/mkman.py: edit that file instead.
.TH SMARKBOT.INI 5 "{date}" "smarkbot {version}" "File Formats"
.SH NAME
smarkbot.ini \- configuration file of smarkbot
.SH SYNOPSIS
.B /etc/smarkbot/smarkbot.ini
.br
.B ./smarkbot.ini
.SH DESCRIPTION
"""

TAIL = r""".SH FILES
.TP
.I /etc/smarkbot/smarkbot.ini
the configuration the systemd unit starts the bot with
.TP
.I {docdir}/smarkbot.ini.example
every key with its default, commented
.SH SEE ALSO
.BR smarkbot (1)
"""


def esc(text):
    """Plain text to roff: backslashes, and a line must not start with . or '."""
    return text.replace("\\", "\\e").replace("-", "\\-")


def inline(text):
    out = []
    pos = 0
    # `code` -> bold, **bold** -> bold, [text](link) -> text
    for m in re.finditer(r"`([^`]*)`|\*\*([^*]*)\*\*|\[([^\]]*)\]\([^)]*\)", text):
        out.append(esc(text[pos:m.start()]))
        if m.group(1) is not None:
            out.append(r"\fB" + esc(m.group(1)) + r"\fR")
        elif m.group(2) is not None:
            out.append(r"\fB" + esc(m.group(2)) + r"\fR")
        else:
            out.append(inline(m.group(3)))
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)


def line_safe(s):
    return ("\\&" + s) if s[:1] in (".", "'") else s


def convert(md, version, date, docdir):
    out = [HEAD.format(version=version, date=date)]
    lines = md.splitlines()
    i = 0
    para = []

    def flush():
        if para:
            out.append(".PP\n" + line_safe(inline(" ".join(para))) + "\n")
            para.clear()

    # the title line is the page's name
    while i < len(lines) and not lines[i].startswith("# "):
        i += 1
    i += 1
    while i < len(lines):
        ln = lines[i]
        if ln.startswith("```"):
            flush()
            i += 1
            out.append(".PP\n.RS\n.nf\n")
            while i < len(lines) and not lines[i].startswith("```"):
                out.append(line_safe(esc(lines[i])) + "\n")
                i += 1
            out.append(".fi\n.RE\n")
        elif ln.startswith("## "):
            flush()
            out.append(".SH " + '"' + esc(ln[3:].strip()) + '"\n')
        elif ln.startswith("|"):
            flush()
            cells = [c.strip() for c in ln.strip().strip("|").split("|")]
            if cells[0] in ("key", "") or set(cells[0]) <= set("-"):
                i += 1
                continue
            key, default, meaning = cells[0].strip("`"), cells[1], cells[2]
            default = "" if default == "(empty)" else default.strip("`")
            out.append(".TP\n.B %s\n" % esc(key))
            out.append("Default: %s.\n" % (r"\fB" + esc(default) + r"\fR" if default
                                           else "empty"))
            out.append(".br\n" + line_safe(inline(meaning)) + "\n")
        elif ln.strip() == "":
            flush()
        else:
            para.append(ln.strip())
        i += 1
    flush()
    out.append(TAIL.format(docdir=docdir))
    return "".join(out)


def main():
    version = re.search(r"^VERSION\s*:=\s*(\S+)", (ROOT / "Makefile").read_text(), re.M).group(1)
    date = "2026-12-02"
    md = (ROOT / "docs" / "config.md").read_text()
    sys.stdout.write(convert(md, version, date, "@DOCDIR@"))


if __name__ == "__main__":
    main()
