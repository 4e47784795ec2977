#!/usr/bin/python3
"""Builds the PyTorch cross-framework fixture for Groundwork's DJL small CNN.

The network mirrors DjlModels.smallCnnBlock for 1x28x28 Fashion-MNIST:

    features   = Conv2d(1->32, 3x3, stride 1, padding 1, no bias) - ReLU - MaxPool2d(2, 2)
                 - Conv2d(32->64, 3x3, stride 1, padding 1, no bias) - ReLU - MaxPool2d(2, 2)
    classifier = Flatten (NCHW, 64*7*7 = 3136) - Linear(3136->128) - ReLU - Linear(128->10)

so the state_dict (and the safetensors file, in this order) holds

    features.0.weight    [32, 1, 3, 3]    (DJL backbone conv1 weight)
    features.3.weight    [64, 32, 3, 3]   (DJL backbone conv2 weight)
    classifier.1.weight  [128, 3136]      (DJL backbone fc1 weight)
    classifier.1.bias    [128]            (DJL backbone fc1 bias)
    classifier.3.weight  [10, 128]        (DJL head weight)
    classifier.3.bias    [10]             (DJL head bias)

Indices 1, 2, 4, 5 of features are ReLU/MaxPool and index 0 of classifier is Flatten; 2 of
classifier is ReLU; none has parameters. Weight layouts are PyTorch's, which are also DJL's:
conv [out, in, kh, kw], linear [out, in] (y = x W^T + b).

It trains the net briefly (seed 0, one thread, Adam lr 1e-3, batch 64, 2 epochs) on the 2,000
TRAIN images of the embedded subset (core/.../fashion-mnist-subset/train-*), pixels b / 255f,
no other normalisation, then writes to djl-backend/src/test/resources/pytorch/:

    small-cnn.safetensors       the state_dict, safetensors written by hand (F32, little-endian)
    small-cnn-test-probs.f32    softmax probabilities on the 1,000 embedded TEST images (t10k-*)
                                in file order: 1000 x 10 little-endian float32, row-major, no header
    small-cnn-fixture.json      summary: accuracy, torch version, seed, sha256 of both files,
                                parameter names/shapes, the first 8 rows of probabilities

Run from the repository root with Debian's python3-torch (not a pyenv python):

    /usr/bin/python3 examples/tools/pytorch_small_cnn_fixture.py          # build, then check
    /usr/bin/python3 examples/tools/pytorch_small_cnn_fixture.py --check  # check existing files

The check re-reads the safetensors file with a second parser that shares no code with the
writer (struct/array instead of torch/numpy), compares every tensor bit for bit with the
state_dict (when building) and recomputes the probabilities from the re-read weights, which must
equal the .f32 file bit for bit; it also checks the sha256 values in the JSON.
"""
import argparse, array, gzip, hashlib, json, os, struct, sys

import torch
from torch import nn

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(ROOT, "core/src/main/resources/dev/groundwork/core/data/fashion-mnist-subset")
OUT = os.path.join(ROOT, "djl-backend/src/test/resources/pytorch")
WEIGHTS = "small-cnn.safetensors"
PROBS = "small-cnn-test-probs.f32"
SUMMARY = "small-cnn-fixture.json"

SEED = 0
EPOCHS = 2
BATCH = 64
LR = 1e-3
CLASSES = 10
SHOWN = 8


class SmallCnn(nn.Module):
    def __init__(self, classes=CLASSES):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, kernel_size=3, stride=1, padding=1, bias=False),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
            nn.Conv2d(32, 64, kernel_size=3, stride=1, padding=1, bias=False),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2))
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(64 * 7 * 7, 128),
            nn.ReLU(),
            nn.Linear(128, classes))

    def forward(self, x):
        return self.classifier(self.features(x))


# ---------------------------------------------------------------------------------------- data

def read_idx(path, dims):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, = struct.unpack(">I", raw[:4])
    if magic != 0x800 + dims:
        raise ValueError(f"{path}: magic {magic:#x}, expected {0x800 + dims:#x}")
    shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
    body = raw[4 + 4 * dims:]
    count = 1
    for d in shape:
        count *= d
    if len(body) != count:
        raise ValueError(f"{path}: {len(body)} data bytes, expected {count}")
    return torch.frombuffer(bytearray(body), dtype=torch.uint8).reshape(shape)


def load_part(part):
    images = read_idx(os.path.join(DATA, f"{part}-images-idx3-ubyte.gz"), 3)
    labels = read_idx(os.path.join(DATA, f"{part}-labels-idx1-ubyte.gz"), 1).long()
    if images.shape[0] != labels.shape[0]:
        raise ValueError(f"{part}: {images.shape[0]} images, {labels.shape[0]} labels")
    # b / 255f exactly as Groundwork's UnitScale table: a correctly rounded float32 division.
    table = torch.arange(256, dtype=torch.float32) / torch.tensor(255.0, dtype=torch.float32)
    x = table[images.long()].unsqueeze(1).contiguous()  # N x 1 x 28 x 28
    return x, labels


