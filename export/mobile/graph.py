"""Fixed-shape, mobile-friendly copies of an exported ONNX model (onnx and ONNX Runtime tools).

:func:`fixed_shape_model` pins every input to one shape (batch 1), runs ONNX shape inference
and ONNX Runtime's basic (standard-ops-only) optimisation, which folds the ``Shape`` →
``Reshape`` chains into constants, then rewrites the operators that ONNX Runtime's NNAPI and
CoreML execution providers do not take (:func:`mobile_rewrites`) into ones they do, with the
same results:

- ``InstanceNormalization`` (the exported GroupNorm) → ``ReduceMean``, ``Sub``, ``Mul``,
  ``Add``, ``Sqrt``, ``Div`` (and the affine ``Mul``/``Add`` when not the identity);
- ``Neg`` → ``Mul`` by -1;
- ``Cast(Greater(x, c))`` to float → ``Clip((x - c) * GREATER_GAIN, 0, 1)`` (equal to the step
  except for x within ``1 / GREATER_GAIN`` above c; exact in fp16, whose spacing near 0.5 is
  coarser than that);
- ``ReduceMax`` / ``ReduceSum`` over the channel axis → a chain of ``Max`` over channel slices
  / a 1×1 ``Conv`` with weights 1.

:func:`to_fp16` keeps float32 inputs and outputs (casts inside the graph), like
``tryon-export --fp16``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import onnx
from onnx import helper, numpy_helper

__all__ = ["GREATER_GAIN", "fixed_shape_model", "mobile_rewrites", "op_counts", "to_fp16"]

GREATER_GAIN = 1.0e4  # slope of the clipped ramp standing in for Greater (fp16-representable)


def fixed_shape_model(source: str | Path, shapes: dict[str, list[int]],
                      rewrite: bool = True) -> onnx.ModelProto:
    """``source`` with each input of ``shapes`` pinned (name → full shape), shapes inferred,
    basic-optimised and (``rewrite``) :func:`mobile_rewrites` applied; metadata kept."""
    from onnxruntime.tools.onnx_model_utils import (
        fix_output_shapes,
        make_input_shape_fixed,
        optimize_model,
    )

    model = onnx.load(str(source))
    for name, shape in shapes.items():
        make_input_shape_fixed(model.graph, name, shape)
    fix_output_shapes(model)
    model = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    with tempfile.TemporaryDirectory() as tmp:
        pinned, optimised = Path(tmp) / "pinned.onnx", Path(tmp) / "optimised.onnx"
        onnx.save(model, pinned)
        optimize_model(pinned, optimised)
        result = onnx.load(str(optimised))
    del result.metadata_props[:]
    result.metadata_props.extend(model.metadata_props)
    result.doc_string, result.model_version = model.doc_string, model.model_version
    if rewrite:
        result = mobile_rewrites(result)
    result = onnx.shape_inference.infer_shapes(result, strict_mode=True)
    onnx.checker.check_model(result, full_check=True)
    return result


def mobile_rewrites(model: onnx.ModelProto) -> onnx.ModelProto:
    """``model`` (fixed shapes, inferred) with the rewrites of this module's docstring."""
    graph = model.graph
    shapes = _shapes(model)
    consumers: dict[str, list[onnx.NodeProto]] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    constants = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
    for node in graph.node:
        if node.op_type == "Constant" and node.attribute and node.attribute[0].name == "value":
            constants[node.output[0]] = numpy_helper.to_array(node.attribute[0].t)
    builder = _Builder(graph)
    nodes: list[onnx.NodeProto] = []
    skip: set[int] = set()
    for node in graph.node:
        if id(node) in skip:
            continue
        if node.op_type == "InstanceNormalization":
            nodes += builder.instance_norm(node, constants)
        elif node.op_type == "Neg":
            nodes += [builder.node("Mul", [node.input[0], builder.const(np.float32(-1))],
                                   node.output)]
        elif (node.op_type == "Greater" and node.input[1] in constants
              and len(consumers.get(node.output[0], [])) == 1
              and consumers[node.output[0]][0].op_type == "Cast"):
            cast = consumers[node.output[0]][0]
            skip.add(id(cast))
            threshold = np.float32(constants[node.input[1]].reshape(()))
            nodes += builder.ramp(node.input[0], threshold, cast.output[0])
        elif node.op_type in ("ReduceMax", "ReduceSum") and _channel_reduce(node, constants):
            channels = shapes[node.input[0]][1]
            nodes += builder.channel_reduce(node, channels)
        else:
            nodes.append(node)
    for node in nodes:
        _fill_optional_inputs(node, builder)
    del graph.node[:]
    graph.node.extend(nodes)
    _drop_unused_initializers(graph)
    return model


