#!/usr/bin/python3
"""Makes the regression example of docs/data-formats.md from the Fashion-MNIST images the repository ships.

    python3 tools/make_regression_data.py

examples/data/fashion-ink/{train,test}.csv: each row is one image of data/fashion, shrunk to 7x7 by
averaging 4x4 blocks (49 features p0..p48, pixel values in [0, 1], row after row), and the target
column `ink`: the share of the full 28x28 image's pixels that are brighter than 127 (a real number in
[0, 1]). Predicting it from the shrunk image is a smooth but non-linear problem (a block's mean does
not say how many of its 16 pixels pass the threshold). train.csv holds the first 400 images of the
source training set (data/fashion/source-train-*), test.csv the next 200, in file order.

Deterministic and byte-for-byte reproducible; needs only the standard library.
"""
import gzip
import os
import struct

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FASHION = os.path.join(ROOT, "data", "fashion")
OUT = os.path.join(ROOT, "examples", "data", "fashion-ink")
TRAIN, TEST = 400, 200


def images(prefix, start, n):
    with gzip.open(os.path.join(FASHION, prefix + "-images-idx3-ubyte.gz"), "rb") as f:
        data = f.read()
    _, count, rows, cols = struct.unpack(">IIII", data[:16])
    assert (rows, cols) == (28, 28) and count >= start + n
    return [data[16 + i * 784: 16 + (i + 1) * 784] for i in range(start, start + n)]


def row(img):
    pooled = []
    for br in range(7):
        for bc in range(7):
            s = sum(img[(br * 4 + r) * 28 + bc * 4 + c] for r in range(4) for c in range(4))
            pooled.append("%.3f" % (s / 16 / 255))
    ink = sum(1 for v in img if v > 127) / 784
    return ",".join(pooled) + ",%.4f" % ink


def write(path, imgs):
    lines = [",".join("p%d" % i for i in range(49)) + ",ink"] + [row(i) for i in imgs]
    with open(path, "w", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    write(os.path.join(OUT, "train.csv"), images("source-train", 0, TRAIN))
    write(os.path.join(OUT, "test.csv"), images("source-train", TRAIN, TEST))


if __name__ == "__main__":
    main()
