#!/usr/bin/env python3
"""The worker's ONNX graphs, executed op by op with PyTorch, checked against ONNX Runtime and timed.

For a GPU machine that cannot run the worker's own code path (ONNX Runtime's CUDA build for Java needs CUDA 12 and
cuDNN 9 and weighs 642 MB; see docs/benchmarks.md, "GPU-ready inference"): the models exported by
`load-tests/gpu/export-models` are read with a small protobuf reader (no `onnx` package needed), every node is
mapped to the equivalent PyTorch (or NumPy) operation, the results on the exported reference tiles are compared
with what the worker's ONNX Runtime returned for them, and then each model is timed per batch size on the GPU:
model only (tiles already in GPU memory), with the copies I/O binding makes (float32 tiles in from a reused pinned
buffer, outputs back into reused pinned buffers) and with naive copies (fresh host memory for every output). Where the `onnxruntime` Python package is present it is timed on the CPU too, on all cores, for scale.

    python3 load-tests/gpu/graph_bench.py MODELS_DIR [--device cuda|cpu|numpy] [--batches 16,64,256]
                                          [--seconds 3] [--check-only]

Prints markdown tables. The NumPy backend exists so that the graph mapping can be checked on a machine without
PyTorch (it is slow; use it with --check-only).
"""

import argparse
import os
import struct
import sys
import time

import numpy as np

# ---------------------------------------------------------------------------------------------------------------
# A protobuf reader for the few ONNX messages the worker's models use (field numbers from onnx.proto).


def _varint(buf, pos):
    result = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, pos
        shift += 7


def _fields(buf):
    """Yields (field number, wire type, value) of one message; length-delimited values are memoryviews."""
    pos, end = 0, len(buf)
    while pos < end:
        key, pos = _varint(buf, pos)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(buf, pos)
        elif wire == 1:
            value = buf[pos:pos + 8]
            pos += 8
        elif wire == 2:
            length, pos = _varint(buf, pos)
            value = buf[pos:pos + length]
            pos += length
        elif wire == 5:
            value = buf[pos:pos + 4]
            pos += 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        yield field, wire, value


def _signed(v):
    return v - (1 << 64) if v >= 1 << 63 else v


def _packed_varints(value, wire):
    if wire == 0:
        return [_signed(value)]
    out, pos = [], 0
    while pos < len(value):
        v, pos = _varint(value, pos)
        out.append(_signed(v))
    return out


_DTYPES = {1: np.float32, 7: np.int64, 9: np.bool_}


def _tensor(buf):
    dims, dtype, name, raw, floats, longs = [], 1, "", None, [], []
    for field, wire, value in _fields(buf):
        if field == 1:
            dims += _packed_varints(value, wire)
        elif field == 2:
            dtype = value
        elif field == 4:
            floats += list(struct.unpack(f"<{len(value) // 4}f", bytes(value))) if wire == 2 else [
                struct.unpack("<f", bytes(value))[0]]
        elif field == 7:
            longs += _packed_varints(value, wire)
        elif field == 8:
            name = bytes(value).decode()
        elif field == 9:
            raw = bytes(value)
    if dtype not in _DTYPES:
        raise ValueError(f"tensor {name}: unsupported data type {dtype}")
    if raw is not None:
        array = np.frombuffer(raw, dtype=np.dtype(_DTYPES[dtype]).newbyteorder("<")).copy()
    else:
        array = np.array(floats if dtype == 1 else longs, dtype=_DTYPES[dtype])
    return name, array.reshape(dims)


def _attribute(buf):
    name, kind, f, i, ints, floats = "", 0, None, None, [], []
    for field, wire, value in _fields(buf):
        if field == 1:
            name = bytes(value).decode()
        elif field == 2:
            f = struct.unpack("<f", bytes(value))[0]
        elif field == 3:
            i = _signed(value)
        elif field == 8:
            ints += _packed_varints(value, wire)
        elif field == 7:
            floats += [struct.unpack("<f", bytes(value))[0]]
        elif field == 20:
            kind = value
    return name, {1: f, 2: i, 6: floats, 7: ints}.get(kind, i if i is not None else (f if f is not None else ints))


