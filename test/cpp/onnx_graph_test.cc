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

}  // namespace
