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

}  // namespace
}  // namespace ocr::graph
