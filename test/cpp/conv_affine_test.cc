#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "graph/rewrite.h"
#include "onnx_builders.h"
#include "rewrite_helpers.h"

namespace ocr::graph {
namespace {

using namespace testing_onnx;  // NOLINT

RewriteCounts Rewrite(const std::string& model, std::string* out) {
  const RewriteCounts counts = RunRewrites(model, out);
  EXPECT_EQ(counts.hard_swish, 0);
  return counts;
}

// Chains folded into a Conv's weights.
int Folded(const std::string& model, std::string* out = nullptr) { return Rewrite(model, out).conv_affine; }
// Chains made a depthwise 1x1 Conv.
int Depthwise(const std::string& model, std::string* out = nullptr) { return Rewrite(model, out).affine_depthwise; }

// y[o] = sum_i W[o, i] x[i] + B[o] at one pixel: a 1x1 convolution.
std::vector<float> Pointwise(const std::vector<float>& w, const std::vector<float>& b, const std::vector<float>& x) {
  std::vector<float> y(b);
  const size_t in = x.size();
  for (size_t o = 0; o < b.size(); ++o) {
    for (size_t i = 0; i < in; ++i) y[o] += w[o * in + i] * x[i];
  }
  return y;
}

const std::vector<float> kW = {0.5f, -1.0f, 2.0f, 0.25f, 1.5f, -0.75f};  // [3, 2, 1, 1]
const std::vector<float> kB = {0.1f, -0.2f, 0.3f};

TEST(FoldAffineIntoConv, AfterAnyConv) {
  // A padded, grouped 3x3 convolution followed by y * 0.5 + 0.25: the padding does not matter after it.
  const std::vector<float> w = {1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -2, -3, -4, -5, -6, -7, -8, -9};
  const std::string model = Model(Graph(
      {Node("Conv", {"x", "w", "b"}, "c", {IntAttr("group", 2), IntsAttr("pads", {1, 1, 1, 1})}),
       Node("Mul", {"c", "half"}, "m"), Node("Add", {"quarter", "m"}, "y"), Node("Relu", {"y"}, "z")},
      {FloatTensor("w", {2, 1, 3, 3}, w), FloatTensor("b", {2}, {1.0f, -1.0f}), ScalarTensor("half", 0.5f),
       ScalarTensor("quarter", 0.25f)},
      {"z"}));
  std::string out;
  ASSERT_EQ(Folded(model, &out), 1);
  const auto nodes = Nodes(out);
  ASSERT_EQ(nodes.size(), 2u);
  EXPECT_EQ(nodes[0].op, "Conv");
  EXPECT_EQ(nodes[0].inputs, (std::vector<std::string>{"x", "w", "b"}));
  EXPECT_EQ(nodes[0].outputs, std::vector<std::string>{"y"});  // writes what the Add wrote
  EXPECT_EQ(nodes[1].op, "Relu");
  const auto w2 = TensorOf(out, "w");
  ASSERT_EQ(w2.values.size(), w.size());
  EXPECT_EQ(w2.dims, (std::vector<int64_t>{2, 1, 3, 3}));
  for (size_t k = 0; k < w.size(); ++k) EXPECT_FLOAT_EQ(w2.values[k], w[k] * 0.5f);
  EXPECT_EQ(TensorOf(out, "b").values, (std::vector<float>{0.75f, -0.25f}));
}

TEST(FoldAffineIntoConv, BeforeAPointwiseConvWithTheSameOutputs) {
  // x * 1.5 - 2 -> 1x1 conv: the weights absorb the scale, the bias absorbs the shift.
  const std::string model = Model(Graph({Node("Mul", {"x", "scale"}, "m"), Node("Add", {"m", "shift"}, "a"),
                                         Node("Conv", {"a", "w", "b"}, "y", {IntsAttr("pads", {0, 0, 0, 0})})},
                                        {FloatTensor("w", {3, 2, 1, 1}, kW), FloatTensor("b", {3}, kB),
                                         ScalarTensor("scale", 1.5f), ScalarTensor("shift", -2.0f)},
                                        {"y"}));
  std::string out;
  ASSERT_EQ(Folded(model, &out), 1);
  const auto nodes = Nodes(out);
  ASSERT_EQ(nodes.size(), 1u);
  EXPECT_EQ(nodes[0].inputs, (std::vector<std::string>{"x", "w", "b"}));
  const auto w2 = TensorOf(out, "w").values, b2 = TensorOf(out, "b").values;
  for (const std::vector<float>& x : {std::vector<float>{0, 0}, {1, -3}, {0.37f, 12.5f}}) {
    const auto want = Pointwise(kW, kB, {x[0] * 1.5f - 2.0f, x[1] * 1.5f - 2.0f});
    const auto got = Pointwise(w2, b2, x);
    for (size_t o = 0; o < want.size(); ++o) EXPECT_NEAR(got[o], want[o], 1e-5f) << o;
  }
}

TEST(FoldAffineIntoConv, ChainsOfConstantNodesOnBothSides) {
  // As PaddlePaddle exports them: Constant nodes; conv -> *a -> +b -> *c -> +d -> 1x1 conv.
  const auto constant = [](const std::string& name, const std::string& tensor) {
    return Node("Constant", {}, name, {TensorAttr("value", tensor)});
  };
  const std::string model = Model(Graph(
      {constant("w1", FloatTensor("", {2, 2, 1, 1}, {1, 2, 3, 4})), constant("b1", FloatTensor("", {2}, {0.5f, 1})),
       constant("w2", FloatTensor("", {3, 2, 1, 1}, kW)), constant("b2", FloatTensor("", {3}, kB)),
       constant("a", ScalarTensor("", 2)), constant("b", ScalarTensor("", 1)), constant("c", ScalarTensor("", -0.5f)),
       constant("d", ScalarTensor("", 3)), Node("Conv", {"x", "w1", "b1"}, "c1"), Node("Mul", {"a", "c1"}, "m1"),
       Node("Add", {"m1", "b"}, "a1"), Node("Sigmoid", {"a1"}, "s"), Node("Mul", {"s", "c"}, "m2"),
       Node("Add", {"m2", "d"}, "a2"), Node("Conv", {"a2", "w2", "b2"}, "y")},
      {}, {"y"}));
  std::string out;
  ASSERT_EQ(Folded(model, &out), 2);
  std::vector<std::string> ops, constants;
  for (const auto& n : Nodes(out)) {
    if (n.op != "Constant") ops.push_back(n.op);
    else constants.push_back(n.outputs[0]);
  }
  EXPECT_EQ(ops, (std::vector<std::string>{"Conv", "Sigmoid", "Conv"}));
  // The folded weights are written with new values in their Constant nodes; the chains' scalars are left out.
  EXPECT_EQ(constants, (std::vector<std::string>{"w1", "b1", "w2", "b2"}));
  EXPECT_EQ(TensorOf(out, "w1").values, (std::vector<float>{2, 4, 6, 8}));
  EXPECT_EQ(TensorOf(out, "b1").values, (std::vector<float>{2, 3}));
  const auto w2 = TensorOf(out, "w2").values, b2 = TensorOf(out, "b2").values;
  const std::vector<float> s = {0.2f, 0.9f};
  const auto want = Pointwise(kW, kB, {s[0] * -0.5f + 3, s[1] * -0.5f + 3});
  const auto got = Pointwise(w2, b2, s);
  for (size_t o = 0; o < want.size(); ++o) EXPECT_NEAR(got[o], want[o], 1e-5f) << o;
}

TEST(FoldAffineIntoConv, AConvWithoutBiasGetsOneWhenTheModelAllowsIt) {
  const auto model = [](uint64_t ir) {
    return Model(Graph({Node("Conv", {"x", "w"}, "c"), Node("Mul", {"c", "two"}, "m"), Node("Add", {"m", "one"}, "y")},
                       {FloatTensor("w", {3, 2, 1, 1}, kW), ScalarTensor("two", 2), ScalarTensor("one", 1)}, {"y"}),
                 ir);
  };
  std::string out;
  ASSERT_EQ(Folded(model(7), &out), 1);
  auto nodes = Nodes(out);
  ASSERT_EQ(nodes.size(), 1u);
  ASSERT_EQ(nodes[0].inputs.size(), 3u);
  EXPECT_EQ(TensorOf(out, nodes[0].inputs[2]).values, (std::vector<float>{1, 1, 1}));
  EXPECT_EQ(TensorOf(out, nodes[0].inputs[2]).dims, (std::vector<int64_t>{3}));
  // Before IR version 4 an initializer must also be a graph input: only the Mul folds.
  ASSERT_EQ(Folded(model(3), &out), 1);
  nodes = Nodes(out);
  ASSERT_EQ(nodes.size(), 2u);
  EXPECT_EQ(nodes[0].inputs.size(), 2u);
  EXPECT_EQ(nodes[0].outputs, std::vector<std::string>{"m"});
  EXPECT_EQ(nodes[1].op, "Add");
}

TEST(FoldAffineIntoConv, LeavesAnythingNotExactAlone) {
  const std::vector<std::string> tensors = {FloatTensor("w", {3, 2, 1, 1}, kW), FloatTensor("b", {3}, kB),
                                            ScalarTensor("s", 2), ScalarTensor("t", 1),
                                            FloatTensor("v", {2, 1, 1}, {1, 2})};
  const auto before = [&](const std::vector<std::string>& conv_attrs, const std::string& w = "w") {
    return Model(Graph({Node("Mul", {"x", "s"}, "m"), Node("Add", {"m", "t"}, "a"),
                        Node("Conv", {"a", w, "b"}, "y", conv_attrs)},
                       tensors, {"y"}));
  };
  ASSERT_EQ(Folded(before({})), 1);
  EXPECT_EQ(Depthwise(before({})), 0);
  // Padding would read b, not 0; groups mix other input channels. Made a depthwise Conv instead.
  EXPECT_EQ(Folded(before({IntsAttr("pads", {0, 1, 0, 1})})), 0);
  EXPECT_EQ(Depthwise(before({IntsAttr("pads", {0, 1, 0, 1})})), 1);
  EXPECT_EQ(Folded(before({IntAttr("group", 3)})), 0);
  EXPECT_EQ(Depthwise(before({IntAttr("group", 3)})), 1);
  EXPECT_EQ(Folded(before({}, "v3")), 0);  // weight not a constant
  EXPECT_EQ(Depthwise(before({}, "v3")), 0);
  // A 3x3 convolution (unpadded would be exact too, but is not what this rewrite claims).
  const std::string conv3x3 = Model(Graph({Node("Mul", {"x", "s"}, "m"), Node("Conv", {"m", "w9", "b"}, "y")},
                                          {FloatTensor("w9", {3, 1, 3, 3}, std::vector<float>(27, 1.0f)),
                                           FloatTensor("b", {3}, kB), ScalarTensor("s", 2)},
                                          {"y"}));
  EXPECT_EQ(Folded(conv3x3), 0);
  EXPECT_EQ(Depthwise(conv3x3), 1);
  // A per-channel tensor, not a scalar; a product of two activations.
  EXPECT_EQ(Folded(Model(Graph({Node("Conv", {"x", "w", "b"}, "c"), Node("Mul", {"c", "v"}, "y")}, tensors, {"y"}))), 0);
  EXPECT_EQ(Folded(Model(Graph({Node("Conv", {"x", "w", "b"}, "c"), Node("Mul", {"c", "x"}, "y")}, tensors, {"y"}))), 0);
  // An intermediate read twice, or a graph output.
  EXPECT_EQ(Folded(Model(Graph({Node("Conv", {"x", "w", "b"}, "c"), Node("Mul", {"c", "s"}, "y"),
                                Node("Relu", {"c"}, "r")},
                               tensors, {"y", "r"}))),
            0);
  EXPECT_EQ(Folded(Model(Graph({Node("Conv", {"x", "w", "b"}, "c"), Node("Mul", {"c", "s"}, "y")}, tensors,
                               {"y", "c"}))),
            0);
  // A weight shared by two convolutions.
  EXPECT_EQ(Folded(Model(Graph({Node("Conv", {"x", "w", "b"}, "c"), Node("Mul", {"c", "s"}, "y"),
                                Node("Conv", {"x", "w"}, "z")},
                               tensors, {"y", "z"}))),
            0);
  // Another domain.
  EXPECT_EQ(Folded(Model(Graph({Node("Conv", {"x", "w", "b"}, "c", {}, "com.example"), Node("Mul", {"c", "s"}, "y")},
                               tensors, {"y"}))),
            0);
}

// What a depthwise 1x1 Conv with weight a and bias b computes at one pixel of C channels.
std::vector<float> PerChannel(const ReadTensor& w, const ReadTensor& b, const std::vector<float>& x) {
  std::vector<float> y(x.size());
  for (size_t c = 0; c < x.size(); ++c) y[c] = w.values[c] * x[c] + b.values[c];
  return y;
}

TEST(AffineToDepthwiseConv, AChainBeforeAPaddedDepthwiseConvBecomesOneDepthwise1x1Conv) {
  // PP-LCNetV3: hard-swish -> * a -> + b -> depthwise 3x3 conv with padding 1 (4 channels).
  const std::string model = Model(Graph(
      {Node("Relu", {"x"}, "r"), Node("Mul", {"r", "a"}, "m"), Node("Add", {"b", "m"}, "ab"),
       Node("Conv", {"ab", "w", "bias"}, "y", {IntAttr("group", 4), IntsAttr("pads", {1, 1, 1, 1})})},
      {FloatTensor("w", {4, 1, 3, 3}, std::vector<float>(36, 0.5f)), FloatTensor("bias", {4}, {0, 1, 2, 3}),
       ScalarTensor("a", 1.25f), ScalarTensor("b", -0.5f)},
      {"y"}));
  std::string out;
  const RewriteCounts counts = Rewrite(model, &out);
  EXPECT_EQ(counts.conv_affine, 0);
  ASSERT_EQ(counts.affine_depthwise, 1);
  const auto nodes = Nodes(out);
  ASSERT_EQ(nodes.size(), 3u);
  EXPECT_EQ(nodes[0].op, "Relu");
  EXPECT_EQ(nodes[1].op, "Conv");
  ASSERT_EQ(nodes[1].inputs.size(), 3u);
  EXPECT_EQ(nodes[1].inputs[0], "r");
  EXPECT_EQ(nodes[1].outputs, std::vector<std::string>{"ab"});  // writes what the Add wrote
  EXPECT_EQ(nodes[1].ints, (std::vector<std::pair<std::string, std::vector<int64_t>>>{{"group", {4}},
                                                                                     {"kernel_shape", {1, 1}}}));
  EXPECT_EQ(nodes[2].op, "Conv");
  EXPECT_EQ(nodes[2].inputs, (std::vector<std::string>{"ab", "w", "bias"}));  // the padded conv as it was
  const ReadTensor w = TensorOf(out, nodes[1].inputs[1]), b = TensorOf(out, nodes[1].inputs[2]);
  EXPECT_EQ(w.dims, (std::vector<int64_t>{4, 1, 1, 1}));
  EXPECT_EQ(b.dims, (std::vector<int64_t>{4}));
  const std::vector<float> x = {0.0f, 1.0f, -3.5f, 20.0f};
  const auto got = PerChannel(w, b, x);
  for (size_t c = 0; c < x.size(); ++c) EXPECT_FLOAT_EQ(got[c], x[c] * 1.25f - 0.5f) << c;
  EXPECT_EQ(TensorOf(out, "w").values, std::vector<float>(36, 0.5f));  // untouched
}

TEST(AffineToDepthwiseConv, ReadersMustAllBeConvDataInputsOfOneWidth) {
  const std::vector<std::string> tensors = {
      FloatTensor("w2", {3, 2, 3, 3}, std::vector<float>(54, 1.0f)),  // 2 input channels per group
      FloatTensor("w3", {2, 3, 3, 3}, std::vector<float>(54, 1.0f)),  // 3 input channels per group
      FloatTensor("p", {6, 3, 1, 1}, std::vector<float>(18, 1.0f)), ScalarTensor("s", 2), ScalarTensor("t", 1)};
  const auto conv = [](const std::string& in, const std::string& w, const std::string& out, int64_t group) {
    return Node("Conv", {in, w}, out, {IntAttr("group", group), IntsAttr("pads", {1, 1, 1, 1})});
  };
  const auto chain = [&](const std::vector<std::string>& readers, const std::vector<std::string>& outputs,
                         uint64_t ir = 7) {
    std::vector<std::string> nodes = {Node("Mul", {"x", "s"}, "m"), Node("Add", {"m", "t"}, "a")};
    nodes.insert(nodes.end(), readers.begin(), readers.end());
    return Model(Graph(nodes, tensors, outputs), ir);
  };
  // Two grouped convs over the same 6 channels (3 groups of 2, 2 groups of 3): one 1x1 Conv of 6 channels.
  std::string out;
  ASSERT_EQ(Depthwise(chain({conv("a", "w2", "y", 3), conv("a", "w3", "z", 2)}, {"y", "z"}), &out), 1);
  EXPECT_EQ(TensorOf(out, Nodes(out)[0].inputs[1]).dims, (std::vector<int64_t>{6, 1, 1, 1}));
  // 2 and 3 channels: not one tensor.
  EXPECT_EQ(Depthwise(chain({conv("a", "w2", "y", 1), conv("a", "w3", "z", 1)}, {"y", "z"})), 0);
  // Also read by something else, or a graph output.
  EXPECT_EQ(Depthwise(chain({conv("a", "w2", "y", 3), Node("Relu", {"a"}, "r")}, {"y", "r"})), 0);
  EXPECT_EQ(Depthwise(chain({conv("a", "w2", "y", 3)}, {"y", "a"})), 0);
  // Read as a weight, not as data.
  EXPECT_EQ(Depthwise(chain({Node("Conv", {"x", "a"}, "y")}, {"y"})), 0);
  // Before IR version 4 the new initializers would have to be graph inputs.
  EXPECT_EQ(Depthwise(chain({conv("a", "w2", "y", 3)}, {"y"}, 3)), 0);
  // Only the Add reaches the conv alone: the Mul's output is also read elsewhere.
  out.clear();
  ASSERT_EQ(Depthwise(chain({conv("a", "w2", "y", 3), Node("Relu", {"m"}, "r")}, {"y", "r"}), &out), 1);
  std::vector<std::string> ops;
  for (const auto& n : Nodes(out)) ops.push_back(n.op);
  EXPECT_EQ(ops, (std::vector<std::string>{"Mul", "Conv", "Conv", "Relu"}));
  // A chain a 1x1 unpadded conv can take is folded into it, not made a conv of its own.
  const RewriteCounts counts = Rewrite(chain({Node("Conv", {"a", "p"}, "y")}, {"y"}), nullptr);
  EXPECT_EQ(counts.conv_affine, 1);
  EXPECT_EQ(counts.affine_depthwise, 0);
}

TEST(AffineToDepthwiseConv, ReadBeyondConvsWhenWhatWritesItsInputShowsTheChannels) {
  // PP-LCNetV3's squeeze-and-excitation blocks: Conv (6 channels) -> hard-swish -> * a -> + b, read by a
  // GlobalAveragePool and by the Mul with the gate. The hard-swish as exported (x * Clip(x + 3, 0, 6) / 6, which
  // the hard-swish rewrite replaces first) or as HardSigmoid and Mul.
  const std::vector<std::string> tensors = {FloatTensor("w", {6, 3, 1, 1}, std::vector<float>(18, 0.5f)),
                                            FloatTensor("w4", {4, 3, 1, 1}, std::vector<float>(12, 0.5f)),
                                            ScalarTensor("a", 0.75f), ScalarTensor("b", 0.25f),
                                            ScalarTensor("three", 3), ScalarTensor("zero", 0), ScalarTensor("six", 6)};
  const std::vector<std::string> se = {Node("Mul", {"h", "a"}, "m"), Node("Add", {"m", "b"}, "ab"),
                                       Node("GlobalAveragePool", {"ab"}, "p"), Node("HardSigmoid", {"p"}, "g"),
                                       Node("Mul", {"ab", "g"}, "y")};
  const auto model = [&](std::vector<std::string> writers) {
    writers.insert(writers.end(), se.begin(), se.end());
    return Model(Graph(writers, tensors, {"y"}));
  };
  const std::vector<std::vector<std::string>> hard_swish_forms = {
      {Node("Conv", {"x", "w"}, "c"), Node("Add", {"c", "three"}, "c3"), Node("Clip", {"c3", "zero", "six"}, "r6"),
       Node("Mul", {"c", "r6"}, "cr"), Node("Div", {"cr", "six"}, "h")},
      {Node("Conv", {"x", "w"}, "c"), Node("HardSigmoid", {"c"}, "hs"), Node("Mul", {"hs", "c"}, "h")},
      {Node("Conv", {"x", "w"}, "c"), Node("Relu", {"c"}, "r"), Node("Sigmoid", {"r"}, "h")}};
  for (const auto& form : hard_swish_forms) {
    std::string out;
    const RewriteCounts counts = RunRewrites(model(form), &out);
    EXPECT_EQ(counts.hard_swish, &form == &hard_swish_forms[0] ? 1 : 0);
    ASSERT_EQ(counts.affine_depthwise, 1);
    const auto nodes = Nodes(out);
    const ReadNode* affine = nullptr;
    for (const auto& n : nodes) {
      if (n.op == "Conv" && n.outputs == std::vector<std::string>{"ab"}) affine = &n;
    }
    ASSERT_NE(affine, nullptr);
    EXPECT_EQ(affine->inputs[0], "h");
    EXPECT_EQ(affine->ints, (std::vector<std::pair<std::string, std::vector<int64_t>>>{{"group", {6}},
                                                                                        {"kernel_shape", {1, 1}}}));
    const ReadTensor w = TensorOf(out, affine->inputs[1]), b = TensorOf(out, affine->inputs[2]);
    EXPECT_EQ(w.dims, (std::vector<int64_t>{6, 1, 1, 1}));
    EXPECT_EQ(w.values, std::vector<float>(6, 0.75f));
    EXPECT_EQ(b.values, std::vector<float>(6, 0.25f));
  }
  // What writes the input does not show its channels: a graph input, a Reshape, two maps of 6 and 4 channels.
  EXPECT_EQ(Depthwise(Model(Graph(se, tensors, {"y"}))), 0);
  EXPECT_EQ(Depthwise(model({Node("Conv", {"x", "w"}, "c"), Node("Reshape", {"c", "shape"}, "h")})), 0);
  EXPECT_EQ(Depthwise(model({Node("Conv", {"x", "w"}, "c"), Node("Conv", {"x", "w4"}, "c4"),
                             Node("Add", {"c", "c4"}, "h")})),
            0);
  // A Mul writing two values is no chain (the fuzzer's rewrite-model-chain-without-nodes.onnx).
  std::string two_outputs = Node("Mul", {"h", "a"}, "m");
  PutBytes(two_outputs, 2, "m2");
  std::vector<std::string> odd = {Node("Conv", {"x", "w"}, "h"), two_outputs};
  odd.insert(odd.end(), se.begin() + 1, se.end());
  EXPECT_EQ(Depthwise(Model(Graph(odd, tensors, {"y", "m2"}))), 0);
  // A Conv reading the chain that disagrees with what the writer shows.
  std::vector<std::string> nodes = {Node("Conv", {"x", "w4"}, "h")};
  nodes.insert(nodes.end(), se.begin(), se.end());
  nodes.push_back(Node("Conv", {"ab", "w"}, "z", {IntAttr("group", 2), IntsAttr("pads", {1, 1, 1, 1})}));
  EXPECT_EQ(Depthwise(Model(Graph(nodes, tensors, {"y", "z"}))), 0);  // 4 channels written, 6 read
}

TEST(FoldAffineIntoConv, AWeightWithADimensionOfZeroIsLeftAlone) {
  // [2^40, 1, 1, 0]: no values, and a bias of 2^40 zeros is nothing to allocate (the fuzzer found such a model).
  const std::string model = Model(Graph({Node("Conv", {"x", "w"}, "c"), Node("Mul", {"c", "s"}, "y")},
                                        {FloatTensor("w", {int64_t{1} << 40, 1, 1, 0}, {}), ScalarTensor("s", 2)},
                                        {"y"}));
  EXPECT_EQ(Folded(model), 0);
}

TEST(FoldAffineIntoConv, MalformedBytesNeverCrash) {
  const std::string model =
      Model(Graph({Node("Mul", {"x", "s"}, "m"), Node("Conv", {"m", "w", "b"}, "c"), Node("Mul", {"c", "s2"}, "y")},
                  {FloatTensor("w", {3, 2, 1, 1}, kW), FloatTensor("b", {3}, kB), ScalarTensor("s", 2),
                   ScalarTensor("s2", 3)},
                  {"y"}));
  ASSERT_EQ(Folded(model), 2);
  const std::string depthwise =
      Model(Graph({Node("Mul", {"x", "s"}, "m"), Node("Conv", {"m", "w", "b"}, "y", {IntsAttr("pads", {1, 1, 1, 1})})},
                  {FloatTensor("w", {3, 2, 1, 1}, kW), FloatTensor("b", {3}, kB), ScalarTensor("s", 2)}, {"y"}));
  ASSERT_EQ(Depthwise(depthwise), 1);
  for (size_t cut = 0; cut < depthwise.size(); ++cut) (void)RewriteModel(depthwise.substr(0, cut));
  for (size_t cut = 0; cut < model.size(); ++cut) (void)RewriteModel(model.substr(0, cut));
  for (size_t at = 0; at < model.size(); ++at) {
    std::string bad = model;
    bad[at] = static_cast<char>(bad[at] ^ 0x5a);
    (void)RewriteModel(bad);
  }
}

}  // namespace
}  // namespace ocr::graph
