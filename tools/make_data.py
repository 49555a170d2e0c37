#!/usr/bin/python3
"""Makes Graft's shipped few-shot data from Debian's dataset-fashion-mnist package.

    apt-get install dataset-fashion-mnist
    /usr/bin/python3 tools/make_data.py

Deterministic: images are taken in file order, and gzip headers carry no time stamp, so the
output is byte-for-byte reproducible. Labels keep their Fashion-MNIST numbers (0-9); experiments
select and relabel classes. Outputs go to data/fashion/ (see data/fashion/README.md).
"""
import gzip
import os
import struct

SRC = "/usr/share/datasets/fashion-mnist"
OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "fashion")

SOURCE_CLASSES = [0, 1, 3, 5, 8]   # T-shirt/top, Trouser, Dress, Sandal, Bag
TARGET_CLASSES = [2, 4, 6, 7, 9]   # Pullover, Coat, Shirt, Sneaker, Ankle boot


def read_idx(name):
    with gzip.open(os.path.join(SRC, name), "rb") as f:
        data = f.read()
    magic, n = struct.unpack(">II", data[:8])
    if magic == 0x803:
        rows, cols = struct.unpack(">II", data[8:16])
        size = rows * cols
        return [data[16 + i * size: 16 + (i + 1) * size] for i in range(n)], (rows, cols)
    if magic == 0x801:
        return list(data[8:8 + n]), None
    raise ValueError("bad magic in " + name)


def first_per_class(images, labels, classes, per_class):
    taken = {c: 0 for c in classes}
    out_i, out_l = [], []
    for img, lab in zip(images, labels):
        if lab in taken and taken[lab] < per_class:
            taken[lab] += 1
            out_i.append(img)
            out_l.append(lab)
    assert all(v == per_class for v in taken.values()), taken
    return out_i, out_l


def write_gz(path, payload):
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
            f.write(payload)


def write(prefix, images, labels, shape):
    rows, cols = shape
    write_gz(os.path.join(OUT, prefix + "-images-idx3-ubyte.gz"),
             struct.pack(">IIII", 0x803, len(images), rows, cols) + b"".join(images))
    write_gz(os.path.join(OUT, prefix + "-labels-idx1-ubyte.gz"),
             struct.pack(">II", 0x801, len(labels)) + bytes(labels))


def main():
    os.makedirs(OUT, exist_ok=True)
    train_i, shape = read_idx("train-images-idx3-ubyte.gz")
    train_l, _ = read_idx("train-labels-idx1-ubyte.gz")
    test_i, _ = read_idx("t10k-images-idx3-ubyte.gz")
    test_l, _ = read_idx("t10k-labels-idx1-ubyte.gz")
    write("source-train", *first_per_class(train_i, train_l, SOURCE_CLASSES, 800), shape)
    write("source-test", *first_per_class(test_i, test_l, SOURCE_CLASSES, 200), shape)
    write("target-pool", *first_per_class(train_i, train_l, TARGET_CLASSES, 50), shape)
    write("target-test", *first_per_class(test_i, test_l, TARGET_CLASSES, 200), shape)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
