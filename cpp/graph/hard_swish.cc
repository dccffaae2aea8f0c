// Reads just enough of ONNX's messages (ModelProto -> GraphProto ->
// NodeProto, AttributeProto, TensorProto) to find the pattern; every field it
// does not rewrite is copied byte for byte.
#include "graph/hard_swish.h"

#include <cstdint>
#include <cstring>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "graph/protobuf.h"

namespace ocr::graph {
namespace {

using namespace protobuf;  // NOLINT: the wire format's vocabulary

// ONNX field numbers used here.
namespace model { constexpr uint32_t kGraph = 7; }
namespace graph_proto { constexpr uint32_t kNode = 1, kInitializer = 5, kOutput = 12; }
namespace node { constexpr uint32_t kInput = 1, kOutput = 2, kName = 3, kOpType = 4, kAttribute = 5, kDomain = 7; }
namespace attr { constexpr uint32_t kName = 1, kF = 2, kT = 5, kType = 20; constexpr uint64_t kFloatType = 1; }
namespace tensor {
constexpr uint32_t kDims = 1, kDataType = 2, kFloatData = 4, kName = 8, kRawData = 9, kDataLocation = 14;
constexpr uint64_t kFloat = 1, kExternal = 1;
}

// A tensor's value when it is one float; `external` is set when its data
// lives in another file.
struct Scalar {
  std::string name;
  std::optional<float> value;
  bool external = false;
};

Scalar ReadTensor(std::string_view bytes, bool* ok) {
  Scalar s;
  Reader r(bytes);
  Field f;
  uint64_t type = 0;
  size_t elements = 1;
  std::optional<float> raw, listed;
  int listed_count = 0;
  while (r.Next(&f)) {
    if (f.number == tensor::kName && f.wire == kBytes) s.name = std::string(f.bytes);
    if (f.number == tensor::kDataType && f.wire == kVarint) type = f.varint;
    if (f.number == tensor::kDims) {
      if (f.wire == kVarint) {
        elements *= f.varint;
      } else if (f.wire == kBytes && !ForEachPackedVarint(f.bytes, [&](uint64_t d) { elements *= d; })) {
        *ok = false;
        return s;
      }
    }
    if (f.number == tensor::kRawData && f.wire == kBytes && f.bytes.size() == 4) {
      uint32_t bits;
      std::memcpy(&bits, f.bytes.data(), 4);
      raw = AsFloat(bits);
    }
    if (f.number == tensor::kFloatData) {
      if (f.wire == kFixed32) {
        listed = AsFloat(f.fixed32);
        ++listed_count;
      } else if (f.wire == kBytes) {
        listed_count += static_cast<int>(f.bytes.size() / 4);
        if (f.bytes.size() == 4) {
          uint32_t bits;
          std::memcpy(&bits, f.bytes.data(), 4);
          listed = AsFloat(bits);
        }
      }
    }
    if (f.number == tensor::kDataLocation && f.wire == kVarint && f.varint == tensor::kExternal) s.external = true;
  }
  if (!r.ok()) *ok = false;
  if (type == tensor::kFloat && elements == 1) {
    if (raw) s.value = raw;
    else if (listed && listed_count == 1) s.value = listed;
  }
  return s;
}

struct Node {
  std::string_view raw;
  std::string op, domain, name;
  std::vector<std::string> inputs, outputs;
  std::optional<float> attr_min, attr_max;  // Clip before opset 11
  std::optional<float> value;               // Constant holding one float
};

Node ReadNode(std::string_view bytes, bool* ok, bool* external) {
  Node n;
  n.raw = bytes;
  Reader r(bytes);
  Field f;
  while (r.Next(&f)) {
    if (f.wire != kBytes) continue;
    switch (f.number) {
      case node::kInput: n.inputs.emplace_back(f.bytes); break;
      case node::kOutput: n.outputs.emplace_back(f.bytes); break;
      case node::kName: n.name = std::string(f.bytes); break;
      case node::kOpType: n.op = std::string(f.bytes); break;
      case node::kDomain: n.domain = std::string(f.bytes); break;
      case node::kAttribute: {
        Reader a(f.bytes);
        Field g;
        std::string name;
        std::optional<float> fv;
        std::optional<Scalar> tv;
        while (a.Next(&g)) {
          if (g.number == attr::kName && g.wire == kBytes) name = std::string(g.bytes);
          if (g.number == attr::kF && g.wire == kFixed32) fv = AsFloat(g.fixed32);
          if (g.number == attr::kT && g.wire == kBytes) tv = ReadTensor(g.bytes, ok);
        }
        if (!a.ok()) *ok = false;
        if (tv && tv->external) *external = true;
        if (name == "min") n.attr_min = fv;
        if (name == "max") n.attr_max = fv;
        if (name == "value" && tv) n.value = tv->value;
        break;
      }
      default: break;
    }
  }
  if (!r.ok()) *ok = false;
  return n;
}

std::string EncodeNode(const std::string& name, const std::string& op, const std::vector<std::string>& inputs,
                       const std::string& output, const std::vector<std::pair<std::string, float>>& floats) {
  std::string out;
  for (const auto& input : inputs) PutBytes(out, node::kInput, input);
  PutBytes(out, node::kOutput, output);
  PutBytes(out, node::kName, name);
  PutBytes(out, node::kOpType, op);
  for (const auto& [key, value] : floats) {
    std::string a;
    PutBytes(a, attr::kName, key);
    PutFloat(a, attr::kF, value);
    PutVarintField(a, attr::kType, attr::kFloatType);
    PutBytes(out, node::kAttribute, a);
  }
  return out;
}

std::optional<std::string> RewriteGraph(std::string_view graph, int* count) {
  std::vector<Field> fields;
  std::vector<Node> nodes;
  std::vector<size_t> node_field;  // index into fields of each node
  std::unordered_map<std::string, float> constants;
  std::unordered_set<std::string> graph_outputs, names;
  bool ok = true, external = false;
  Reader r(graph);
  Field f;
  while (r.Next(&f)) {
    fields.push_back(f);
    if (f.number == graph_proto::kNode && f.wire == kBytes) {
      node_field.push_back(fields.size() - 1);
      nodes.push_back(ReadNode(f.bytes, &ok, &external));
    } else if (f.number == graph_proto::kInitializer && f.wire == kBytes) {
      Scalar s = ReadTensor(f.bytes, &ok);
      if (s.external) external = true;
      if (s.value) constants[s.name] = *s.value;
      names.insert(s.name);
    } else if (f.number == graph_proto::kOutput && f.wire == kBytes) {
      Reader v(f.bytes);
      Field g;
      while (v.Next(&g)) {
        if (g.number == 1 && g.wire == kBytes) graph_outputs.emplace(g.bytes);
      }
    }
  }
  if (!r.ok() || !ok || external) return std::nullopt;

  std::unordered_map<std::string, std::vector<size_t>> consumers;
  for (size_t i = 0; i < nodes.size(); ++i) {
    for (const auto& input : nodes[i].inputs) consumers[input].push_back(i);
    for (const auto& output : nodes[i].outputs) names.insert(output);
    if (nodes[i].op == "Constant" && nodes[i].domain.empty() && nodes[i].outputs.size() == 1 && nodes[i].value) {
      constants[nodes[i].outputs[0]] = *nodes[i].value;
    }
  }
  auto is_const = [&](const std::string& name, float want) {
    auto it = constants.find(name);
    return it != constants.end() && it->second == want;
  };
  // The one node reading `value`, which must not also be a graph output.
  auto sole_reader = [&](const std::string& value, const char* op) -> const Node* {
    auto it = consumers.find(value);
    if (graph_outputs.count(value) || it == consumers.end() || it->second.size() != 1) return nullptr;
    const Node& n = nodes[it->second[0]];
    if (n.op != op || !n.domain.empty() || n.outputs.size() != 1) return nullptr;
    return &n;
  };
  auto index_of = [&](const Node* n) { return static_cast<size_t>(n - nodes.data()); };

  std::vector<std::vector<std::string>> replacement(nodes.size());  // encoded nodes that take node i's place
  std::vector<bool> dropped(nodes.size(), false);
  int found = 0;
  for (size_t i = 0; i < nodes.size(); ++i) {
    const Node& add = nodes[i];
    if (add.op != "Add" || !add.domain.empty() || add.inputs.size() != 2 || add.outputs.size() != 1) continue;
    if (dropped[i] || !replacement[i].empty()) continue;
    std::string x;
    if (is_const(add.inputs[1], 3.0f)) x = add.inputs[0];
    else if (is_const(add.inputs[0], 3.0f)) x = add.inputs[1];
    else continue;
    const Node* clip = sole_reader(add.outputs[0], "Clip");
    if (!clip || clip->inputs.empty() || clip->inputs[0] != add.outputs[0]) continue;
    const bool attr_bounds = clip->inputs.size() == 1 && clip->attr_min == 0.0f && clip->attr_max == 6.0f;
    const bool input_bounds = clip->inputs.size() == 3 && !clip->attr_min && !clip->attr_max &&
                              is_const(clip->inputs[1], 0.0f) && is_const(clip->inputs[2], 6.0f);
    if (!attr_bounds && !input_bounds) continue;
    const Node* mul = sole_reader(clip->outputs[0], "Mul");
    if (!mul || mul->inputs.size() != 2) continue;
    const bool mul_ok = (mul->inputs[0] == x && mul->inputs[1] == clip->outputs[0]) ||
                        (mul->inputs[1] == x && mul->inputs[0] == clip->outputs[0]);
    if (!mul_ok) continue;
    const Node* div = sole_reader(mul->outputs[0], "Div");
    if (!div || div->inputs.size() != 2 || div->inputs[0] != mul->outputs[0] || !is_const(div->inputs[1], 6.0f)) {
      continue;
    }
    std::string gate = add.outputs[0] + "_ocrkit_hardsigmoid";
    while (names.count(gate)) gate += "_";
    names.insert(gate);
    const std::string base = add.name.empty() ? add.outputs[0] : add.name;
    replacement[i] = {
        EncodeNode(base + "_ocrkit_hardsigmoid", "HardSigmoid", {x}, gate, {{"alpha", 1.0f / 6.0f}, {"beta", 0.5f}}),
        EncodeNode(base + "_ocrkit_hardswish", "Mul", {x, gate}, div->outputs[0], {})};
    dropped[index_of(clip)] = dropped[index_of(mul)] = dropped[index_of(div)] = true;
    ++found;
  }
  if (count) *count = found;
  if (found == 0) return std::nullopt;

  std::string out;
  size_t next_node = 0;
  for (size_t k = 0; k < fields.size(); ++k) {
    if (next_node < node_field.size() && node_field[next_node] == k) {
      const size_t i = next_node++;
      if (dropped[i]) continue;
      if (replacement[i].empty()) {
        out.append(fields[k].raw);
        continue;
      }
      for (const std::string& encoded : replacement[i]) PutBytes(out, graph_proto::kNode, encoded);
      continue;
    }
    out.append(fields[k].raw);
  }
  return out;
}

}  // namespace

std::optional<std::string> FuseHardSwish(const std::string& model, int* rewritten) {
  if (rewritten) *rewritten = 0;
  Reader r(model);
  Field f;
  std::vector<Field> fields;
  int graphs = 0;
  while (r.Next(&f)) {
    fields.push_back(f);
    if (f.number == model::kGraph) ++graphs;
  }
  if (!r.ok() || graphs != 1) return std::nullopt;
  std::string out;
  out.reserve(model.size());
  for (const Field& field : fields) {
    if (field.number != model::kGraph) {
      out.append(field.raw);
      continue;
    }
    if (field.wire != kBytes) return std::nullopt;
    auto graph = RewriteGraph(field.bytes, rewritten);
    if (!graph) return std::nullopt;
    PutBytes(out, model::kGraph, *graph);
  }
  return out;
}

}  // namespace ocr::graph