def _fill_optional_inputs(node: onnx.NodeProto, builder: _Builder) -> None:
    """Drop trailing empty optional inputs and give ``Resize`` an empty ``roi`` constant: the
    mobile checker counts an empty input name as a value of unknown (dynamic) shape."""
    names = list(node.input)
    while names and not names[-1]:
        names.pop()
    if node.op_type == "Resize" and len(names) > 1 and not names[1]:
        names[1] = builder.const(np.zeros((0,), np.float32))
    del node.input[:]
    node.input.extend(names)


def _drop_unused_initializers(graph: onnx.GraphProto) -> None:
    used = {name for node in graph.node for name in node.input}
    used |= {output.name for output in graph.output}
    kept = [init for init in graph.initializer if init.name in used]
    del graph.initializer[:]
    graph.initializer.extend(kept)


def to_fp16(model: onnx.ModelProto) -> onnx.ModelProto:
    """A half-precision copy of ``model`` (weights and compute) with float32 inputs and
    outputs, by ONNX Runtime's converter (``keep_io_types``)."""
    from onnxruntime.transformers.float16 import convert_float_to_float16

    half = convert_float_to_float16(model, keep_io_types=True, disable_shape_infer=False,
                                    )
    # The converter appends its input casts at the end and casts a constant shared by several
    # Resize nodes once per node, under one name.
    _drop_repeated_nodes(half.graph)
    _fold_constant_casts(half.graph)  # constant Resize scales, so shapes stay known
    _drop_unused_initializers(half.graph)
    _topological_sort(half.graph)
    del half.graph.value_info[:]  # stale float32 types; inferred again
    half = onnx.shape_inference.infer_shapes(half, strict_mode=True)
    onnx.checker.check_model(half, full_check=True)
    return half


def op_counts(model: onnx.ModelProto) -> dict[str, int]:
    """Operator type → how many nodes of it, sorted by name."""
    counts: dict[str, int] = {}
    for node in model.graph.node:
        counts[node.op_type] = counts.get(node.op_type, 0) + 1
    return dict(sorted(counts.items()))


def _fold_constant_casts(graph: onnx.GraphProto) -> None:
    """Replace each ``Cast`` of an initializer by the cast initializer."""
    initializers = {init.name: init for init in graph.initializer}
    kept = []
    for node in graph.node:
        if node.op_type == "Cast" and node.input[0] in initializers:
            to = next(a.i for a in node.attribute if a.name == "to")
            value = numpy_helper.to_array(initializers[node.input[0]])
            dtype = helper.tensor_dtype_to_np_dtype(to)
            graph.initializer.append(numpy_helper.from_array(value.astype(dtype),
                                                             node.output[0]))
        else:
            kept.append(node)
    del graph.node[:]
    graph.node.extend(kept)


def _drop_repeated_nodes(graph: onnx.GraphProto) -> None:
    """Remove nodes that repeat an earlier node exactly (same outputs, inputs and op)."""
    seen: set[bytes] = set()
    produced: set[str] = set()
    kept = []
    for node in graph.node:
        key = node.SerializeToString()
        if key in seen:
            continue
        if produced.intersection(node.output):
            raise ValueError(f"two different nodes produce {list(node.output)}")
        seen.add(key)
        produced.update(node.output)
        kept.append(node)
    del graph.node[:]
    graph.node.extend(kept)


def _topological_sort(graph: onnx.GraphProto) -> None:
    """Reorder ``graph``'s nodes so that each comes after the producers of its inputs."""
    ready = {value.name for value in [*graph.input, *graph.initializer]} | {""}
    pending, ordered = list(graph.node), []
    while pending:
        waiting = []
        for node in pending:
            if all(name in ready for name in node.input):
                ordered.append(node)
                ready.update(node.output)
            else:
                waiting.append(node)
        if len(waiting) == len(pending):
            raise ValueError("the graph has a cycle or an input nobody produces")
        pending = waiting
    del graph.node[:]
    graph.node.extend(ordered)


def _shapes(model: onnx.ModelProto) -> dict[str, list[int]]:
    values = [*model.graph.value_info, *model.graph.input, *model.graph.output]
    return {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim] for v in values}


