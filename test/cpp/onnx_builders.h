// Builders and readers of tiny ONNX models for the graph rewrite tests (field
// numbers from onnx.proto), written with ocrkit's own protobuf writer.
#pragma once

#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "graph/protobuf.h"

namespace ocr::graph::testing_onnx {

using namespace protobuf;  // NOLINT

// Tiny ONNX message builders (field numbers from onnx.proto).
inline std::string ScalarTensor(const std::string& name, float value, bool external = false) {
  std::string t;
  PutVarintField(t, 2, 1);  // data_type FLOAT, no dims: a scalar
  PutBytes(t, 8, name);
  std::string raw(4, '\0');
  std::memcpy(raw.data(), &value, 4);
  PutBytes(t, 9, raw);
  if (external) PutVarintField(t, 14, 1);
  return t;
}

inline std::string FloatTensor(const std::string& name, const std::vector<int64_t>& dims,
                               const std::vector<float>& values) {
  std::string t;
  for (int64_t d : dims) PutVarintField(t, 1, static_cast<uint64_t>(d));
  PutVarintField(t, 2, 1);
  PutBytes(t, 8, name);
  PutBytes(t, 9, std::string(reinterpret_cast<const char*>(values.data()), values.size() * 4));
  return t;
}

inline std::string IntsAttr(const std::string& name, const std::vector<int64_t>& values) {
  std::string a;
  PutBytes(a, 1, name);
  for (int64_t v : values) PutVarintField(a, 8, static_cast<uint64_t>(v));
  PutVarintField(a, 20, 7);
  return a;
}

inline std::string IntAttr(const std::string& name, int64_t value) {
  std::string a;
  PutBytes(a, 1, name);
  PutVarintField(a, 3, static_cast<uint64_t>(value));
  PutVarintField(a, 20, 2);
  return a;
}

inline std::string FloatAttr(const std::string& name, float value) {
  std::string a;
  PutBytes(a, 1, name);
  PutFloat(a, 2, value);
  PutVarintField(a, 20, 1);
  return a;
}

inline std::string StringAttr(const std::string& name, const std::string& value) {
  std::string a;
  PutBytes(a, 1, name);
  PutBytes(a, 4, value);
  PutVarintField(a, 20, 3);
  return a;
}

inline std::string TensorAttr(const std::string& name, const std::string& tensor) {
  std::string a;
  PutBytes(a, 1, name);
  PutBytes(a, 5, tensor);
  PutVarintField(a, 20, 4);
  return a;
}

inline std::string Node(const std::string& op, const std::vector<std::string>& inputs, const std::string& output,
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

inline std::string Graph(const std::vector<std::string>& nodes, const std::vector<std::string>& initializers,
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

inline std::string Model(const std::string& graph, uint64_t ir_version = 7) {
  std::string m;
  PutVarintField(m, 1, ir_version);
  PutBytes(m, 2, "ocrkit-test");
  PutBytes(m, 7, graph);
  std::string opset;
  PutVarintField(opset, 2, 9);
  PutBytes(m, 8, opset);
  return m;
}

// Calls fn(field) for each field of the model's graph.
template <typename Fn>
void ForEachGraphField(const std::string& model, Fn fn) {
  Reader m(model);
  Field f;
  while (m.Next(&f)) {
    if (f.number != 7) continue;
    Reader g(f.bytes);
    Field x;
    while (g.Next(&x)) fn(x);
  }
}

struct ReadNode {
  std::string op;
  std::vector<std::string> inputs, outputs;
  std::vector<std::pair<std::string, float>> floats;                 // FLOAT attributes
  std::vector<std::pair<std::string, std::vector<int64_t>>> ints;    // INT (one value) and INTS attributes
  std::vector<std::pair<std::string, std::string>> strings;          // STRING attributes
};

inline std::vector<ReadNode> Nodes(const std::string& model) {
  std::vector<ReadNode> nodes;
  ForEachGraphField(model, [&](const Field& n) {
    if (n.number != 1) return;
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
        uint64_t type = 0;
        std::vector<int64_t> ints;
        std::string text;
        while (a.Next(&y)) {
          if (y.number == 1) name = std::string(y.bytes);
          if (y.number == 4) text = std::string(y.bytes);
          if (y.number == 2) value = AsFloat(y.fixed32);
          if ((y.number == 3 || y.number == 8) && y.wire == kVarint) ints.push_back(static_cast<int64_t>(y.varint));
          if (y.number == 20) type = y.varint;
        }
        if (type == 1) node.floats.emplace_back(name, value);
        if (type == 2 || type == 7) node.ints.emplace_back(name, ints);
        if (type == 3) node.strings.emplace_back(name, text);
      }
    }
    nodes.push_back(node);
  });
  return nodes;
}

// A float tensor of the model by name: an initializer, or the value of the Constant node that outputs it.
struct ReadTensor {
  std::vector<int64_t> dims;
  std::vector<float> values;   // a float tensor's
  std::vector<int64_t> ints;   // an int64 tensor's
  uint64_t data_type = 0;
  bool found = false;
};

inline ReadTensor ParseTensor(std::string_view bytes) {
  ReadTensor t;
  Reader r(bytes);
  Field f;
  std::string_view raw;
  while (r.Next(&f)) {
    if (f.number == 1 && f.wire == kVarint) t.dims.push_back(static_cast<int64_t>(f.varint));
    if (f.number == 2 && f.wire == kVarint) t.data_type = f.varint;
    if (f.number == 9 && f.wire == kBytes) {
      raw = f.bytes;
      t.found = true;
    }
  }
  if (t.data_type == 7) {
    t.ints.resize(raw.size() / 8);
    std::memcpy(t.ints.data(), raw.data(), t.ints.size() * 8);
  } else {
    t.values.resize(raw.size() / 4);
    std::memcpy(t.values.data(), raw.data(), t.values.size() * 4);
  }
  return t;
}

inline ReadTensor TensorOf(const std::string& model, const std::string& name) {
  std::optional<ReadTensor> found;
  ForEachGraphField(model, [&](const Field& x) {
    if (found) return;
    if (x.number == 5) {  // initializer
      Reader t(x.bytes);
      Field y;
      while (t.Next(&y)) {
        if (y.number == 8 && y.bytes == name) found = ParseTensor(x.bytes);
      }
    }
    if (x.number == 1) {  // a Constant node
      Reader n(x.bytes);
      Field y;
      bool outputs_it = false;
      std::string_view tensor;
      while (n.Next(&y)) {
        if (y.number == 2 && y.bytes == name) outputs_it = true;
        if (y.number == 5) {
          Reader a(y.bytes);
          Field z;
          while (a.Next(&z)) {
            if (z.number == 5) tensor = z.bytes;
          }
        }
      }
      if (outputs_it && !tensor.empty()) found = ParseTensor(tensor);
    }
  });
  return found.value_or(ReadTensor{});
}

}  // namespace ocr::graph::testing_onnx
