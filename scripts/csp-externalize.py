#!/usr/bin/env python3
"""Trunk post_build hook: move inline <script> blocks of the staged index.html into
files, so the Content-Security-Policy can forbid inline scripts (script-src 'self')."""
import hashlib
import os
import re
import sys

staging = os.environ.get("TRUNK_STAGING_DIR")
if not staging:
    sys.exit("csp-externalize: TRUNK_STAGING_DIR is not set (run from trunk)")
index = os.path.join(staging, "index.html")
html = open(index, encoding="utf-8").read()
pattern = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)


def externalize(match):
    attrs, body = match.group("attrs"), match.group("body")
    if "src=" in attrs or not body.strip():
        return match.group(0)
    digest = hashlib.sha256(body.encode()).hexdigest()[:16]
    name = f"boot-{digest}.js"
    with open(os.path.join(staging, name), "w", encoding="utf-8") as f:
        f.write(body)
    attrs = re.sub(r'\s(nonce|integrity)="[^"]*"', "", attrs)
    return f'<script{attrs} src="/{name}"></script>'


html, count = pattern.subn(externalize, html)
open(index, "w", encoding="utf-8").write(html)
print(f"csp-externalize: moved inline scripts into files ({count} script tags seen)")