def _channel_reduce(node: onnx.NodeProto, constants: dict[str, np.ndarray]) -> bool:
    """Whether ``node`` reduces over axis 1 only, keeping dims."""
    attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
    axes = attrs.get("axes")
    if axes is None and len(node.input) > 1 and node.input[1] in constants:
        axes = constants[node.input[1]].tolist()
    return attrs.get("keepdims", 1) == 1 and list(axes or []) == [1]


class _Builder:
    """New nodes and constants with unique names, added to ``graph``'s initializers."""

    def __init__(self, graph: onnx.GraphProto) -> None:
        self.graph = graph
        self.count = 0

    def name(self, stem: str) -> str:
        self.count += 1
        return f"/mobile/{stem}_{self.count}"

    def const(self, value: np.ndarray | np.floating) -> str:
        name = self.name("const")
        self.graph.initializer.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def node(self, op: str, inputs: list[str], outputs: list[str] | None = None,
             **attrs: object) -> onnx.NodeProto:
        outputs = outputs or [self.name(op.lower())]
        return helper.make_node(op, inputs, outputs, name=self.name(op), **attrs)

    def instance_norm(self, node: onnx.NodeProto,
                      constants: dict[str, np.ndarray]) -> list[onnx.NodeProto]:
        """(x - mean) / sqrt(var + eps) over the axes after the channel, then scale, bias."""
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        epsilon = np.float32(attrs.get("epsilon", 1e-5))
        x, scale, bias = node.input
        # Axes 2.. of the input: the exported GroupNorm reshapes to (N, G, L) first.
        scale_value, bias_value = constants.get(scale), constants.get(bias)
        axes = [2] if self._rank(x) == 3 else [2, 3]
        mean = self.node("ReduceMean", [x], axes=axes, keepdims=1)
        centred = self.node("Sub", [x, mean.output[0]])
        square = self.node("Mul", [centred.output[0], centred.output[0]])
        variance = self.node("ReduceMean", [square.output[0]], axes=axes, keepdims=1)
        padded = self.node("Add", [variance.output[0], self.const(epsilon)])
        root = self.node("Sqrt", [padded.output[0]])
        identity = (scale_value is not None and bias_value is not None
                    and np.all(scale_value == 1) and np.all(bias_value == 0))
        out = node.output[0]
        normed = self.node("Div", [centred.output[0], root.output[0]],
                           [out] if identity else None)
        nodes = [mean, centred, square, variance, padded, root, normed]
        if not identity:
            shape = [1, -1] + [1] * len(axes)
            scale_name = (self.const(scale_value.reshape(shape).astype(np.float32))
                          if scale_value is not None else scale)
            bias_name = (self.const(bias_value.reshape(shape).astype(np.float32))
                         if bias_value is not None else bias)
            scaled = self.node("Mul", [normed.output[0], scale_name])
            nodes += [scaled, self.node("Add", [scaled.output[0], bias_name], [out])]
        return nodes

    def ramp(self, x: str, threshold: np.float32, out: str) -> list[onnx.NodeProto]:
        shifted = self.node("Sub", [x, self.const(threshold)])
        steep = self.node("Mul", [shifted.output[0], self.const(np.float32(GREATER_GAIN))])
        clipped = self.node("Clip", [steep.output[0], self.const(np.float32(0)),
                                     self.const(np.float32(1))], [out])
        return [shifted, steep, clipped]

    def channel_reduce(self, node: onnx.NodeProto, channels: int) -> list[onnx.NodeProto]:
        x, out = node.input[0], node.output[0]
        if node.op_type == "ReduceSum":
            ones = self.const(np.ones((1, channels, 1, 1), np.float32))
            return [self.node("Conv", [x, ones], [out], kernel_shape=[1, 1])]
        if channels == 1:
            return [self.node("Identity", [x], [out])]
        slices = [self.node("Slice", [x, self.const(np.array([c], np.int64)),
                                      self.const(np.array([c + 1], np.int64)),
                                      self.const(np.array([1], np.int64))])
                  for c in range(channels)]
        return [*slices, self.node("Max", [s.output[0] for s in slices], [out])]

    def _rank(self, name: str) -> int:
        for value in [*self.graph.value_info, *self.graph.input]:
            if value.name == name:
                return len(value.type.tensor_type.shape.dim)
        return 4
