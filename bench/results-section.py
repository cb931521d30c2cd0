#!/usr/bin/env python3
"""Writes one section of bench/RESULTS.md between its markers (appended the first time).

usage: results-section.py NAME TITLE TABLE_FILE [NOTE...]
The section is "## TITLE", a "when" line (now, this machine), one bullet per NOTE, then the
table. WriteResults (run-all.sh) keeps every marked section when it rewrites the file.
"""
import datetime
import platform
import re
import sys

name, title, table_file, notes = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
start, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
when = datetime.datetime.utcnow().replace(microsecond=0).isoformat()
bullets = "".join(f"- {n}\n" for n in [f"when: {when}Z, {platform.machine()}"] + notes)
body = f"{start}\n## {title}\n\n{bullets}\n{open(table_file).read()}\n{end}"
path = "bench/RESULTS.md"
text = open(path).read()
if start in text:
    text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda m: body, text, flags=re.S)
else:
    text = text.rstrip() + "\n\n" + body + "\n"
open(path, "w").write(text)