class Node:
    def __init__(self, buf):
        self.inputs, self.outputs, self.op, self.attributes = [], [], "", {}
        for field, _, value in _fields(buf):
            if field == 1:
                self.inputs.append(bytes(value).decode())
            elif field == 2:
                self.outputs.append(bytes(value).decode())
            elif field == 4:
                self.op = bytes(value).decode()
            elif field == 5:
                key, attribute = _attribute(value)
                self.attributes[key] = attribute


class Graph:
    def __init__(self, path):
        model = memoryview(open(path, "rb").read())
        graph = next(value for field, _, value in _fields(model) if field == 7)
        self.nodes, self.initializers, self.inputs = [], {}, []
        for field, _, value in _fields(graph):
            if field == 1:
                self.nodes.append(Node(value))
            elif field == 5:
                name, array = _tensor(value)
                self.initializers[name] = array
            elif field == 11:
                self.inputs.append(bytes(next(v for f, _, v in _fields(value) if f == 1)).decode())

    def ops(self):
        return sorted({n.op for n in self.nodes})


# ---------------------------------------------------------------------------------------------------------------
# Backends: the same graph on PyTorch (CUDA or CPU) or NumPy.


def _pads(node, rank=2):
    pads = node.attributes.get("pads", [0] * (2 * rank))
    return pads[:rank], pads[rank:]


class TorchBackend:
    def __init__(self, device):
        import torch
        import torch.nn.functional as F

        self.torch, self.F, self.device = torch, F, torch.device(device)

    def constant(self, array):
        return self.torch.from_numpy(np.ascontiguousarray(array)).to(self.device)

    def to_numpy(self, value):
        return value.detach().cpu().numpy()

    def _padded(self, x, node, value=0.0):
        begin, end = _pads(node)
        if begin == end:
            return x, tuple(begin)
        return self.F.pad(x, (begin[1], end[1], begin[0], end[0]), value=value), (0, 0)

    def run(self, node, args, constants):
        torch, F, a = self.torch, self.F, node.attributes
        op = node.op
        if op == "Conv":
            x, padding = self._padded(args[0], node)
            return F.conv2d(x, args[1], args[2] if len(args) > 2 else None,
                            stride=tuple(a.get("strides", [1, 1])), padding=padding,
                            dilation=tuple(a.get("dilations", [1, 1])), groups=a.get("group", 1))
        if op == "AveragePool":
            begin, end = _pads(node)
            if begin != end and not a.get("count_include_pad", 0):
                raise NotImplementedError("AveragePool with uneven pads that are not counted")
            x, padding = self._padded(args[0], node)
            return F.avg_pool2d(x, tuple(a["kernel_shape"]), stride=tuple(a.get("strides", [1, 1])),
                                padding=padding, count_include_pad=bool(a.get("count_include_pad", 0)))
        if op == "MaxPool":
            x, padding = self._padded(args[0], node, value=float("-inf"))
            return F.max_pool2d(x, tuple(a["kernel_shape"]), stride=tuple(a.get("strides", [1, 1])), padding=padding)
        if op == "Slice":
            starts, ends = constants[node.inputs[1]], constants[node.inputs[2]]
            axes = constants[node.inputs[3]] if len(node.inputs) > 3 else range(len(starts))
            index = [slice(None)] * args[0].dim()
            for s, e, ax in zip(starts, ends, axes):
                index[int(ax)] = slice(int(s), int(min(e, args[0].shape[int(ax)])))
            return args[0][tuple(index)]
        if op == "ArgMax":
            return torch.argmax(args[0], dim=a.get("axis", 0), keepdim=bool(a.get("keepdims", 1)))
        if op == "Softmax":
            return torch.softmax(args[0], dim=a.get("axis", -1))
        if op == "Concat":
            return torch.cat(args, dim=a["axis"])
        if op == "Cast":
            return args[0].to({1: torch.float32, 7: torch.int64, 9: torch.bool}[a["to"]])
        simple = {"Add": torch.add, "Sub": torch.sub, "Mul": torch.mul, "Div": torch.div, "Greater": torch.gt,
                  "Equal": torch.eq, "And": torch.logical_and, "Log": torch.log, "Neg": torch.neg,
                  "Sigmoid": torch.sigmoid, "Identity": lambda x: x}
        if op in simple:
            return simple[op](*args)
        raise NotImplementedError(f"operator {op} has no PyTorch mapping")


