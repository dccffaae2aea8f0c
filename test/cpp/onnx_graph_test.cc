// The parsed graph's queries the rewrites rely on (graph/onnx_graph.h).
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "graph/onnx_graph.h"
#include "graph/protobuf.h"
#include "onnx_builders.h"

namespace {

namespace onnx = ocr::graph::testing_onnx;
using ocr::graph::protobuf::PutBytes;
using ocr::graph::protobuf::PutVarintField;

// The walkers ask FloatDims for a weight's shape: the same answer as Floats gives, without copying the values.
TEST(GraphFloatDims, AgreesWithFloatsWithoutCopying) {
  std::string int64_tensor;
  PutVarintField(int64_tensor, 1, 2);
  PutVarintField(int64_tensor, 2, 7);  // INT64
  PutBytes(int64_tensor, 8, "shape");
  PutBytes(int64_tensor, 9, std::string(16, '\0'));
  const std::string short_tensor = onnx::FloatTensor("short", {2, 3}, {1, 2, 3, 4, 5});  // 5 values for 6
  // The parsed graph holds views of these bytes: they outlive it.
  const std::string bytes = onnx::Graph(
      {onnx::Node("Conv", {"x", "w"}, "y")},
      {onnx::FloatTensor("w", {4, 2, 1, 1}, std::vector<float>(8, 0.5f)), onnx::ScalarTensor("s", 2),
       onnx::ScalarTensor("far", 1, /*external=*/true), int64_tensor, short_tensor},
      {"y"});
  const auto graph = ocr::graph::Graph::Parse(bytes);
  ASSERT_TRUE(graph);
  for (const std::string value : {"w", "s", "far", "shape", "short", "x", "missing"}) {
    std::vector<int64_t> dims;
    const std::optional<std::vector<float>> floats = graph->Floats(value, &dims);
    const std::vector<int64_t>* float_dims = graph->FloatDims(value);
    EXPECT_EQ(float_dims != nullptr, floats.has_value()) << value;
    if (float_dims && floats) {
      EXPECT_EQ(*float_dims, dims) << value;
    }
  }
  ASSERT_NE(graph->FloatDims("w"), nullptr);
  EXPECT_EQ(*graph->FloatDims("w"), (std::vector<int64_t>{4, 2, 1, 1}));
  ASSERT_NE(graph->FloatDims("s"), nullptr);
  EXPECT_TRUE(graph->FloatDims("s")->empty());    // a scalar
  EXPECT_EQ(graph->FloatDims("shape"), nullptr);  // not a float tensor
  EXPECT_EQ(graph->FloatDims("far"), nullptr);    // its data in another file
  EXPECT_EQ(graph->FloatDims("short"), nullptr);  // fewer values than its dims say
  EXPECT_EQ(graph->FloatDims("x"), nullptr);      // not a constant
}

// A rewritten model leaves out the Constant nodes nothing reads: those its rewrite left unread, and those unread
// in the model as given; a constant still read, or a graph output, stays. A model nothing rewrites is not written.
TEST(RewriteModelGraph, LeavesOutConstantsNothingReads) {
  const std::string model = onnx::Model(onnx::Graph(
      {onnx::Node("Constant", {}, "k_read", {onnx::TensorAttr("value", onnx::ScalarTensor("", 2))}),
       onnx::Node("Constant", {}, "k_unread", {onnx::TensorAttr("value", onnx::ScalarTensor("", 3))}),
       onnx::Node("Constant", {}, "k_dead", {onnx::TensorAttr("value", onnx::ScalarTensor("", 4))}),
       onnx::Node("Constant", {}, "k_out", {onnx::TensorAttr("value", onnx::ScalarTensor("", 5))}),
       onnx::Node("Mul", {"x", "k_read"}, "m"), onnx::Node("Add", {"m", "k_unread"}, "y")},
      {}, {"y", "k_out"}));
  const auto out = ocr::graph::RewriteModelGraph(model, [&](ocr::graph::Graph& graph) {
    // A stand-in rewrite: the Add becomes an Identity of m, which leaves k_unread unread.
    const size_t add = 5;
    EXPECT_EQ(graph.node(add).op, "Add");
    graph.Replace(add, {onnx::Node("Identity", {"m"}, "y")}, {"m"});
    return 1;
  });
  ASSERT_TRUE(out.has_value());
  std::vector<std::string> kept;
  for (const auto& n : onnx::Nodes(*out)) kept.push_back(n.op == "Constant" ? n.outputs[0] : n.op);
  EXPECT_EQ(kept, (std::vector<std::string>{"k_read", "k_out", "Mul", "Identity"}));
  EXPECT_FALSE(ocr::graph::RewriteModelGraph(model, [](ocr::graph::Graph&) { return 0; }).has_value());
}

}  // namespace
