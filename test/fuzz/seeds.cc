// Writes small ONNX models holding the patterns graph/rewrite.h rewrites
// (hard-swish, affine chains after and before a Conv and before a squeeze-and-
// excitation block, a DB head's pair of ConvTranspose, a nearest upsampling by
// 8, a gated residual after a pointwise Conv) into the directory
// given: the rewriter's fuzzer starts from them.
#include <fstream>
#include <iostream>
#include <string>

#include "onnx_builders.h"

using namespace ocr::graph::testing_onnx;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fuzz_seeds <dir>\n";
    return 2;
  }
  const std::string dir = argv[1];
  auto write = [&](const std::string& name, const std::string& bytes) {
    std::ofstream(dir + "/" + name, std::ios::binary) << bytes;
  };
  const std::vector<std::string> constants = {ScalarTensor("three", 3), ScalarTensor("zero", 0),
                                              ScalarTensor("six", 6)};
  write("hard-swish.onnx",
        Model(Graph({Node("Add", {"x", "three"}, "a"), Node("Clip", {"a", "zero", "six"}, "c"),
                     Node("Mul", {"x", "c"}, "m"), Node("Div", {"m", "six"}, "y")},
                    constants, {"y"})));
  const std::string w = FloatTensor("w", {2, 1, 1, 1}, {0.5f, -2.0f});
  const std::string b = FloatTensor("b", {2}, {0.25f, 1.0f});
  write("conv-then-affine.onnx",
        Model(Graph({Node("Conv", {"x", "w", "b"}, "c"), Node("Mul", {"c", "two"}, "m"),
                     Node("Add", {"m", "one"}, "y")},
                    {w, b, ScalarTensor("two", 2), ScalarTensor("one", 1)}, {"y"})));
  write("affine-then-conv.onnx",
        Model(Graph({Node("Mul", {"x", "scale"}, "m"), Node("Add", {"m", "shift"}, "a"),
                     Node("Conv", {"a", "w", "b"}, "y", {IntsAttr("pads", {1, 1, 1, 1}), IntAttr("group", 2)})},
                    {w, b, ScalarTensor("scale", 3), ScalarTensor("shift", -1)}, {"y"})));
  const std::vector<int64_t> block = {2, 2};
  write("upsampling-head.onnx",
        Model(Graph({Node("ConvTranspose", {"x", "w1", "b1"}, "t1", {IntsAttr("kernel_shape", block),
                                                                       IntsAttr("strides", block)}),
                     Node("BatchNormalization", {"t1", "scale", "shift", "mean", "var"}, "n1"),
                     Node("Relu", {"n1"}, "r1"),
                     Node("ConvTranspose", {"r1", "w2"}, "t2", {IntsAttr("strides", block)}),
                     Node("Add", {"t2", "one"}, "a2"), Node("Sigmoid", {"a2"}, "y")},
                    {FloatTensor("w1", {1, 4, 2, 2}, std::vector<float>(16, 0.5f)),
                     FloatTensor("b1", {4}, {0.1f, 0.2f, 0.3f, 0.4f}), FloatTensor("scale", {4}, {1, 2, 3, 4}),
                     FloatTensor("shift", {4}, {0, 1, 0, 1}), FloatTensor("mean", {4}, {0, 0, 1, 1}),
                     FloatTensor("var", {4}, {1, 1, 2, 2}),
                     FloatTensor("w2", {4, 1, 2, 2}, std::vector<float>(16, -1.0f)),
                     ScalarTensor("one", 1)},
                    {"y"})));
  const std::vector<std::string> nearest = {StringAttr("mode", "nearest"),
                                             StringAttr("coordinate_transformation_mode", "asymmetric"),
                                             StringAttr("nearest_mode", "floor")};
  write("nearest-upsampling.onnx",
        Model(Graph({Node("Resize", {"x", "roi", "scales"}, "u", nearest), Node("Relu", {"u"}, "y")},
                    {FloatTensor("roi", {0}, {}), FloatTensor("scales", {4}, {1, 1, 8, 8})}, {"y"})));
  write("squeeze-excitation-affine.onnx",
        Model(Graph({Node("Conv", {"x", "w"}, "c"), Node("HardSigmoid", {"c"}, "s"), Node("Mul", {"c", "s"}, "h"),
                     Node("Mul", {"h", "scale"}, "m"), Node("Add", {"m", "shift"}, "a"),
                     Node("GlobalAveragePool", {"a"}, "p"), Node("Mul", {"a", "p"}, "y")},
                    {w, ScalarTensor("scale", 0.5f), ScalarTensor("shift", 0.25f)}, {"y"})));
  write("gated-pointwise.onnx",
        Model(Graph({Node("Conv", {"x", "wp"}, "c"), Node("GlobalAveragePool", {"c"}, "p"),
                     Node("Conv", {"p", "ws"}, "q"), Node("HardSigmoid", {"q"}, "g"), Node("Mul", {"c", "g"}, "m"),
                     Node("Add", {"c", "m"}, "y")},
                    {FloatTensor("wp", {2, 2, 1, 1}, {1.0f, 0.5f, -0.25f, 2.0f}),
                     FloatTensor("ws", {2, 2, 1, 1}, {0.5f, 0.0f, 0.0f, 0.5f})},
                    {"y"})));
  return 0;
}