class NumpyBackend:
    def constant(self, array):
        return array

    def to_numpy(self, value):
        return value

    def _padded(self, x, node, value=0.0):
        begin, end = _pads(node)
        return np.pad(x, ((0, 0), (0, 0), (begin[0], end[0]), (begin[1], end[1])), constant_values=value)

    @staticmethod
    def _windows(x, kernel, strides):
        from numpy.lib.stride_tricks import sliding_window_view

        w = sliding_window_view(x, tuple(kernel), axis=(2, 3))
        return w[:, :, ::strides[0], ::strides[1]]

    def run(self, node, args, constants):
        a, op = node.attributes, node.op
        strides = a.get("strides", [1, 1])
        if op == "Conv":
            if a.get("group", 1) != 1 or a.get("dilations", [1, 1]) != [1, 1]:
                raise NotImplementedError("grouped or dilated Conv")
            w = args[1]
            windows = self._windows(self._padded(args[0], node), w.shape[2:], strides)
            out = np.einsum("nchwij,ocij->nohw", windows, w, optimize=True).astype(np.float32)
            return out + args[2].reshape(1, -1, 1, 1) if len(args) > 2 else out
        if op == "AveragePool":
            kernel = a["kernel_shape"]
            total = self._windows(self._padded(args[0], node), kernel, strides).sum(axis=(-1, -2))
            if a.get("count_include_pad", 0):
                return (total / (kernel[0] * kernel[1])).astype(np.float32)
            ones = np.ones((1, 1) + args[0].shape[2:], dtype=np.float32)
            count = self._windows(self._padded(ones, node), kernel, strides).sum(axis=(-1, -2))
            return (total / count).astype(np.float32)
        if op == "MaxPool":
            windows = self._windows(self._padded(args[0], node, -np.inf), a["kernel_shape"], strides)
            return windows.max(axis=(-1, -2))
        if op == "Slice":
            starts, ends = constants[node.inputs[1]], constants[node.inputs[2]]
            axes = constants[node.inputs[3]] if len(node.inputs) > 3 else range(len(starts))
            index = [slice(None)] * args[0].ndim
            for s, e, ax in zip(starts, ends, axes):
                index[int(ax)] = slice(int(s), int(min(e, args[0].shape[int(ax)])))
            return args[0][tuple(index)]
        if op == "ArgMax":
            out = np.argmax(args[0], axis=a.get("axis", 0)).astype(np.int64)
            return np.expand_dims(out, a.get("axis", 0)) if a.get("keepdims", 1) else out
        if op == "Softmax":
            e = np.exp(args[0] - args[0].max(axis=a.get("axis", -1), keepdims=True))
            return (e / e.sum(axis=a.get("axis", -1), keepdims=True)).astype(np.float32)
        if op == "Concat":
            return np.concatenate(args, axis=a["axis"])
        if op == "Cast":
            return args[0].astype({1: np.float32, 7: np.int64, 9: np.bool_}[a["to"]])
        simple = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": np.divide, "Greater": np.greater,
                  "Equal": np.equal, "And": np.logical_and, "Log": np.log, "Neg": np.negative,
                  "Sigmoid": lambda x: (1 / (1 + np.exp(-x))).astype(np.float32), "Identity": lambda x: x}
        if op in simple:
            out = simple[op](*args)
            return out.astype(np.float32) if out.dtype == np.float64 else out
        raise NotImplementedError(f"operator {op} has no NumPy mapping")


