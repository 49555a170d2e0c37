#!/usr/bin/python3
"""Makes the tiny example datasets of docs/data-formats.md from what the repository already ships.

    python3 tools/make_examples.py

- examples/data/tiny-csv/{train,test}.csv: three wine-like classes from a formula (seeded), with
  one column (proline) about 1000 times the scale of another (acidity), the case that per-feature
  normalization is for.
- examples/data/tiny-folder/{train,test}/CLASS/NNN.png: 28x28 grayscale PNGs of three target
  classes of data/fashion (pullover, sneaker, ankle-boot), the first images of each class in file
  order: 6 per class from the target pool for train/, 4 per class from the target test set for test/.

Deterministic and byte-for-byte reproducible: Python's seeded random.Random, and PNGs written by
hand (no time stamps, fixed zlib level). Needs only the standard library.
"""
import gzip
import os
import random
import shutil
import struct
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FASHION = os.path.join(ROOT, "data", "fashion")
OUT = os.path.join(ROOT, "examples", "data")

# Fashion-MNIST class number -> folder name
FOLDER_CLASSES = {2: "pullover", 7: "sneaker", 9: "ankle-boot"}
TRAIN_PER_CLASS = 6
TEST_PER_CLASS = 4

# class -> (acidity, sugar, proline) means; the spread is a fifth of the gap between classes
CSV_CLASSES = {"barolo": (0.25, 4.0, 1100.0), "grignolino": (0.45, 9.0, 520.0), "barbera": (0.65, 6.0, 630.0)}
CSV_SD = (0.06, 1.2, 110.0)


def csv(path, rows_per_class, rnd):
    lines = ["acidity,sugar,proline,cultivar"]
    for i in range(rows_per_class):
        for name, means in CSV_CLASSES.items():
            values = [rnd.gauss(m, s) for m, s in zip(means, CSV_SD)]
            lines.append("%.3f,%.2f,%.0f,%s" % (values[0], values[1], values[2], name))
    with open(path, "w", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def read_idx(prefix):
    with gzip.open(os.path.join(FASHION, prefix + "-images-idx3-ubyte.gz"), "rb") as f:
        data = f.read()
    _, n, rows, cols = struct.unpack(">IIII", data[:16])
    size = rows * cols
    images = [data[16 + i * size: 16 + (i + 1) * size] for i in range(n)]
    with gzip.open(os.path.join(FASHION, prefix + "-labels-idx1-ubyte.gz"), "rb") as f:
        labels = list(f.read()[8:])
    return images, labels, (rows, cols)


def png(path, pixels, shape):
    rows, cols = shape
    raw = b"".join(b"\x00" + pixels[r * cols:(r + 1) * cols] for r in range(rows))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", cols, rows, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def folder(split, prefix, per_class):
    images, labels, shape = read_idx(prefix)
    taken = {c: 0 for c in FOLDER_CLASSES}
    for img, lab in zip(images, labels):
        if lab in taken and taken[lab] < per_class:
            d = os.path.join(OUT, "tiny-folder", split, FOLDER_CLASSES[lab])
            os.makedirs(d, exist_ok=True)
            png(os.path.join(d, "%03d.png" % taken[lab]), img, shape)
            taken[lab] += 1
    assert all(v == per_class for v in taken.values()), taken


def main():
    for sub in ("tiny-csv", "tiny-folder"):
        shutil.rmtree(os.path.join(OUT, sub), ignore_errors=True)
    os.makedirs(os.path.join(OUT, "tiny-csv"))
    rnd = random.Random(15)
    csv(os.path.join(OUT, "tiny-csv", "train.csv"), 12, rnd)
    csv(os.path.join(OUT, "tiny-csv", "test.csv"), 10, rnd)
    folder("train", "target-pool", TRAIN_PER_CLASS)
    folder("test", "target-test", TEST_PER_CLASS)


if __name__ == "__main__":
    main()
