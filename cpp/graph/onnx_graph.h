// An ONNX graph as ocrkit's rewrites see it: the GraphProto's fields read
// once (nodes with their attributes; tensors of initializers and Constant
// nodes, whose data stays in the model's bytes until a rewrite asks for it),
// a few edits (drop a node, replace it by new ones, change its inputs or
// outputs, give a tensor new values, add an initializer), and the graph
// written back with every field that was not edited copied byte for byte.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "graph/protobuf.h"

namespace ocr::graph {

// A TensorProto. Its data is read only when asked for (Floats).
struct TensorProto {
  std::string name;
  uint64_t data_type = 0;
  std::vector<int64_t> dims;
  bool external = false;                // data in another file: never read here
  std::string_view raw_data;            // field 9, when present
  std::vector<std::string_view> float_data;  // field 4: packed runs, or single fixed32 values (4 bytes each)
  bool has_raw = false;

  int64_t elements() const;
  // Whether Floats() has values to give (a float tensor whose data is all here), without copying them.
  bool HasFloats() const;
  // The values of a float tensor whose data is all here, in row-major order.
  std::optional<std::vector<float>> Floats() const;
};

struct Attribute {
  std::string name;
  std::optional<float> f;
  std::optional<int64_t> i;
  std::vector<int64_t> ints;
  std::string s;
  bool is_string = false;  // a new node's STRING attribute (s); read attributes leave it false
  std::optional<TensorProto> t;
};

struct Node {
  std::string_view raw;  // the NodeProto as read
  std::string op, domain, name;
  std::vector<std::string> inputs, outputs;
  std::vector<Attribute> attributes;

  const Attribute* Attr(std::string_view attr) const;
  bool Is(std::string_view type) const { return op == type && (domain.empty() || domain == "ai.onnx"); }
};

class Graph {
 public:
  // nullopt on bytes that are not a readable GraphProto. The graph keeps views of `bytes`: they must outlive it.
  static std::optional<Graph> Parse(std::string_view bytes);

  int64_t ir_version = 0;  // the model's; initializers that are not graph inputs need 4 or later

  const std::vector<Node>& nodes() const { return nodes_; }
  const Node& node(size_t i) const { return nodes_[i]; }
  bool external_data() const { return external_; }  // some tensor lives in another file

  // Nodes (indices) that read `value` among those still in the graph; graph outputs are not nodes.
  const std::vector<size_t>& Consumers(const std::string& value) const;
  bool IsGraphOutput(const std::string& value) const { return outputs_.count(value) != 0; }
  // The one node reading `value`, of type `op`, with one output, when `value` is not also a graph output.
  std::optional<size_t> SoleReader(const std::string& value, std::string_view op) const;
  bool Dropped(size_t i) const { return edits_[i].dropped || !edits_[i].replacement.empty(); }
  // The node that writes each value in the graph as it now stands: nodes as edited, and the nodes written in
  // place of replaced ones (parsed from their encoding, with their own copies of names).
  std::unordered_map<std::string, Node> Writers() const;

  // A constant's values: an initializer or a Constant node's tensor, after edits.
  std::optional<std::vector<float>> Floats(const std::string& value, std::vector<int64_t>* dims = nullptr) const;
  // The dims of a constant Floats() has values for, without copying them (nullptr when it has none).
  const std::vector<int64_t>* FloatDims(const std::string& value) const;
  std::optional<float> Scalar(const std::string& value) const;  // a constant of one float, any rank <= 1
  const std::vector<int64_t>* ConstantDims(const std::string& value) const;  // a constant's shape
  bool IsConstant(const std::string& value) const;