class Executor:
    """Runs a graph's nodes in order (the worker's graphs are written topologically sorted)."""

    def __init__(self, graph, backend):
        self.graph, self.backend = graph, backend
        self.constants = graph.initializers
        self.values = {name: backend.constant(array) for name, array in graph.initializers.items()}
        self.input = next(name for name in graph.inputs if name not in graph.initializers)

    def __call__(self, x, outputs):
        env = dict(self.values)
        env[self.input] = x
        for node in self.graph.nodes:
            args = [env[name] for name in node.inputs if name]
            result = self.backend.run(node, args, self.constants)
            env[node.outputs[0]] = result
        return [env[name] for name in outputs]


# ---------------------------------------------------------------------------------------------------------------


def read_models(folder):
    with open(os.path.join(folder, "models.tsv")) as f:
        header = f.readline().rstrip("\n").split("\t")
        return [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f if line.strip()]


def reference(folder, model, output):
    for suffix, dtype in ((".f32", np.float32), (".i64", np.int64)):
        path = os.path.join(folder, f"{model['task']}.{output}{suffix}")
        if os.path.exists(path):
            return np.fromfile(path, dtype=np.dtype(dtype).newbyteorder("<"))
    raise FileNotFoundError(f"no reference for {model['task']}.{output}")


def check(folder, model, executor, backend):
    tile = int(model["tile"])
    x = np.fromfile(os.path.join(folder, f"{model['task']}.input.f32"), dtype="<f4").reshape(-1, 3, tile, tile)
    outputs = model["outputs"].split(",")
    results = executor(backend.constant(x), outputs)
    lines = []
    for name, value in zip(outputs, results):
        got = backend.to_numpy(value).reshape(-1)
        want = reference(folder, model, name)
        if got.shape != want.shape:
            raise AssertionError(f"{model['task']}.{name}: {got.size} values, ONNX Runtime gave {want.size}")
        if want.dtype == np.int64 or set(np.unique(want)) <= {0.0, 1.0}:
            agree = float(np.mean(got.astype(want.dtype) == want))
            lines.append((name, f"{agree:.5f} of values equal"))
            ok = agree >= 0.999
        else:
            diff = float(np.max(np.abs(got.astype(np.float64) - want)))
            scale = float(np.max(np.abs(want))) or 1.0
            lines.append((name, f"max abs difference {diff:.2e} (largest value {scale:.2e})"))
            ok = diff <= 1e-3 * scale + 1e-4
        if not ok:
            raise AssertionError(f"{model['task']}.{name} disagrees with ONNX Runtime: {lines[-1][1]}")
    return lines


def noise(n, tile, seed=1):
    """H&E-coloured noise like NoiseTiles.hematoxylinAndEosin (synthetic-slides): 1 pixel in 20 nucleus-dark."""
    rng = np.random.default_rng(seed)
    nucleus = rng.random((n, 1, tile, tile)) < 0.05
    base = np.where(nucleus, np.array([90, 60, 150]).reshape(1, 3, 1, 1), np.array([210, 140, 200]).reshape(1, 3, 1, 1))
    return (base + rng.integers(0, 30, (n, 3, tile, tile))).astype(np.float32)


def time_torch(executor, backend, model, batch, seconds):
    """Tiles/s three ways: model only (tiles already on the GPU); with the copies a worker using I/O binding makes
    (tiles from a reused pinned host buffer, outputs into reused pinned buffers, one synchronisation per batch); and
    with naive copies (outputs into freshly allocated host memory, as without I/O binding)."""
    torch = backend.torch
    tile = int(model["tile"])
    outputs = model["outputs"].split(",")
    host = torch.from_numpy(noise(batch, tile)).pin_memory()
    device_input = host.to(backend.device)
    with torch.inference_mode():
        for _ in range(3):
            results = executor(device_input, outputs)
        pinned = [torch.empty(r.shape, dtype=r.dtype, pin_memory=True) for r in results]
        torch.cuda.synchronize()
        rates = {}
        for label in ("model only", "pinned copies", "naive copies"):
            tiles, start = 0, time.perf_counter()
            while time.perf_counter() - start < seconds:
                if label == "model only":
                    executor(device_input, outputs)
                elif label == "pinned copies":
                    device_input.copy_(host, non_blocking=True)
                    for target, result in zip(pinned, executor(device_input, outputs)):
                        target.copy_(result, non_blocking=True)
                    torch.cuda.current_stream().synchronize()
                else:
                    [r.to("cpu") for r in executor(host.to(backend.device), outputs)]
                tiles += batch
            torch.cuda.synchronize()
            rates[label] = tiles / (time.perf_counter() - start)
    memory = torch.cuda.max_memory_allocated() / 2**30
    torch.cuda.reset_peak_memory_stats()
    out_bytes = sum(r.element_size() * r[0].numel() for r in results)
    return rates, memory, out_bytes


