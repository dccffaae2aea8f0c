#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "graph/rewrite.h"
#include "onnx_builders.h"
#include "rewrite_helpers.h"

namespace ocr::graph {
namespace {

using namespace testing_onnx;  // NOLINT

int Rewritten(const std::string& model, std::string* out = nullptr) {
  return RewritesOf(&RewriteCounts::gated_residual, model, out);
}

int ThroughWeights(const std::string& model, std::string* out = nullptr) {
  return RewritesOf(&RewriteCounts::gated_pointwise, model, out);
}

const std::vector<std::string> kWeights = {FloatTensor("w", {2, 2, 1, 1}, {1.0f, 0.5f, -0.25f, 2.0f}),
                                           FloatTensor("b", {2}, {0.1f, -0.1f})};

// A squeeze-and-excitation block with a residual, as RSEFPN exports it: x = Conv(in);
// g = HardSigmoid(GlobalAveragePool(x)); y = x + x * g.
std::string SeModel(bool mul_x_first, bool add_x_first, const std::vector<std::string>& outputs = {"z"},
                    uint64_t ir_version = 7) {
  using Inputs = std::vector<std::string>;
  return Model(Graph({Node("Conv", {"in", "w", "b"}, "x"), Node("GlobalAveragePool", {"x"}, "p"),
                      Node("HardSigmoid", {"p"}, "g"),
                      Node("Mul", mul_x_first ? Inputs{"x", "g"} : Inputs{"g", "x"}, "m"),
                      Node("Add", add_x_first ? Inputs{"x", "m"} : Inputs{"m", "x"}, "y"), Node("Relu", {"y"}, "z")},
                     kWeights, outputs),
               ir_version);
}

TEST(FoldGatedResidual, XPlusXTimesAGateBecomesXTimesOnePlusTheGate) {
  for (bool mul_x_first : {true, false}) {
    for (bool add_x_first : {true, false}) {
      std::string out;
      ASSERT_EQ(Rewritten(SeModel(mul_x_first, add_x_first), &out), 1);
      const auto nodes = Nodes(out);
      std::vector<std::string> ops;
      for (const auto& n : nodes) ops.push_back(n.op);
      ASSERT_EQ(ops, (std::vector<std::string>{"Conv", "GlobalAveragePool", "HardSigmoid", "Add", "Mul", "Relu"}));
      // g + 1, with the new scalar constant 1
      ASSERT_EQ(nodes[3].inputs.size(), 2u);
      EXPECT_EQ(nodes[3].inputs[0], "g");
      const auto one = TensorOf(out, nodes[3].inputs[1]);
      EXPECT_TRUE(one.dims.empty());
      EXPECT_EQ(one.values, std::vector<float>{1.0f});
      // x * (g + 1) writes what the Add wrote, which the Relu reads
      EXPECT_EQ(nodes[4].inputs, (std::vector<std::string>{"x", nodes[3].outputs[0]}));
      EXPECT_EQ(nodes[4].outputs, std::vector<std::string>{"y"});
      EXPECT_EQ(nodes[5].inputs, std::vector<std::string>{"y"});
    }
  }
}

TEST(FoldGatedResidual, LeavesAnythingElseAlone) {
  EXPECT_EQ(Rewritten(SeModel(true, true, {"z", "m"})), 0);  // x * g read elsewhere too
  EXPECT_EQ(Rewritten(SeModel(true, true, {"z"}, 3)), 0);    // IR 3: no new initializers
  // x not written by a Conv with constant float weights: its type is not known here.
  EXPECT_EQ(Rewritten(Model(Graph({Node("HardSigmoid", {"x"}, "g"), Node("Mul", {"x", "g"}, "m"),
                                   Node("Add", {"x", "m"}, "y")},
                                  {}, {"y"}))),
            0);
  // x + x * x, x + y * g, x + x - g: not a gated residual.
  for (const auto& nodes : std::vector<std::vector<std::string>>{
           {Node("Conv", {"in", "w", "b"}, "x"), Node("Mul", {"x", "x"}, "m"), Node("Add", {"x", "m"}, "y")},
           {Node("Conv", {"in", "w", "b"}, "x"), Node("Conv", {"in", "w", "b"}, "x2"), Node("Mul", {"x2", "g"}, "m"),
            Node("Add", {"x", "m"}, "y")},
           {Node("Conv", {"in", "w", "b"}, "x"), Node("Sub", {"x", "g"}, "m"), Node("Add", {"x", "m"}, "y")}}) {
    EXPECT_EQ(Rewritten(Model(Graph(nodes, kWeights, {"y"}))), 0);
  }
}

// RSEFPN's input convolutions: x = Conv(in) (1x1, no bias); g = HardSigmoid(Relu(Conv(GlobalAveragePool(x))));
// y = x + x * g.
const std::vector<float> kPointwise = {1.0f, 0.5f, -0.25f, 2.0f, 0.75f, -1.5f};  // [3, 2, 1, 1]
std::string PointwiseSeModel(const std::vector<std::string>& conv_attrs = {}, const std::string& gate_weight = "ws",
                             const std::vector<std::string>& more = {}, const std::vector<std::string>& outputs = {"z"}) {
  std::vector<std::string> nodes = {Node("Conv", {"in", "wp"}, "x", conv_attrs), Node("GlobalAveragePool", {"x"}, "p"),
                                    Node("Conv", {"p", gate_weight, "bs"}, "q"), Node("Relu", {"q"}, "r"),
                                    Node("HardSigmoid", {"r"}, "g"), Node("Mul", {"x", "g"}, "m"),
                                    Node("Add", {"x", "m"}, "y"), Node("Relu", {"y"}, "z")};
  nodes.insert(nodes.end(), more.begin(), more.end());
  return Model(Graph(nodes,
                     {FloatTensor("wp", {3, 2, 1, 1}, kPointwise),
                      FloatTensor("ws", {3, 3, 1, 1}, {1, 0, 0, 0, 1, 0, 0, 0, 1}), FloatTensor("bs", {3}, {0, 0, 0}),
                      FloatTensor("w1", {1, 3, 1, 1}, {1, 1, 1}), FloatTensor("b1", {1}, {0}),
                      FloatTensor("w3", {3, 3, 3, 3}, std::vector<float>(81, 0.1f))},
                     outputs));
}

TEST(FoldGatedResidual, AfterAPointwiseConvTheGateScalesItsWeightsInstead) {
  std::string out;
  ASSERT_EQ(ThroughWeights(PointwiseSeModel(), &out), 1);
  const auto nodes = Nodes(out);
  std::vector<std::string> ops;
  for (const auto& n : nodes) ops.push_back(n.op);
  // The Conv of x is gone; the pool is taken of the input and goes through the Conv's weights.
  ASSERT_EQ(ops, (std::vector<std::string>{"GlobalAveragePool", "Conv", "Conv", "Relu", "HardSigmoid", "Add",
                                           "Reshape", "Mul", "Reshape", "MatMul", "Shape", "Mul", "Add", "Reshape",
                                           "Relu"}));
  EXPECT_EQ(nodes[0].inputs, std::vector<std::string>{"in"});
  EXPECT_EQ(nodes[1].inputs, (std::vector<std::string>{nodes[0].outputs[0], "wp"}));
  EXPECT_EQ(nodes[1].outputs, std::vector<std::string>{"p"});
  EXPECT_EQ(TensorOf(out, "wp").values, kPointwise);  // untouched
  // 1 + g as an [N, C, 1] column, times the weights as a C x Cin matrix: [N, C, Cin].
  EXPECT_EQ(nodes[5].inputs[0], "g");
  EXPECT_EQ(TensorOf(out, nodes[5].inputs[1]).values, std::vector<float>{1.0f});
  EXPECT_EQ(nodes[6].inputs[0], nodes[5].outputs[0]);
  EXPECT_EQ(TensorOf(out, nodes[6].inputs[1]).ints, (std::vector<int64_t>{0, 0, 1}));
  const ReadTensor matrix = TensorOf(out, nodes[7].inputs[1]);
  EXPECT_EQ(nodes[7].inputs[0], nodes[6].outputs[0]);
  EXPECT_EQ(matrix.dims, (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(matrix.values, kPointwise);
  // The input as [N, Cin, H * W] rows; the product [N, C, H * W] back to [N, C, H, W], the Add's output.
  EXPECT_EQ(nodes[8].inputs[0], "in");
  EXPECT_EQ(TensorOf(out, nodes[8].inputs[1]).ints, (std::vector<int64_t>{0, 0, -1}));
  EXPECT_EQ(nodes[9].inputs, (std::vector<std::string>{nodes[7].outputs[0], nodes[8].outputs[0]}));
  EXPECT_EQ(nodes[10].inputs, std::vector<std::string>{"in"});
  EXPECT_EQ(nodes[11].inputs[0], nodes[10].outputs[0]);
  EXPECT_EQ(TensorOf(out, nodes[11].inputs[1]).ints, (std::vector<int64_t>{1, 0, 1, 1}));
  EXPECT_EQ(nodes[12].inputs[0], nodes[11].outputs[0]);
  EXPECT_EQ(TensorOf(out, nodes[12].inputs[1]).ints, (std::vector<int64_t>{0, 3, 0, 0}));
  EXPECT_EQ(nodes[13].inputs, (std::vector<std::string>{nodes[9].outputs[0], nodes[12].outputs[0]}));
  EXPECT_EQ(nodes[13].outputs, std::vector<std::string>{"y"});
  EXPECT_EQ(nodes[14].inputs, std::vector<std::string>{"y"});

  // The algebra on one image: y = x (1 + g) with x = W in, against ((1 + g) W) in; the pool of x against W times
  // the pool of the input.
  const std::vector<std::vector<float>> in = {{0.5f, -1.0f, 2.0f, 0.0f}, {1.5f, 0.25f, -0.5f, 3.0f}};  // 2 x (2 x 2)
  const std::vector<float> gate = {0.1f, 0.6f, 0.9f};
  for (size_t c = 0; c < 3; ++c) {
    double pooled_x = 0, pooled_in = 0;
    for (size_t px = 0; px < 4; ++px) {
      double x = 0, scaled = 0;
      for (size_t k = 0; k < 2; ++k) {
        x += kPointwise[c * 2 + k] * in[k][px];
        scaled += (1.0 + gate[c]) * matrix.values[c * 2 + k] * in[k][px];
      }
      EXPECT_NEAR(x + x * gate[c], scaled, 1e-6);
      pooled_x += x / 4;
    }
    for (size_t k = 0; k < 2; ++k) {
      double mean = 0;
      for (size_t px = 0; px < 4; ++px) mean += in[k][px] / 4;
      pooled_in += kPointwise[c * 2 + k] * mean;
    }
    EXPECT_NEAR(pooled_x, pooled_in, 1e-6);
  }
}

TEST(FoldGatedResidual, ThroughWeightsOnlyWhenTheBlockAloneReadsAPointwiseConvAndTheGateComesFromItsPool) {
  // x read elsewhere too; a gate of one channel (it would broadcast); a Conv that is not pointwise: the gated
  // residual as x * (1 + g), as before.
  for (const auto& model : {PointwiseSeModel({}, "ws", {Node("Sigmoid", {"x"}, "s")}, {"z", "s"}),
                            PointwiseSeModel({}, "w1"), PointwiseSeModel({IntsAttr("strides", {2, 2})}),
                            PointwiseSeModel({IntAttr("group", 3)})}) {
    std::string out;
    const RewriteCounts counts = RunRewrites(model, &out);
    EXPECT_EQ(counts.gated_pointwise, 0);
    EXPECT_EQ(counts.gated_residual, 1);
  }
  // A bias that is not zero (it would be scaled by the gate too); a gate that reads something besides the pool;
  // more input channels than output channels (the pool and the MatMul would read more than the map they spare).
  for (const auto& model :
       {Model(Graph({Node("Conv", {"in", "wide"}, "x"), Node("GlobalAveragePool", {"x"}, "p"),
                     Node("HardSigmoid", {"p"}, "g"), Node("Mul", {"x", "g"}, "m"), Node("Add", {"x", "m"}, "y")},
                    {FloatTensor("wide", {2, 3, 1, 1}, kPointwise)}, {"y"})),
        Model(Graph({Node("Conv", {"in", "w", "b"}, "x"), Node("GlobalAveragePool", {"x"}, "p"),
                     Node("HardSigmoid", {"p"}, "g"), Node("Mul", {"x", "g"}, "m"), Node("Add", {"x", "m"}, "y")},
                    kWeights, {"y"})),
        Model(Graph({Node("Conv", {"in", "wp"}, "x"), Node("GlobalAveragePool", {"x"}, "p"),
                     Node("Add", {"p", "other"}, "g"), Node("Mul", {"x", "g"}, "m"), Node("Add", {"x", "m"}, "y")},
                    {FloatTensor("wp", {3, 2, 1, 1}, kPointwise)}, {"y"}))}) {
    const RewriteCounts counts = RunRewrites(model, nullptr);
    EXPECT_EQ(counts.gated_pointwise, 0);
    EXPECT_EQ(counts.gated_residual, 1);
  }
}

}  // namespace
}  // namespace ocr::graph
