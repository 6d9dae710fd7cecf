/**
 * tools/convert_tfjs.py and tools/export_tfjs.py: weights between the app's TF.js layers format
 * and model.py, matched by layer name and checked by shape.
 */

const SHARED = (cls: string) => `import json
import os
import re
import sys

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import model as generated  # noqa: E402

RENAMED = getattr(generated, "TFJS_RENAMED", {})
ATTRIBUTE_OF = dict(RENAMED)
LAYER_OF = {attr: layer for layer, attr in RENAMED.items()}


def new_model():
    return generated.${cls}()


def tfjs_tensors(module):
    """(TF.js weight name, PyTorch tensor, TF.js array from the tensor, tensor from a TF.js array) per weight."""
    # TF kernels are (kh, kw, in, out), PyTorch's (out, in, kh, kw); transposed ones (kh, kw, out, in) and (in, out, kh, kw)
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
        yield "kernel", module.weight, lambda t: t.permute(2, 3, 1, 0), lambda a: a.transpose(3, 2, 0, 1)
    elif isinstance(module, nn.Linear):  # TF kernels are (in, out)
        yield "kernel", module.weight, lambda t: t.t(), lambda a: a.T
    elif isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)):
        for tf_name, tensor in (("gamma", module.weight), ("beta", module.bias),
                                ("moving_mean", module.running_mean), ("moving_variance", module.running_var)):
            yield tf_name, tensor, lambda t: t, lambda a: a
        return
    else:
        return
    if module.bias is not None:
        yield "bias", module.bias, lambda t: t, lambda a: a


def weighted_layers(model):
    """(TF.js layer name, module) for every module that holds weights, in the model's order."""
    for attr, module in model.named_children():
        if any(True for _ in tfjs_tensors(module)):
            yield LAYER_OF.get(attr, attr), module
`;

export function convertTfjsPy(cls: string): string {
  return `"""TF.js layers model (model.json + its .bin, as Tensorloom's Export writes it) → weights.pt for model.py.

    python tools/convert_tfjs.py model.json weights.pt

Weights are matched by layer name and checked by shape; a model.json from a different graph is refused
with the first layer that differs.
"""
${SHARED(cls)}
DTYPES = {"float32": np.float32, "int32": np.int32}


def read_tfjs(path):
    """{layer name: {weight name: array}} from model.json and the weight files its manifest lists."""
    with open(path) as f:
        spec = json.load(f)
    base = os.path.dirname(os.path.abspath(path))
    layers = {}
    for group in spec["weightsManifest"]:
        data = b"".join(open(os.path.join(base, p), "rb").read() for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            if w.get("quantization") or w["dtype"] not in DTYPES:
                sys.exit(f"{path}: weight {w['name']} is {w['dtype']}{' (quantized)' if w.get('quantization') else ''}; only unquantized float32 is read")
            dtype = np.dtype(DTYPES[w["dtype"]])
            count = int(np.prod(w["shape"], dtype=np.int64))
            array = np.frombuffer(data, dtype, count=count, offset=offset).reshape(w["shape"])
            offset += count * dtype.itemsize
            layer, _, name = w["name"].rpartition("/")
            # TF.js numbers a weight name's repeats (kernel_1) when one page builds a model twice.
            layers.setdefault(layer, {})[re.sub(r"_\\d+$", "", name)] = array
        if offset != len(data):
            sys.exit(f"{path}: the weight files hold {len(data):,} bytes, the manifest describes {offset:,}")
    return layers


def convert(model_json, out):
    tfjs = read_tfjs(model_json)
    model = new_model()
    seen = set()
    with torch.no_grad():
        for layer, module in weighted_layers(model):
            if layer not in tfjs:
                sys.exit(f"refused: layer {layer!r} of this model has no weights in {model_json} (exported from a different graph?)")
            seen.add(layer)
            for name, tensor, to_tf, from_tf in tfjs_tensors(module):
                array = tfjs[layer].get(name)
                expected = tuple(to_tf(tensor).shape)
                if array is None or array.shape != expected:
                    got = "nothing" if array is None else list(array.shape)
                    sys.exit(f"refused: layer {layer!r} weight {name!r} is {got} in {model_json}, this model expects {list(expected)}")
                tensor.copy_(torch.from_numpy(np.array(from_tf(array), dtype=np.float32)))  # a writable copy
    extra = sorted(set(tfjs) - seen)
    if extra:
        sys.exit(f"refused: {model_json} has weights for layer {extra[0]!r}, which this model does not have (exported from a different graph?)")
    torch.save(model.state_dict(), out)
    print(f"{out}: {sum(len(v) for v in tfjs.values())} weights of {len(seen)} layers from {model_json}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    convert(sys.argv[1], sys.argv[2])
`;
}

export function exportTfjsPy(cls: string): string {
  return `"""weights.pt or a train.py checkpoint → TF.js layers model (model.json + model.weights.bin) that
Tensorloom imports onto this graph.

    python tools/export_tfjs.py runs/weights.pt exported/
"""
${SHARED(cls)}
TOPOLOGY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "model_topology.json")


def export(weights, out_dir):
    state = torch.load(weights, map_location="cpu")
    if "model" in state and "optimizer" in state:
        state = state["model"]
    model = new_model()
    try:
        model.load_state_dict(state)
    except RuntimeError as e:
        sys.exit(f"refused: {weights} does not fit this model: {e}")
    specs, chunks = [], []
    for layer, module in weighted_layers(model):
        for name, tensor, to_tf, _ in tfjs_tensors(module):
            array = np.ascontiguousarray(to_tf(tensor.detach()).numpy(), dtype=np.float32)
            specs.append({"name": f"{layer}/{name}", "shape": list(array.shape), "dtype": "float32"})
            chunks.append(array.tobytes())
    with open(TOPOLOGY) as f:
        topology = json.load(f)
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "model.weights.bin"), "wb") as f:
        f.write(b"".join(chunks))
    with open(os.path.join(out_dir, "model.json"), "w") as f:
        json.dump({"format": "layers-model", "generatedBy": f"PyTorch {torch.__version__}", "convertedBy": "Tensorloom tools/export_tfjs.py",
                   "modelTopology": topology, "weightsManifest": [{"paths": ["./model.weights.bin"], "weights": specs}]}, f)
    print(f"{out_dir}/model.json: {len(specs)} weights from {weights}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    export(sys.argv[1], sys.argv[2])
`;
}