def time_onnxruntime(folder, model, batch, seconds, threads):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    session = ort.InferenceSession(os.path.join(folder, model["file"]), options, providers=["CPUExecutionProvider"])
    tile = int(model["tile"])
    x = noise(batch, tile)
    outputs = model["outputs"].split(",")
    session.run(outputs, {"rgb": x})
    tiles, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        session.run(outputs, {"rgb": x})
        tiles += batch
    return tiles / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("models")
    parser.add_argument("--device", default="cuda", choices=["cuda", "cpu", "numpy"])
    parser.add_argument("--batches", default="16,64,256")
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--check-only", action="store_true")
    args = parser.parse_args()

    models = read_models(args.models)
    backend = NumpyBackend() if args.device == "numpy" else TorchBackend(args.device)
    if args.device == "cuda":
        torch = backend.torch
        props = torch.cuda.get_device_properties(0)
        print(f"GPU: {props.name}, {props.total_memory / 2**30:.0f} GiB, PyTorch {torch.__version__}, "
              f"CUDA {torch.version.cuda}, {os.cpu_count()} CPU cores")
        torch.backends.cudnn.benchmark = True
        # The worker computes in float32; TF32 convolutions would change results beyond the check's tolerance.
        torch.backends.cudnn.allow_tf32 = False
        torch.backends.cuda.matmul.allow_tf32 = False
    executors = {}
    print("\n| model | operators | check against the worker's ONNX Runtime |\n|---|---|---|")
    for model in models:
        graph = Graph(os.path.join(args.models, model["file"]))
        executor = Executor(graph, backend)
        executors[model["task"]] = executor
        lines = check(args.models, model, executor, backend)
        print(f"| `{model['task']}` | {len(graph.nodes)} nodes: {', '.join(graph.ops())} | "
              + "; ".join(f"{name}: {text}" for name, text in lines) + " |")
    if args.check_only or args.device != "cuda":
        return

    batches = [int(b) for b in args.batches.split(",")]
    print(f"\n## model tiles/s on the GPU (float32, {args.seconds:g} s per figure)\n")
    print("| model | tile | batch | model only | with I/O-binding copies | with naive copies | output bytes per tile "
          "| peak GPU memory GiB |\n|---|---|---:|---:|---:|---:|---:|---:|")
    for model in models:
        for batch in batches:
            rates, memory, out_bytes = time_torch(executors[model["task"]], backend, model, batch, args.seconds)
            print(f"| `{model['task']}` | {model['tile']}² | {batch} | {rates['model only']:.0f} | "
                  f"{rates['pinned copies']:.0f} | {rates['naive copies']:.0f} | {out_bytes / 2**20:.2f} MiB | "
                  f"{memory:.1f} |", flush=True)

    try:
        import onnxruntime as ort
    except ImportError:
        return
    threads = os.cpu_count()
    print(f"\n## the same graphs on ONNX Runtime {ort.__version__} (Python, CPU, {threads} intra-op threads, batch 16)"
          f"; providers offered: {', '.join(ort.get_available_providers())}\n")
    print("| model | tile | tiles/s |\n|---|---|---:|")
    for model in models:
        rate = time_onnxruntime(args.models, model, 16, args.seconds, threads)
        print(f"| `{model['task']}` | {model['tile']}² | {rate:.1f} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