  // Edits. Each keeps Consumers() true for what stays in the graph.
  void Drop(size_t i);
  // NodeProtos written in node i's place, which read `reads` (Consumers() lists node i for them).
  void Replace(size_t i, std::vector<std::string> encoded_nodes, const std::vector<std::string>& reads);
  void SetInput(size_t i, size_t slot, const std::string& value);
  void AddInput(size_t i, const std::string& value);
  void SetOutput(size_t i, size_t slot, const std::string& value);
  // New values for a constant that only node `reader` reads (false, and nothing changed, otherwise).
  bool SetFloats(const std::string& value, size_t reader, std::vector<float> values);
  void AddInitializer(const std::string& value, std::vector<int64_t> dims, std::vector<float> values);  // a new name
  void AddInt64Initializer(const std::string& value, std::vector<int64_t> values);  // a new name; one dimension
  std::string UniqueName(const std::string& base);
  // Drops the Constant nodes nothing reads any more (nor the graph's outputs); returns how many. The rewrites
  // leave the constants of the chains they fold: ONNX Runtime would drop them at load, one warning each.
  int DropUnreadConstants();

  // The GraphProto as pieces: views of the model's unedited fields (byte for byte), of the edited ones' new
  // encoding (held in `owned`) and of the graph's new constant values; a model is then written with one copy of
  // each byte. Valid while the graph and the model's bytes are.
  struct Bytes {
    std::deque<std::string> owned;
    std::vector<std::string_view> pieces;
    size_t size() const;
  };
  Bytes Serialize() const;

 private:
  struct Edit {
    bool dropped = false;
    bool io_changed = false;
    std::vector<std::string> replacement;
  };
  struct Constant {
    std::optional<size_t> field;  // initializer field, or
    std::optional<size_t> node;   // Constant node
  };
  const TensorProto* Tensor(const std::string& value) const;
  void Unread(const std::string& value, size_t i);

  std::vector<protobuf::Field> fields_;
  std::vector<size_t> node_field_;  // field index of each node
  std::vector<Node> nodes_;
  std::vector<Edit> edits_;
  std::unordered_map<std::string, TensorProto> tensors_;  // by value name
  std::unordered_map<std::string, Constant> constants_;
  std::unordered_map<std::string, std::vector<float>> new_values_;
  std::unordered_map<std::string, std::vector<int64_t>> new_int64_;
  std::vector<std::string> new_initializers_;  // names of added initializers (values in new_values_ or new_int64_)
  std::unordered_map<std::string, std::vector<size_t>> consumers_;
  std::unordered_set<std::string> outputs_, names_;
  bool external_ = false;
};

// The inputs a node's output takes its shape from, when it is an activation (Relu, Sigmoid, HardSigmoid,
// HardSwish, Tanh, LeakyRelu, Identity; Clip with scalar bounds) or an elementwise Add / Mul / Sub / Div: its
// operands that are not scalar constants (none for two scalars). nullopt for any other node.
std::optional<std::vector<std::string>> ShapeFollowsInputs(const Graph& graph, const Node& n);

std::string EncodeInt64Tensor(const std::string& name, const std::vector<int64_t>& values);  // one dimension
// Attributes of a new node: `f` (FLOAT), else `i` (INT), else `s` when is_string (STRING), else `ints` (INTS) is
// written.
Attribute FloatAttribute(std::string name, float value);
Attribute IntAttribute(std::string name, int64_t value);
Attribute IntsAttribute(std::string name, std::vector<int64_t> values);
Attribute StringAttribute(std::string name, std::string value);
std::string EncodeNode(const std::string& name, const std::string& op, const std::vector<std::string>& inputs,
                       const std::string& output, const std::vector<Attribute>& attributes = {});

// Parses the one graph of a ModelProto, lets `rewrite` edit it (it returns how many patterns it rewrote) and
// returns the model with the graph written back; nullopt when nothing was rewritten, the bytes could not be
// read, or some tensor lives in an external file. Constant nodes nothing reads after the rewrite are left out;
// fields around the graph are copied byte for byte.
std::optional<std::string> RewriteModelGraph(std::string_view model, const std::function<int(Graph&)>& rewrite);

}  // namespace ocr::graph
