#!/usr/bin/env python3
"""Builds the Debian package-description snapshot used by the text-classification example.

Source: this machine's APT lists for Debian 12 "bookworm" main (Packages for Section, and
Translation-en for the long descriptions; run `apt-get update -o Acquire::Languages=en` first).
Picks 150 packages per section from 8 sections whose names do not give the section away, seeded,
and writes JSONL lines {"id": package, "label": section, "text": description} with the package's
own name removed from its text.

    python3 examples/tools/make_debian_descriptions.py > \
        examples/src/main/resources/dev/groundwork/examples/debian-descriptions.jsonl
"""
import glob, json, random, re, subprocess, sys

SECTIONS = ["admin", "games", "graphics", "net", "science", "sound", "text", "x11"]
PER_SECTION = 150
SEED = 42
MAX_CHARS = 600


def records(path):
    out = subprocess.run(["/usr/lib/apt/apt-helper", "cat-file", path], check=True,
                         capture_output=True, text=True).stdout
    for block in out.split("\n\n"):
        rec, key = {}, None
        for line in block.split("\n"):
            if line.startswith(" ") and key:
                rec[key] += "\n" + line
            elif ":" in line:
                key, _, value = line.partition(":")
                rec[key] = value.strip()
        if rec.get("Package"):
            yield rec


def main():
    section = {}
    for path in sorted(glob.glob("/var/lib/apt/lists/*bookworm_main_binary-amd64_Packages*")):
        for r in records(path):
            section[(r["Package"], r.get("Description-md5"))] = r.get("Section", "").split("/")[-1]
    texts = {}
    for path in sorted(glob.glob("/var/lib/apt/lists/*bookworm_main_i18n_Translation-en*")):
        for r in records(path):
            sec = section.get((r["Package"], r.get("Description-md5")))
            if sec not in SECTIONS or "Description-en" not in r:
                continue
            lines = r["Description-en"].split("\n")
            body = " ".join("" if l.strip() == "." else l.strip() for l in lines[1:])
            text = (lines[0].strip() + ". " + body).strip()
            name = re.escape(r["Package"])
            text = re.sub(r"(?i)(?<![\w-])" + name + r"(?![\w-])", "", text)
            text = re.sub(r"\s+", " ", text).strip()[:MAX_CHARS]
            if len(text) >= 20:
                texts.setdefault(sec, {})[r["Package"]] = text
    rng = random.Random(SEED)
    for sec in SECTIONS:
        seen, picked = set(), []
        for pkg in rng.sample(sorted(texts[sec]), len(texts[sec])):
            if texts[sec][pkg] not in seen:
                seen.add(texts[sec][pkg])
                picked.append(pkg)
            if len(picked) == PER_SECTION:
                break
        for pkg in sorted(picked):
            sys.stdout.write(json.dumps({"id": pkg, "label": sec, "text": texts[sec][pkg]},
                                        ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
