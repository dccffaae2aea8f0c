#!/usr/bin/python3
"""Generate tiny ONNX models that are wrong in ways a load must catch, for ocrkit's tests.

Run from the repository root with Debian's Python (nothing from PyPI):

    apt-get install -y --no-install-recommends python3-onnx python3-numpy
    /usr/bin/python3 scripts/gen-check-models.py

Writes test/fixtures/check-models/ (it deletes and rewrites that folder). Each model is a few hundred bytes of
onnx.helper graph (opset 13, no weights to speak of) that loads in ONNX Runtime and runs; what is wrong with it is
what it produces:

  det_transposed.onnx       a DB-style detector, [N,3,H,W] -> [N,1,W,H]: its map is transposed, which a square
                            input does not show (the engine's check at load runs 64 x 64).
  det_fixed_map.onnx        a detector whose map is always [N,1,64,64], whatever the input size.
  det_no_output_shape.onnx  a correct detector, [N,3,H,W] -> [N,1,H,W], whose output is declared without a shape
                            (as some exports, and as ONNX Runtime reports an output it cannot infer).
  det_nan.onnx              a detector whose map is NaN everywhere.
  det_uint8_input.onnx      a detector taking uint8 pixels (as some exports with the normalisation inside do).
  rec_nan.onnx              a CTC recogniser, [N,3,48,W] -> [N,W/8,38] (test/fixtures/rec-models/dict36.txt with
                            the space: 36 + space + blank), all NaN.
  rec_logits.onnx           the same shapes, raw scores (not a softmax): the default definition reads probabilities.
  det_nan_bright.onnx       a detector right for a blank input (the load check's) whose map is NaN where the image
                            is bright: broken for some images only.
  rec_nan_bright.onnx       a CTC recogniser giving probabilities (a softmax of rec_logits' scores), NaN at the
                            steps where the crop is bright.
  cls_nan_bright.onnx       a text-line orientation classifier, [N,3,48,192] -> [N,2] probabilities, NaN for a
                            bright crop.
  doc_nan_bright.onnx       a document orientation classifier, [N,3,224,224] -> [N,4] probabilities, NaN for a
                            bright page.
  cls_nan.onnx, doc_nan.onnx  the same two classifiers, NaN for every input (a blank one too: the load check's).
"""
import os
import shutil

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join("test", "fixtures", "check-models")
OPSET = 13


def save(graph, name, doc, unshaped_output=False):
    model = helper.make_model(graph, producer_name="ocrkit scripts/gen-check-models.py",
                              opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 7
    model.doc_string = doc
    onnx.checker.check_model(model)
    if unshaped_output:  # the checker wants a shape on graph outputs; ONNX Runtime reads a model without
        model.graph.output[0].type.tensor_type.ClearField("shape")
    path = os.path.join(OUT, name)
    onnx.save(model, path)
    assert os.path.getsize(path) < 4096, path
    print(f"{path}: {os.path.getsize(path)} bytes")


def det_input():
    return helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, "H", "W"])