# -------------------------------------------------------------------------- safetensors, write

def write_safetensors(path, state, metadata):
    header, blobs, offset = {}, [], 0
    for name, t in state.items():
        t = t.detach().to("cpu").contiguous()
        if t.dtype != torch.float32:
            raise TypeError(f"{name}: {t.dtype}, only float32 is written")
        data = t.numpy().astype("<f4", copy=False).tobytes(order="C")
        header[name] = {"dtype": "F32", "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=True).encode("utf-8")
    text += b" " * (-len(text) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


# ------------------------------------------------- safetensors, read (independent, strict parser)

def read_safetensors_independently(path):
    """Returns ({name: (shape, array('f'))}, metadata, names in header order)."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise ValueError("shorter than the 8-byte header length")
    n = int.from_bytes(blob[:8], "little", signed=False)
    if n % 8 or 8 + n > len(blob):
        raise ValueError(f"bad header length {n} for a {len(blob)}-byte file")
    head = blob[8:8 + n].decode("utf-8")
    if not head.startswith("{") or head.rstrip(" ") != head.rstrip():
        raise ValueError("header is not a JSON object padded with spaces")
    pairs = json.loads(head, object_pairs_hook=lambda kv: kv)
    names = [k for k, _ in pairs if k != "__metadata__"]
    if len(set(k for k, _ in pairs)) != len(pairs):
        raise ValueError("duplicate keys in header")
    entries = dict(pairs)
    meta = dict(entries.pop("__metadata__", []))
    if not all(isinstance(v, str) for v in meta.values()):
        raise ValueError("__metadata__ values must be strings")
    data = memoryview(blob)[8 + n:]
    out, expect = {}, 0
    for name in names:
        e = dict(entries[name])
        if set(e) != {"dtype", "shape", "data_offsets"} or e["dtype"] != "F32":
            raise ValueError(f"{name}: unexpected entry {e}")
        begin, end = e["data_offsets"]
        count = 1
        for d in e["shape"]:
            count *= d
        if begin != expect or end - begin != 4 * count:
            raise ValueError(f"{name}: offsets {begin}..{end} for {count} floats at {expect}")
        values = array.array("f")
        values.frombytes(bytes(data[begin:end]))
        if sys.byteorder != "little":
            values.byteswap()
        out[name] = (list(e["shape"]), values)
        expect = end
    if expect != len(data):
        raise ValueError(f"{len(data) - expect} trailing bytes after the last tensor")
    return out, meta, names


def bits(values):
    """float32 values as their 32-bit patterns, for bit-for-bit comparison."""
    return array.array("I", values.tobytes()) if array.array("I").itemsize == 4 else \
        array.array("L", values.tobytes())


# ---------------------------------------------------------------------------------- model runs

def train(x, y):
    torch.manual_seed(SEED)
    model = SmallCnn()
    optimiser = torch.optim.Adam(model.parameters(), lr=LR)
    loss_fn = nn.CrossEntropyLoss()
    order_rng = torch.Generator().manual_seed(SEED)
    model.train()
    for epoch in range(EPOCHS):
        order = torch.randperm(x.shape[0], generator=order_rng)
        total, seen = 0.0, 0
        for start in range(0, x.shape[0], BATCH):
            idx = order[start:start + BATCH]
            optimiser.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            optimiser.step()
            total += loss.item() * idx.numel()
            seen += idx.numel()
        print(f"epoch {epoch + 1}/{EPOCHS}: mean train loss {total / seen:.4f}")
    model.eval()
    return model


@torch.no_grad()
def probabilities(model, x):
    model.eval()
    rows = [torch.softmax(model(x[i:i + 100]), dim=1) for i in range(0, x.shape[0], 100)]
    return torch.cat(rows).to(torch.float32).contiguous()


def probs_bytes(p):
    return p.numpy().astype("<f4", copy=False).tobytes(order="C")


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def show(p, labels):
    print(f"expected probabilities, first {SHOWN} test images (file order):")
    for i in range(SHOWN):
        row = " ".join(f"{v:.6f}" for v in p[i].tolist())
        print(f"  [{i}] label {int(labels[i])} argmax {int(p[i].argmax())}: {row}")


# --------------------------------------------------------------------------------------- check

def check(state=None):
    weights, probs_path = os.path.join(OUT, WEIGHTS), os.path.join(OUT, PROBS)
    summary = json.load(open(os.path.join(OUT, SUMMARY), encoding="utf-8"))
    tensors, meta, names = read_safetensors_independently(weights)
    print(f"re-read {WEIGHTS}: {len(names)} tensors, metadata {meta}")
    for name in names:
        print(f"  {name} {tensors[name][0]}")
    if state is not None:
        if list(state) != names:
            raise AssertionError(f"names/order differ: {list(state)} vs {names}")
        for name, t in state.items():
            shape, values = tensors[name]
            if list(t.shape) != shape:
                raise AssertionError(f"{name}: shape {list(t.shape)} vs {shape}")
            if bits(values) != bits(array.array("f", t.detach().reshape(-1).tolist())):
                raise AssertionError(f"{name}: bits differ")
        print("safetensors tensors equal the state_dict bit for bit")
    if summary["sha256"][WEIGHTS] != sha256(weights) or summary["sha256"][PROBS] != sha256(probs_path):
        raise AssertionError("sha256 in the JSON summary does not match the files")
    model = SmallCnn()
    loaded = {n: torch.tensor(tensors[n][1], dtype=torch.float32).reshape(tensors[n][0])
              for n in names}
    model.load_state_dict(loaded, strict=True)
    x, labels = load_part("t10k")
    p = probabilities(model, x)
    with open(probs_path, "rb") as f:
        stored = f.read()
    if len(stored) != x.shape[0] * CLASSES * 4:
        raise AssertionError(f"{PROBS}: {len(stored)} bytes")
    if probs_bytes(p) != stored:
        raise AssertionError("probabilities from the re-read weights differ from the .f32 file")
    accuracy = (p.argmax(1) == labels).double().mean().item()
    if abs(accuracy - summary["test_accuracy"]) > 0:
        raise AssertionError(f"accuracy {accuracy} vs summary {summary['test_accuracy']}")
    print(f"probabilities recomputed from the re-read weights equal {PROBS} bit for bit; "
          f"accuracy {accuracy:.3f}")
    show(p, labels)
    print("check OK")


# --------------------------------------------------------------------------------------- build

def build():
    x_train, y_train = load_part("train")
    x_test, y_test = load_part("t10k")
    print(f"train {tuple(x_train.shape)}, test {tuple(x_test.shape)}, torch {torch.__version__}")
    model = train(x_train, y_train)
    state = model.state_dict()
    os.makedirs(OUT, exist_ok=True)
    meta = {"format": "pt", "model": "groundwork small-cnn (DjlModels.smallCnnBlock)",
            "input": "N x 1 x 28 x 28 float32, pixel b / 255f, no other normalisation",
            "output": "logits (apply softmax)", "torch": torch.__version__, "seed": SEED,
            "training": f"Adam lr {LR}, batch {BATCH}, {EPOCHS} epochs, 2000 embedded "
                        "Fashion-MNIST subset train images"}
    write_safetensors(os.path.join(OUT, WEIGHTS), state, meta)
    p = probabilities(model, x_test)
    with open(os.path.join(OUT, PROBS), "wb") as f:
        f.write(probs_bytes(p))
    accuracy = (p.argmax(1) == y_test).double().mean().item()
    summary = {
        "model": "small-cnn", "mirrors": "dev.groundwork.djl.DjlModels.smallCnnBlock",
        "torch_version": torch.__version__, "python": sys.version.split()[0],
        "seed": SEED, "threads": torch.get_num_threads(),
        "training": {"data": "embedded fashion-mnist-subset train-* (2000 images)",
                     "optimizer": "Adam", "lr": LR, "batch": BATCH, "epochs": EPOCHS,
                     "shuffle": "torch.randperm with torch.Generator().manual_seed(seed)"},
        "input": {"shape": [1, 28, 28], "scale": "b / 255f", "layout": "NCHW"},
        "parameters": [{"name": n, "shape": list(t.shape), "dtype": "F32"}
                       for n, t in state.items()],
        "djl_names": {"features.0.weight": "backbone conv1 weight",
                      "features.3.weight": "backbone conv2 weight",
                      "classifier.1.weight": "backbone fc1 weight",
                      "classifier.1.bias": "backbone fc1 bias",
                      "classifier.3.weight": "head weight",
                      "classifier.3.bias": "head bias"},
        "test": {"data": "embedded fashion-mnist-subset t10k-* in file order",
                 "count": int(x_test.shape[0])},
        "probs_file": {"name": PROBS, "dtype": "float32 little-endian",
                       "shape": [int(x_test.shape[0]), CLASSES], "order": "row-major"},
        "test_accuracy": accuracy,
        "test_correct": int((p.argmax(1) == y_test).sum()),
        "min_top1_top2_gap": float((lambda s: (s[:, -1] - s[:, -2]).min())(p.sort(1).values)),
        "tolerance_note": "probabilities are bit-reproducible with this torch on this machine; "
                          "another engine/BLAS should agree to ~1e-6 absolute (a float64 numpy "
                          "forward pass agrees to 1.3e-6), so compare with ~1e-5",
        "first_probs": [[float(v) for v in p[i].tolist()] for i in range(SHOWN)],
        "first_labels": [int(v) for v in y_test[:SHOWN]],
        "sha256": {WEIGHTS: sha256(os.path.join(OUT, WEIGHTS)),
                   PROBS: sha256(os.path.join(OUT, PROBS))},
        "script": "examples/tools/pytorch_small_cnn_fixture.py",
    }
    with open(os.path.join(OUT, SUMMARY), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")
    print(f"wrote {OUT}/{{{WEIGHTS},{PROBS},{SUMMARY}}}; test accuracy {accuracy:.3f}")
    check(state)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only check the existing files")
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    if args.check:
        check()
    else:
        build()


if __name__ == "__main__":
    main()
