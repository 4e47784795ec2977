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
    small-cnn.onnx              the same trained net exported with torch.onnx.export (opset 13,
                                initializers not graph inputs, input "image" [batch, 1, 28, 28],
                                output "logits" [batch, 10]): its initializers are the weights
    small-cnn-fixture.json      summary: accuracy, torch version, seed, sha256 of the files,
                                parameter names/shapes, the ONNX initializer names, the first 8
                                rows of probabilities

Run from the repository root with Debian's python3-torch (not a pyenv python); torch.onnx.export
needs no `onnx` Python module in torch 1.13:

    /usr/bin/python3 examples/tools/pytorch_small_cnn_fixture.py          # build, then check
    /usr/bin/python3 examples/tools/pytorch_small_cnn_fixture.py --onnx   # only export the existing
                                                                           # weights to ONNX, check
    /usr/bin/python3 examples/tools/pytorch_small_cnn_fixture.py --check  # check existing files

The check re-reads the safetensors file with a second parser that shares no code with the
writer (struct/array instead of torch/numpy), compares every tensor bit for bit with the
state_dict (when building) and recomputes the probabilities from the re-read weights, which must
equal the .f32 file bit for bit; it also checks the sha256 values in the JSON. When the ONNX file
exists, its initializers are re-read with a minimal protobuf parser (no onnx module) and must
equal the safetensors tensors bit for bit.
"""
import argparse, array, gzip, hashlib, json, os, struct, sys

import torch
from torch import nn

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(ROOT, "core/src/main/resources/dev/groundwork/core/data/fashion-mnist-subset")
OUT = os.path.join(ROOT, "djl-backend/src/test/resources/pytorch")
WEIGHTS = "small-cnn.safetensors"
ONNX = "small-cnn.onnx"
OPSET = 13
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


# ------------------------------------------------------------------------------------ onnx export

def export_onnx(model):
    """Writes the net as ONNX; returns {onnx initializer name: state_dict name}."""
    model.eval()
    path = os.path.join(OUT, ONNX)
    tmp = path + ".tmp"
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), tmp, export_params=True,
                      opset_version=OPSET, do_constant_folding=True,
                      keep_initializers_as_inputs=False, training=torch.onnx.TrainingMode.EVAL,
                      input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}})
    os.replace(tmp, path)
    return onnx_names(read_onnx_initializers(path), model.state_dict())


def onnx_names(initializers, state):
    """Maps each ONNX initializer to the state_dict entry with the same shape and bits (the
    exporter may rename or fold tensors; every initializer must be a parameter, once)."""
    out = {}
    for name, (shape, values) in initializers.items():
        hits = [n for n, t in state.items() if list(t.shape) == shape
                and bits(values) == bits(array.array("f", t.detach().reshape(-1).tolist()))]
        if len(hits) != 1:
            raise AssertionError(f"ONNX initializer {name} {shape} matches {hits} in the "
                                 "state_dict")
        out[name] = hits[0]
    if sorted(out.values()) != sorted(state):
        raise AssertionError(f"ONNX initializers {list(out)} do not cover {list(state)}")
    return out


def _varint(b, i):
    shift = result = 0
    while True:
        if i >= len(b) or shift > 63:
            raise ValueError(f"bad varint at byte {i}")
        c = b[i]
        i += 1
        result |= (c & 0x7F) << shift
        if c < 0x80:
            return result, i
        shift += 7


def _fields(b):
    """(field, wire, value) of a protobuf message; value is an int or a bytes slice."""
    i = 0
    while i < len(b):
        key, i = _varint(b, i)
        field, wire = key >> 3, key & 7
        if wire == 0:
            v, i = _varint(b, i)
        elif wire == 1:
            v, i = b[i:i + 8], i + 8
        elif wire == 5:
            v, i = b[i:i + 4], i + 4
        elif wire == 2:
            n, i = _varint(b, i)
            v, i = b[i:i + n], i + n
        else:
            raise ValueError(f"wire type {wire}")
        if i > len(b):
            raise ValueError("field runs past the end")
        yield field, wire, v


def read_onnx_initializers(path):
    """{name: (shape, array('f'))} of ModelProto.graph.initializer, FLOAT raw_data only."""
    with open(path, "rb") as f:
        blob = memoryview(f.read())
    out = {}
    graphs = [v for f, w, v in _fields(blob) if f == 7 and w == 2]
    if len(graphs) != 1:
        raise ValueError(f"{len(graphs)} graphs")
    for f, w, t in _fields(graphs[0]):
        if f != 5:
            continue
        dims, dtype, name, raw = [], None, None, None
        for tf, tw, v in _fields(t):
            if tf == 1:
                dims.append(v)
            elif tf == 2:
                dtype = v
            elif tf == 8:
                name = bytes(v).decode("utf-8")
            elif tf == 9:
                raw = bytes(v)
            elif tf in (3, 4, 5, 6, 7, 10, 11, 13, 14):
                raise ValueError(f"initializer {name}: field {tf} (typed or external data)")
        count = 1
        for d in dims:
            count *= d
        if dtype != 1 or raw is None or len(raw) != 4 * count or name in out:
            raise ValueError(f"initializer {name}: type {dtype}, {len(raw or b'')} bytes, {dims}")
        values = array.array("f")
        values.frombytes(raw)
        if sys.byteorder != "little":
            values.byteswap()
        out[name] = (dims, values)
    return out


def onnx_summary(names, initializers):
    return {"file": ONNX, "opset": OPSET,
            "exporter": f"torch.onnx.export, torch {torch.__version__}",
            "input": {"name": "image", "shape": ["batch", 1, 28, 28]},
            "output": {"name": "logits", "shape": ["batch", CLASSES], "scores": "logits"},
            "initializers": [{"name": n, "shape": initializers[n][0], "data_type": "FLOAT",
                              "state_dict_name": names[n]} for n in initializers]}


def build_onnx():
    """Exports the trained weights of the existing safetensors file, updating the summary."""
    tensors, _, names = read_safetensors_independently(os.path.join(OUT, WEIGHTS))
    model = SmallCnn()
    model.load_state_dict({n: torch.tensor(tensors[n][1], dtype=torch.float32)
                          .reshape(tensors[n][0]) for n in names}, strict=True)
    mapping = export_onnx(model)
    summary_path = os.path.join(OUT, SUMMARY)
    summary = json.load(open(summary_path, encoding="utf-8"))
    summary["onnx"] = onnx_summary(mapping, read_onnx_initializers(os.path.join(OUT, ONNX)))
    summary["sha256"][ONNX] = sha256(os.path.join(OUT, ONNX))
    with open(summary_path, "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")
    print(f"wrote {OUT}/{ONNX}: initializers {mapping}")


def check_onnx(summary, tensors):
    path = os.path.join(OUT, ONNX)
    initializers = read_onnx_initializers(path)
    if summary["sha256"].get(ONNX) != sha256(path):
        raise AssertionError(f"sha256 of {ONNX} in the JSON summary does not match the file")
    listed = {e["name"]: e for e in summary["onnx"]["initializers"]}
    if list(listed) != list(initializers):
        raise AssertionError(f"ONNX initializers {list(initializers)} vs summary {list(listed)}")
    for name, (shape, values) in initializers.items():
        torch_name = listed[name]["state_dict_name"]
        if tensors[torch_name][0] != shape or bits(tensors[torch_name][1]) != bits(values):
            raise AssertionError(f"ONNX {name} differs from safetensors {torch_name}")
    print(f"{ONNX}: initializers {list(initializers)} equal the safetensors tensors bit for bit")


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
    if os.path.exists(os.path.join(OUT, ONNX)):
        check_onnx(summary, tensors)
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
    build_onnx()
    check(state)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="only check the existing files")
    mode.add_argument("--onnx", action="store_true",
                      help="only export the existing weights to ONNX, then check")
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    if args.check:
        check()
    elif args.onnx:
        build_onnx()
        check()
    else:
        build()


if __name__ == "__main__":
    main()
