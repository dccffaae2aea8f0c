#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "graph/hard_swish.h"
#include "graph/protobuf.h"

namespace ocr::graph {
namespace {

using namespace protobuf;  // NOLINT

// Tiny ONNX message builders (field numbers from onnx.proto).
std::string ScalarTensor(const std::string& name, float value, bool external = false) {
  std::string t;
  PutVarintField(t, 2, 1);  // data_type FLOAT, no dims: a scalar
  PutBytes(t, 8, name);
  std::string raw(4, '\0');
  std::memcpy(raw.data(), &value, 4);
  PutBytes(t, 9, raw);
  if (external) PutVarintField(t, 14, 1);
  return t;
}

std::string FloatAttr(const std::string& name, float value) {
  std::string a;
  PutBytes(a, 1, name);
  PutFloat(a, 2, value);
  PutVarintField(a, 20, 1);
  return a;
}

std::string TensorAttr(const std::string& name, const std::string& tensor) {
  std::string a;
  PutBytes(a, 1, name);
  PutBytes(a, 5, tensor);
  PutVarintField(a, 20, 4);
  return a;
}

std::string Node(const std::string& op, const std::vector<std::string>& inputs, const std::string& output,
                 const std::vector<std::string>& attrs = {}, const std::string& domain = "") {
  std::string n;
  for (const auto& i : inputs) PutBytes(n, 1, i);
  PutBytes(n, 2, output);
  PutBytes(n, 3, op + "_" + output);
  PutBytes(n, 4, op);
  for (const auto& a : attrs) PutBytes(n, 5, a);
  if (!domain.empty()) PutBytes(n, 7, domain);
  return n;
}

std::string Graph(const std::vector<std::string>& nodes, const std::vector<std::string>& initializers,
                  const std::vector<std::string>& outputs) {
  std::string g;
  for (const auto& n : nodes) PutBytes(g, 1, n);
  PutBytes(g, 2, "test-graph");
  for (const auto& t : initializers) PutBytes(g, 5, t);
  for (const auto& o : outputs) {
    std::string v;
    PutBytes(v, 1, o);
    PutBytes(g, 12, v);
  }
  return g;
}

std::string Model(const std::string& graph) {
  std::string m;
  PutVarintField(m, 1, 7);  // ir_version
  PutBytes(m, 2, "ocrkit-test");
  PutBytes(m, 7, graph);
  std::string opset;
  PutVarintField(opset, 2, 9);
  PutBytes(m, 8, opset);
  return m;
}

// x * clip(x + 3, 0, 6) / 6 -> y -> Relu -> z, Clip bounds as attributes (opset < 11).
std::vector<std::string> HardSwishNodes(const std::string& x, const std::string& y, const std::string& tag) {
  return {Node("Add", {x, "three"}, "a" + tag), Node("Clip", {"a" + tag}, "c" + tag, {FloatAttr("min", 0), FloatAttr("max", 6)}),
          Node("Mul", {x, "c" + tag}, "m" + tag), Node("Div", {"m" + tag, "six"}, y)};
}

const std::vector<std::string> kConstants = {ScalarTensor("three", 3), ScalarTensor("six", 6)};

struct ReadNode {
  std::string op;
  std::vector<std::string> inputs, outputs;
  std::vector<std::pair<std::string, float>> floats;
};

std::vector<ReadNode> Nodes(const std::string& model) {
  std::vector<ReadNode> nodes;
  Reader m(model);
  Field f;
  while (m.Next(&f)) {
    if (f.number != 7) continue;
    Reader g(f.bytes);
    Field n;
    while (g.Next(&n)) {
      if (n.number != 1) continue;
      ReadNode node;
      Reader r(n.bytes);
      Field x;
      while (r.Next(&x)) {
        if (x.number == 1) node.inputs.emplace_back(x.bytes);
        if (x.number == 2) node.outputs.emplace_back(x.bytes);
        if (x.number == 4) node.op = std::string(x.bytes);
        if (x.number == 5) {
          Reader a(x.bytes);
          Field y;
          std::string name;
          float value = 0;
          while (a.Next(&y)) {
            if (y.number == 1) name = std::string(y.bytes);
            if (y.number == 2) value = AsFloat(y.fixed32);
          }
          node.floats.emplace_back(name, value);
        }
      }
      nodes.push_back(node);
    }
  }
  return nodes;
}

TEST(FuseHardSwish, RewritesThePatternAndKeepsEverythingElse) {
  auto nodes = HardSwishNodes("x", "y", "");
  nodes.push_back(Node("Relu", {"y"}, "z"));
  const std::string model = Model(Graph(nodes, kConstants, {"z"}));
  int count = -1;
  const auto out = FuseHardSwish(model, &count);
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(count, 1);
  const auto read = Nodes(*out);
  ASSERT_EQ(read.size(), 3u);
  EXPECT_EQ(read[0].op, "HardSigmoid");
  EXPECT_EQ(read[0].inputs, std::vector<std::string>{"x"});
  ASSERT_EQ(read[0].floats.size(), 2u);
  EXPECT_EQ(read[0].floats[0], (std::pair<std::string, float>{"alpha", 1.0f / 6.0f}));
  EXPECT_EQ(read[0].floats[1], (std::pair<std::string, float>{"beta", 0.5f}));
  EXPECT_EQ(read[1].op, "Mul");
  EXPECT_EQ(read[1].inputs, (std::vector<std::string>{"x", read[0].outputs[0]}));
  EXPECT_EQ(read[1].outputs, std::vector<std::string>{"y"});
  EXPECT_EQ(read[2].op, "Relu");
  // The fields around the graph are copied byte for byte (ir_version, producer before it; opset after).
  const size_t graph_at = model.find("test-graph");
  ASSERT_NE(graph_at, std::string::npos);
  EXPECT_EQ(out->substr(0, 15), model.substr(0, 15));
  EXPECT_EQ(out->substr(out->size() - 4), model.substr(model.size() - 4));
  EXPECT_NE(out->find("test-graph"), std::string::npos);
}

TEST(FuseHardSwish, ClipBoundsAsConstantInputsAndMulEitherWay) {
  const std::vector<std::string> nodes = {
      Node("Constant", {}, "k3", {TensorAttr("value", ScalarTensor("", 3))}),
      Node("Constant", {}, "k0", {TensorAttr("value", ScalarTensor("", 0))}),
      Node("Constant", {}, "k6", {TensorAttr("value", ScalarTensor("", 6))}),
      Node("Add", {"k3", "x"}, "a"),
      Node("Clip", {"a", "k0", "k6"}, "c"),
      Node("Mul", {"c", "x"}, "m"),
      Node("Div", {"m", "k6"}, "y"),
  };
  int count = 0;
  const auto out = FuseHardSwish(Model(Graph(nodes, {}, {"y"})), &count);
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(count, 1);
  const auto read = Nodes(*out);
  ASSERT_EQ(read.size(), 5u);  // the three Constants (now partly unused: ONNX Runtime drops them), HardSigmoid, Mul
  EXPECT_EQ(read[3].op, "HardSigmoid");
  EXPECT_EQ(read[4].op, "Mul");
  EXPECT_EQ(read[4].outputs, std::vector<std::string>{"y"});
}

TEST(FuseHardSwish, TwoPatternsInAChain) {
  auto nodes = HardSwishNodes("x", "y", "1");
  for (auto& n : HardSwishNodes("y", "z", "2")) nodes.push_back(n);
  int count = 0;
  const auto out = FuseHardSwish(Model(Graph(nodes, kConstants, {"z"})), &count);
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(count, 2);
  const auto read = Nodes(*out);
  ASSERT_EQ(read.size(), 4u);
  EXPECT_EQ(read[3].inputs[0], "y");
  EXPECT_EQ(read[3].outputs[0], "z");
}

TEST(FuseHardSwish, LeavesAnythingNotExactlyThePatternAlone) {
  const auto unchanged = [](const std::vector<std::string>& nodes, const std::vector<std::string>& consts,
                            const std::vector<std::string>& outputs) {
    int count = -1;
    const bool rewritten = FuseHardSwish(Model(Graph(nodes, consts, outputs)), &count).has_value();
    return !rewritten && count == 0;
  };
  auto base = HardSwishNodes("x", "y", "");
  ASSERT_FALSE(unchanged(base, kConstants, {"y"}));
  // Other constants.
  EXPECT_TRUE(unchanged(base, {ScalarTensor("three", 2.5f), ScalarTensor("six", 6)}, {"y"}));
  EXPECT_TRUE(unchanged(base, {ScalarTensor("three", 3), ScalarTensor("six", 3)}, {"y"}));
  // Other Clip bounds.
  auto clip5 = base;
  clip5[1] = Node("Clip", {"a"}, "c", {FloatAttr("min", 0), FloatAttr("max", 5)});
  EXPECT_TRUE(unchanged(clip5, kConstants, {"y"}));
  // An intermediate read twice, or a graph output.
  auto shared = base;
  shared.push_back(Node("Relu", {"a"}, "r"));
  EXPECT_TRUE(unchanged(shared, kConstants, {"y", "r"}));
  EXPECT_TRUE(unchanged(base, kConstants, {"y", "m"}));
  // Mul by something else than the Add's other input.
  auto other = base;
  other[2] = Node("Mul", {"w", "c"}, "m");
  EXPECT_TRUE(unchanged(other, kConstants, {"y"}));
  // Another domain.
  auto custom = base;
  custom[0] = Node("Add", {"x", "three"}, "a", {}, "com.example");
  EXPECT_TRUE(unchanged(custom, kConstants, {"y"}));
  // Tensors in external files: the model is left as it is.
  EXPECT_TRUE(unchanged(base, {ScalarTensor("three", 3), ScalarTensor("six", 6), ScalarTensor("w", 1, true)}, {"y"}));
}

TEST(FuseHardSwish, MalformedBytesNeverCrashAndAreLeftAlone) {
  EXPECT_FALSE(FuseHardSwish("").has_value());
  EXPECT_FALSE(FuseHardSwish("not a model at all").has_value());
  EXPECT_FALSE(FuseHardSwish(std::string(64, '\xff')).has_value());
  const std::string model = Model(Graph(HardSwishNodes("x", "y", ""), kConstants, {"y"}));
  ASSERT_TRUE(FuseHardSwish(model).has_value());
  for (size_t cut = 0; cut < model.size(); ++cut) {
    const auto out = FuseHardSwish(model.substr(0, cut));  // truncated anywhere: no crash, no partial graph
    if (out) {
      EXPECT_EQ(Nodes(*out).size(), 2u) << cut;
    }
  }
  for (size_t at = 0; at < model.size(); ++at) {  // one byte flipped anywhere: no crash
    std::string bad = model;
    bad[at] = static_cast<char>(bad[at] ^ 0x5a);
    (void)FuseHardSwish(bad);
  }
}

}  // namespace
}  // namespace ocr::graph