def map_nodes(out):
    """[N,3,H,W] -> a probability map [N,1,H,W] in `out`: the sigmoid of the channel mean."""
    return [
        helper.make_node("ReduceMean", ["x"], ["mean"], axes=[1], keepdims=1),
        helper.make_node("Sigmoid", ["mean"], [out]),
    ]


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)

    nodes = map_nodes("map") + [helper.make_node("Transpose", ["map"], ["y"], perm=[0, 1, 3, 2])]
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 1, "W", "H"])
    save(helper.make_graph(nodes, "det_transposed", [det_input()], [y]), "det_transposed.onnx",
         "DB-style detector whose map is transposed")

    nodes = map_nodes("map") + [helper.make_node("Resize", ["map", "", "", "size"], ["y"], mode="nearest")]
    size = numpy_helper.from_array(np.array([1, 1, 64, 64], dtype=np.int64), "size")
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 1, 64, 64])
    save(helper.make_graph(nodes, "det_fixed_map", [det_input()], [y], [size]), "det_fixed_map.onnx",
         "detector whose map is always 64 x 64")

    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 1, "H", "W"])
    save(helper.make_graph(map_nodes("y"), "det_no_output_shape", [det_input()], [y]), "det_no_output_shape.onnx",
         "correct detector, output declared without a shape", unshaped_output=True)

    nodes = [
        helper.make_node("ReduceMean", ["x"], ["mean"], axes=[1], keepdims=1),
        helper.make_node("Abs", ["mean"], ["abs"]),
        helper.make_node("Add", ["abs", "one"], ["positive"]),
        helper.make_node("Neg", ["positive"], ["negative"]),
        helper.make_node("Sqrt", ["negative"], ["y"]),  # sqrt of a negative: NaN
    ]
    one = numpy_helper.from_array(np.array([1], dtype=np.float32), "one")
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 1, "H", "W"])
    save(helper.make_graph(nodes, "det_nan", [det_input()], [y], [one]), "det_nan.onnx", "detector whose map is NaN")

    x8 = helper.make_tensor_value_info("x", TensorProto.UINT8, ["N", 3, "H", "W"])
    nodes = [helper.make_node("Cast", ["x"], ["xf"], to=TensorProto.FLOAT),
             helper.make_node("ReduceMean", ["xf"], ["mean"], axes=[1], keepdims=1),
             helper.make_node("Sigmoid", ["mean"], ["y"])]
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 1, "H", "W"])
    save(helper.make_graph(nodes, "det_uint8_input", [x8], [y]), "det_uint8_input.onnx", "detector taking uint8 pixels")

    classes = 38
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, 48, "W"])

    def scores(out, nan):
        """[N,3,48,W] -> [N,W/8,38]: each cell's mean times a ramp over the classes (NaN when `nan`)."""
        head = [
            helper.make_node("AveragePool", ["x"], ["cells"], kernel_shape=[48, 8], strides=[48, 8]),  # [N,3,1,T]
            helper.make_node("ReduceMean", ["cells"], ["v"], axes=[1, 2], keepdims=0),  # [N,T]
            helper.make_node("Unsqueeze", ["v", "axis2"], ["v3"]),  # [N,T,1]
            helper.make_node("Add", ["v3", "ramp"], ["raw"]),  # [N,T,C]
        ]
        if not nan:
            return head + [helper.make_node("Mul", ["raw", "three"], [out])]
        return head + [
            helper.make_node("Abs", ["raw"], ["abs"]),
            helper.make_node("Add", ["abs", "one"], ["positive"]),
            helper.make_node("Neg", ["positive"], ["negative"]),
            helper.make_node("Sqrt", ["negative"], [out]),
        ]

    inits = [
        numpy_helper.from_array(np.linspace(-2, 2, classes).astype(np.float32), "ramp"),
        numpy_helper.from_array(np.array([2], dtype=np.int64), "axis2"),
        numpy_helper.from_array(np.array([1], dtype=np.float32), "one"),
        numpy_helper.from_array(np.array([3], dtype=np.float32), "three"),
    ]
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", "T", classes])
    save(helper.make_graph(scores("y", True), "rec_nan", [x], [y], inits), "rec_nan.onnx", "CTC recogniser, all NaN")
    save(helper.make_graph(scores("y", False), "rec_logits", [x], [y], inits), "rec_logits.onnx",
         "CTC recogniser with raw scores")

    # NaN for some inputs only: sqrt(half - v) is NaN where the normalised pixel (or cell) v exceeds one half, a
    # bright one (white is 2.2 in the detector's normalisation, 1 in the recogniser's); the load checks feed zeros.
    nodes = map_nodes("map") + [
        helper.make_node("ReduceMean", ["x"], ["v"], axes=[1], keepdims=1),
        helper.make_node("Sub", ["half", "v"], ["room"]),
        helper.make_node("Sqrt", ["room"], ["root"]),
        helper.make_node("Mul", ["root", "zero"], ["nan_or_zero"]),
        helper.make_node("Add", ["map", "nan_or_zero"], ["y"]),
    ]
    half = numpy_helper.from_array(np.array([0.5], dtype=np.float32), "half")
    zero = numpy_helper.from_array(np.array([0], dtype=np.float32), "zero")
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 1, "H", "W"])
    save(helper.make_graph(nodes, "det_nan_bright", [det_input()], [y], [half, zero]), "det_nan_bright.onnx",
         "detector whose map is NaN where the image is bright")

    nodes = scores("logits", False) + [
        helper.make_node("Softmax", ["logits"], ["p"], axis=2),
        helper.make_node("Sub", ["half", "v3"], ["room"]),
        helper.make_node("Sqrt", ["room"], ["root"]),
        helper.make_node("Mul", ["root", "zero"], ["nan_or_zero"]),
        helper.make_node("Add", ["p", "nan_or_zero"], ["y"]),
    ]
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", "T", classes])
    save(helper.make_graph(nodes, "rec_nan_bright", [x], [y], inits + [half, zero]), "rec_nan_bright.onnx",
         "CTC recogniser whose output is NaN where the crop is bright")

    def classifier(name, height, width, classes, doc, limit=half):
        """[N,3,H,W] -> [N,classes]: a softmax of the image's mean times a ramp, NaN when the mean is over `limit`
        (the input's values lie in [-1, 1]: a limit of -2 gives NaN for every input)."""
        xin = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, height, width])
        nodes = [
            helper.make_node("ReduceMean", ["x"], ["m"], axes=[1, 2, 3], keepdims=0),  # [N]
            helper.make_node("Unsqueeze", ["m", "axis1"], ["m2"]),  # [N,1]
            helper.make_node("Mul", ["m2", "cramp"], ["logits"]),  # [N,C]
            helper.make_node("Softmax", ["logits"], ["p"], axis=1),
            helper.make_node("Sub", [limit.name, "m2"], ["room"]),
            helper.make_node("Sqrt", ["room"], ["root"]),
            helper.make_node("Mul", ["root", "zero"], ["nan_or_zero"]),
            helper.make_node("Add", ["p", "nan_or_zero"], ["y"]),
        ]
        init = [numpy_helper.from_array(np.linspace(-1, 1, classes).astype(np.float32).reshape(1, classes), "cramp"),
                numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1"), limit, zero]
        yout = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", classes])
        save(helper.make_graph(nodes, name, [xin], [yout], init), f"{name}.onnx", doc)

    classifier("cls_nan_bright", 48, 192, 2, "text-line orientation classifier, NaN for a bright crop")
    classifier("doc_nan_bright", 224, 224, 4, "document orientation classifier, NaN for a bright page")
    always = numpy_helper.from_array(np.array([-2], dtype=np.float32), "minus_two")
    classifier("cls_nan", 48, 192, 2, "text-line orientation classifier, NaN for every input", always)
    classifier("doc_nan", 224, 224, 4, "document orientation classifier, NaN for every input", always)


if __name__ == "__main__":
    main()
