#include "graph/onnx_graph.h"

#include <cstring>
#include <initializer_list>
#include <utility>

namespace ocr::graph {
namespace {

using namespace protobuf;  // NOLINT: the wire format's vocabulary

// ONNX field numbers used here (onnx.proto).
namespace model { constexpr uint32_t kIrVersion = 1, kGraph = 7; }
namespace graph_proto { constexpr uint32_t kNode = 1, kInitializer = 5, kOutput = 12; }
namespace node {
constexpr uint32_t kInput = 1, kOutput = 2, kName = 3, kOpType = 4, kAttribute = 5, kDomain = 7;
}
namespace attr {
constexpr uint32_t kName = 1, kF = 2, kI = 3, kS = 4, kT = 5, kG = 6, kInts = 8, kGraphs = 11, kType = 20;
constexpr uint64_t kFloatType = 1, kIntType = 2, kStringType = 3, kTensorType = 4, kIntsType = 7;
}
namespace tensor {
constexpr uint32_t kDims = 1, kDataType = 2, kFloatData = 4, kName = 8, kRawData = 9, kDataLocation = 14;
constexpr uint64_t kFloat = 1, kInt64 = 7, kExternal = 1;
}

const std::vector<size_t> kNoConsumers;

// A repeated int64 field's values, one per field or packed in one.
bool ReadInts(const Field& f, std::vector<int64_t>* out) {
  if (f.wire == kVarint) {
    out->push_back(static_cast<int64_t>(f.varint));
    return true;
  }
  return f.wire != kBytes ||
         ForEachPackedVarint(f.bytes, [&](uint64_t v) { out->push_back(static_cast<int64_t>(v)); });
}

bool ReadTensor(std::string_view bytes, TensorProto* t) {
  Reader r(bytes);
  Field f;
  while (r.Next(&f)) {
    switch (f.number) {
      case tensor::kName:
        if (f.wire == kBytes) t->name = std::string(f.bytes);
        break;
      case tensor::kDataType:
        if (f.wire == kVarint) t->data_type = f.varint;
        break;
      case tensor::kDims:
        if (!ReadInts(f, &t->dims)) return false;
        break;
      case tensor::kRawData:
        if (f.wire == kBytes) {
          t->raw_data = f.bytes;
          t->has_raw = true;
        }
        break;
      case tensor::kFloatData:
        if (f.wire == kBytes) t->float_data.push_back(f.bytes);
        if (f.wire == kFixed32) t->float_data.push_back(f.raw.substr(f.raw.size() - 4));
        break;
      case tensor::kDataLocation:
        if (f.wire == kVarint && f.varint == tensor::kExternal) t->external = true;
        break;
      default:
        break;
    }
  }
  return r.ok();
}

bool ReadAttribute(std::string_view bytes, Attribute* a, bool* subgraph) {
  Reader r(bytes);
  Field f;
  while (r.Next(&f)) {
    switch (f.number) {
      case attr::kName:
        if (f.wire == kBytes) a->name = std::string(f.bytes);
        break;
      case attr::kF:
        if (f.wire == kFixed32) a->f = AsFloat(f.fixed32);
        break;
      case attr::kI:
        if (f.wire == kVarint) a->i = static_cast<int64_t>(f.varint);
        break;
      case attr::kS:
        if (f.wire == kBytes) a->s = std::string(f.bytes);
        break;
      case attr::kT:
        if (f.wire == kBytes) {
          a->t.emplace();
          if (!ReadTensor(f.bytes, &*a->t)) return false;
        }
        break;
      case attr::kInts:
        if (!ReadInts(f, &a->ints)) return false;
        break;
      case attr::kG:
      case attr::kGraphs:
        *subgraph = true;
        break;
      default:
        break;
    }
  }
  return r.ok();
}

bool ReadNode(std::string_view bytes, Node* n, bool* subgraph) {
  n->raw = bytes;
  Reader r(bytes);
  Field f;
  while (r.Next(&f)) {
    if (f.wire != kBytes) continue;
    switch (f.number) {
      case node::kInput: n->inputs.emplace_back(f.bytes); break;
      case node::kOutput: n->outputs.emplace_back(f.bytes); break;
      case node::kName: n->name = std::string(f.bytes); break;
      case node::kOpType: n->op = std::string(f.bytes); break;
      case node::kDomain: n->domain = std::string(f.bytes); break;
      case node::kAttribute:
        n->attributes.emplace_back();
        if (!ReadAttribute(f.bytes, &n->attributes.back(), subgraph)) return false;
        break;
      default: break;
    }
  }
  return r.ok();
}

// A node with new inputs and outputs and every other field as it was.
std::string ReencodeNode(const Node& n) {
  std::string out;
  for (const auto& input : n.inputs) PutBytes(out, node::kInput, input);
  for (const auto& output : n.outputs) PutBytes(out, node::kOutput, output);
  Reader r(n.raw);
  Field f;
  while (r.Next(&f)) {
    if (f.number != node::kInput && f.number != node::kOutput) out.append(f.raw);
  }
  return out;
}

// A float tensor's encoding as two parts, so that its values are copied once, into the written model: the
// fields up to its values (dims, data type, name, raw_data's key and length) and a view of the values.
struct TensorParts {
  std::string head;
  std::string_view values;
  size_t size() const { return head.size() + values.size(); }
};

TensorParts EncodeTensorParts(const std::string& name, const std::vector<int64_t>& dims,
                              const std::vector<float>& values) {
  TensorParts t;
  for (int64_t d : dims) PutVarintField(t.head, tensor::kDims, static_cast<uint64_t>(d));
  PutVarintField(t.head, tensor::kDataType, tensor::kFloat);
  if (!name.empty()) PutBytes(t.head, tensor::kName, name);
  t.values = std::string_view(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
  PutBytesHeader(t.head, tensor::kRawData, t.values.size());
  return t;
}

// Constant node n with `tensor` as its value, as three parts: its bytes before the tensor's values (the node's
// outputs, name and op type, the attribute's key and length, its name, the tensor's key and length and head),
// the values, and its bytes after them (the attribute's type, the node's domain).
struct ConstantNodeParts {
  std::string before;
  std::string_view values;
  std::string after;
};

ConstantNodeParts EncodeConstantNode(const Node& n, TensorParts tensor) {
  std::string attr_before;
  PutBytes(attr_before, attr::kName, "value");
  PutBytesHeader(attr_before, attr::kT, tensor.size());
  std::string attr_after;
  PutVarintField(attr_after, attr::kType, attr::kTensorType);
  ConstantNodeParts out;
  for (const auto& output : n.outputs) PutBytes(out.before, node::kOutput, output);
  if (!n.name.empty()) PutBytes(out.before, node::kName, n.name);
  PutBytes(out.before, node::kOpType, "Constant");
  PutBytesHeader(out.before, node::kAttribute, attr_before.size() + tensor.size() + attr_after.size());
  out.before += attr_before;
  out.before += tensor.head;
  out.values = tensor.values;
  out.after = std::move(attr_after);
  if (!n.domain.empty()) PutBytes(out.after, node::kDomain, n.domain);
  return out;
}

}  // namespace

int64_t TensorProto::elements() const {
  int64_t n = 1;
  for (int64_t d : dims) {
    if (d < 0 || (d > 0 && n > (int64_t(1) << 40) / d)) return -1;
    n *= d;
  }
  return n;
}

bool TensorProto::HasFloats() const {
  const int64_t n = elements();
  if (data_type != tensor::kFloat || external || n < 0) return false;
  if (has_raw) return float_data.empty() && raw_data.size() == size_t(n) * 4;
  size_t bytes = 0;
  for (auto run : float_data) bytes += run.size();
  return bytes == size_t(n) * 4;
}

std::optional<std::vector<float>> TensorProto::Floats() const {
  if (!HasFloats()) return std::nullopt;
  std::vector<float> values(static_cast<size_t>(elements()));
  if (has_raw) {
    if (!values.empty()) std::memcpy(values.data(), raw_data.data(), raw_data.size());
    return values;
  }
  size_t at = 0;
  for (auto run : float_data) {
    if (run.empty()) continue;  // (no copy to or from a null pointer: an empty tensor's data is null)
    std::memcpy(reinterpret_cast<char*>(values.data()) + at, run.data(), run.size());
    at += run.size();
  }
  return values;
}

const Attribute* Node::Attr(std::string_view attr) const {
  for (const auto& a : attributes) {
    if (a.name == attr) return &a;
  }
  return nullptr;
}

std::optional<Graph> Graph::Parse(std::string_view bytes) {
  Graph g;
  bool subgraph = false;
  Reader r(bytes);
  Field f;
  while (r.Next(&f)) {
    g.fields_.push_back(f);
    const size_t at = g.fields_.size() - 1;
    if (f.wire != kBytes) continue;
    if (f.number == graph_proto::kNode) {
      g.node_field_.push_back(at);
      g.nodes_.emplace_back();
      if (!ReadNode(f.bytes, &g.nodes_.back(), &subgraph)) return std::nullopt;
    } else if (f.number == graph_proto::kInitializer) {
      TensorProto t;
      if (!ReadTensor(f.bytes, &t)) return std::nullopt;
      if (t.external) g.external_ = true;
      g.names_.insert(t.name);
      g.constants_[t.name].field = at;
      g.tensors_[t.name] = std::move(t);
    } else if (f.number == graph_proto::kOutput) {
      Reader v(f.bytes);
      Field name;
      while (v.Next(&name)) {
        if (name.number == 1 && name.wire == kBytes) g.outputs_.emplace(name.bytes);
      }
      if (!v.ok()) return std::nullopt;
    }
  }
  // Values read inside subgraphs (If, Loop, Scan) are not inputs of the node that holds them: a graph with
  // subgraphs is not rewritten at all, rather than risk removing something a subgraph reads.
  if (!r.ok() || subgraph) return std::nullopt;
  // ONNX graphs are in single assignment form and sorted topologically; the rewrites follow chains of readers
  // and rely on both. A graph that breaks them (a value written twice, or read by a node at or before the one
  // that writes it: a cycle) is not rewritten.
  std::unordered_map<std::string_view, size_t> writer;
  for (size_t i = 0; i < g.nodes_.size(); ++i) {
    for (const auto& output : g.nodes_[i].outputs) {
      if (output.empty()) continue;  // an optional output left out
      if (g.tensors_.count(output) || !writer.emplace(output, i).second) return std::nullopt;
    }
  }
  for (size_t i = 0; i < g.nodes_.size(); ++i) {
    for (const auto& input : g.nodes_[i].inputs) {
      const auto it = writer.find(input);
      if (it != writer.end() && it->second >= i) return std::nullopt;
    }
  }
  g.edits_.resize(g.nodes_.size());
  for (size_t i = 0; i < g.nodes_.size(); ++i) {
    const Node& n = g.nodes_[i];
    for (const auto& input : n.inputs) g.consumers_[input].push_back(i);
    for (const auto& output : n.outputs) g.names_.insert(output);
    if (n.Is("Constant") && n.outputs.size() == 1) {
      const Attribute* value = n.Attr("value");
      if (value && value->t) {
        if (value->t->external) g.external_ = true;
        g.constants_[n.outputs[0]] = Constant{std::nullopt, i};
        g.tensors_[n.outputs[0]] = *value->t;
      }
    }
  }
  return g;
}

const std::vector<size_t>& Graph::Consumers(const std::string& value) const {
  auto it = consumers_.find(value);
  return it == consumers_.end() ? kNoConsumers : it->second;
}

std::optional<size_t> Graph::SoleReader(const std::string& value, std::string_view op) const {
  const auto& readers = Consumers(value);
  if (IsGraphOutput(value) || readers.size() != 1) return std::nullopt;
  const Node& n = nodes_[readers[0]];
  if (Dropped(readers[0]) || !n.Is(op) || n.outputs.size() != 1) return std::nullopt;
  return readers[0];
}

std::unordered_map<std::string, Node> Graph::Writers() const {
  std::unordered_map<std::string, Node> writers;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (!edits_[i].replacement.empty()) {
      for (const std::string& bytes : edits_[i].replacement) {
        Node n;
        bool subgraph = false;
        if (!ReadNode(bytes, &n, &subgraph) || subgraph) continue;
        n.raw = {};
        for (const auto& output : n.outputs) writers[output] = n;
      }
    } else if (!edits_[i].dropped) {
      for (const auto& output : nodes_[i].outputs) writers[output] = nodes_[i];
    }
  }
  return writers;
}

const TensorProto* Graph::Tensor(const std::string& value) const {
  auto it = tensors_.find(value);
  return it == tensors_.end() ? nullptr : &it->second;
}

const std::vector<int64_t>* Graph::ConstantDims(const std::string& value) const {
  const TensorProto* t = Tensor(value);
  return t ? &t->dims : nullptr;
}

bool Graph::IsConstant(const std::string& value) const { return constants_.count(value) != 0; }

std::optional<std::vector<float>> Graph::Floats(const std::string& value, std::vector<int64_t>* dims) const {
  const TensorProto* t = Tensor(value);
  if (!t) return std::nullopt;
  if (dims) *dims = t->dims;
  auto edited = new_values_.find(value);
  if (edited != new_values_.end()) return edited->second;
  return t->Floats();
}

const std::vector<int64_t>* Graph::FloatDims(const std::string& value) const {
  const TensorProto* t = Tensor(value);
  if (!t) return nullptr;
  return new_values_.count(value) != 0 || t->HasFloats() ? &t->dims : nullptr;
}

std::optional<float> Graph::Scalar(const std::string& value) const {
  const TensorProto* t = Tensor(value);
  if (!t || t->dims.size() > 1 || t->elements() != 1) return std::nullopt;
  auto values = Floats(value);
  if (!values || values->size() != 1) return std::nullopt;
  return (*values)[0];
}

void Graph::Unread(const std::string& value, size_t i) {
  auto it = consumers_.find(value);
  if (it == consumers_.end()) return;
  auto& readers = it->second;
  for (size_t k = 0; k < readers.size(); ++k) {
    if (readers[k] == i) {
      readers.erase(readers.begin() + static_cast<std::ptrdiff_t>(k));
      return;
    }
  }
}

void Graph::Drop(size_t i) {
  edits_[i].dropped = true;
  for (const auto& input : nodes_[i].inputs) Unread(input, i);
}

int Graph::DropUnreadConstants() {
  int dropped = 0;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const Node& n = nodes_[i];
    if (Dropped(i) || !n.Is("Constant") || n.outputs.size() != 1) continue;
    if (!Consumers(n.outputs[0]).empty() || IsGraphOutput(n.outputs[0])) continue;
    Drop(i);
    ++dropped;
  }
  return dropped;
}

void Graph::Replace(size_t i, std::vector<std::string> encoded_nodes, const std::vector<std::string>& reads) {
  Drop(i);
  edits_[i].replacement = std::move(encoded_nodes);
  for (const auto& value : reads) consumers_[value].push_back(i);  // counted as read by node i, now replaced
}

void Graph::SetInput(size_t i, size_t slot, const std::string& value) {
  Unread(nodes_[i].inputs[slot], i);
  nodes_[i].inputs[slot] = value;
  consumers_[value].push_back(i);
  edits_[i].io_changed = true;
}

void Graph::AddInput(size_t i, const std::string& value) {
  nodes_[i].inputs.push_back(value);
  consumers_[value].push_back(i);
  edits_[i].io_changed = true;
}

void Graph::SetOutput(size_t i, size_t slot, const std::string& value) {
  nodes_[i].outputs[slot] = value;
  edits_[i].io_changed = true;
}

bool Graph::SetFloats(const std::string& value, size_t reader, std::vector<float> values) {
  const TensorProto* t = Tensor(value);
  const auto& readers = Consumers(value);
  if (!t || t->elements() != static_cast<int64_t>(values.size()) || IsGraphOutput(value) || readers.size() != 1 ||
      readers[0] != reader) {
    return false;
  }
  new_values_[value] = std::move(values);
  return true;
}

void Graph::AddInitializer(const std::string& value, std::vector<int64_t> dims, std::vector<float> values) {
  new_initializers_.push_back(value);
  TensorProto t;
  t.name = value;
  t.data_type = tensor::kFloat;
  t.dims = std::move(dims);
  tensors_[value] = std::move(t);
  new_values_[value] = std::move(values);
  constants_[value] = Constant{};
  names_.insert(value);
}

void Graph::AddInt64Initializer(const std::string& value, std::vector<int64_t> values) {
  new_initializers_.push_back(value);
  TensorProto t;
  t.name = value;
  t.data_type = tensor::kInt64;
  t.dims = {static_cast<int64_t>(values.size())};
  tensors_[value] = std::move(t);
  new_int64_[value] = std::move(values);
  constants_[value] = Constant{};
  names_.insert(value);
}

std::string Graph::UniqueName(const std::string& base) {
  std::string name = base;
  while (names_.count(name)) name += "_";
  names_.insert(name);
  return name;
}

size_t Graph::Bytes::size() const {
  size_t n = 0;
  for (std::string_view piece : pieces) n += piece.size();
  return n;
}

Graph::Bytes Graph::Serialize() const {
  Bytes out;
  auto own = [&out](std::string bytes) -> std::string_view { return out.owned.emplace_back(std::move(bytes)); };
  // A field whose bytes are `parts`: its key and length, then the parts (views into `owned`, the model's bytes or
  // new_values_).
  auto field = [&out, &own](uint32_t number, std::initializer_list<std::string_view> parts) {
    size_t length = 0;
    for (std::string_view part : parts) length += part.size();
    std::string header;
    PutBytesHeader(header, number, length);
    out.pieces.push_back(own(std::move(header)));
    for (std::string_view part : parts) out.pieces.push_back(part);
  };
  auto tensor_field = [&](uint32_t number, TensorParts t) {
    const std::string_view head = own(std::move(t.head));
    field(number, {head, t.values});
  };
  // Constants with new values, by where they are written: their values are not copied here, only into the model.
  std::unordered_map<size_t, TensorParts> field_values;
  std::unordered_map<size_t, ConstantNodeParts> node_values;
  for (const auto& [value, values] : new_values_) {
    const Constant& c = constants_.at(value);
    const auto& dims = tensors_.at(value).dims;
    if (c.field) field_values[*c.field] = EncodeTensorParts(value, dims, values);
    if (c.node) node_values[*c.node] = EncodeConstantNode(nodes_[*c.node], EncodeTensorParts("", dims, values));
  }
  size_t next_node = 0;
  for (size_t k = 0; k < fields_.size(); ++k) {
    if (next_node < node_field_.size() && node_field_[next_node] == k) {
      const size_t i = next_node++;
      const Edit& e = edits_[i];
      if (!e.replacement.empty()) {
        for (const auto& encoded : e.replacement) field(graph_proto::kNode, {encoded});
      } else if (e.dropped) {
        continue;
      } else if (auto it = node_values.find(i); it != node_values.end()) {
        ConstantNodeParts& parts = it->second;
        const std::string_view before = own(std::move(parts.before)), after = own(std::move(parts.after));
        field(graph_proto::kNode, {before, parts.values, after});
      } else if (e.io_changed) {
        field(graph_proto::kNode, {own(ReencodeNode(nodes_[i]))});
      } else {
        out.pieces.push_back(fields_[k].raw);
      }
      continue;
    }
    if (auto it = field_values.find(k); it != field_values.end()) {
      tensor_field(graph_proto::kInitializer, std::move(it->second));
      continue;
    }
    out.pieces.push_back(fields_[k].raw);
  }
  for (const auto& value : new_initializers_) {
    if (auto ints = new_int64_.find(value); ints != new_int64_.end()) {
      field(graph_proto::kInitializer, {own(EncodeInt64Tensor(value, ints->second))});
    } else {
      tensor_field(graph_proto::kInitializer, EncodeTensorParts(value, tensors_.at(value).dims, new_values_.at(value)));
    }
  }
  return out;
}

std::optional<std::vector<std::string>> ShapeFollowsInputs(const Graph& graph, const Node& n) {
  if (n.outputs.size() != 1 || n.inputs.empty() || n.inputs[0].empty()) return std::nullopt;
  for (const char* unary : {"Relu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "LeakyRelu", "Identity"}) {
    if (n.Is(unary)) {
      if (n.inputs.size() != 1) return std::nullopt;
      return n.inputs;
    }
  }
  if (n.Is("Clip")) {
    for (size_t k = 1; k < n.inputs.size(); ++k) {
      if (!n.inputs[k].empty() && !graph.Scalar(n.inputs[k])) return std::nullopt;
    }
    return std::vector<std::string>{n.inputs[0]};
  }
  if (!(n.Is("Mul") || n.Is("Add") || n.Is("Sub") || n.Is("Div")) || n.inputs.size() != 2) return std::nullopt;
  std::vector<std::string> maps;
  for (const std::string& operand : n.inputs) {
    if (!graph.Scalar(operand)) maps.push_back(operand);
  }
  return maps;
}

std::string EncodeInt64Tensor(const std::string& name, const std::vector<int64_t>& values) {
  std::string t;
  PutVarintField(t, tensor::kDims, values.size());
  PutVarintField(t, tensor::kDataType, tensor::kInt64);
  PutBytes(t, tensor::kName, name);
  std::string raw;  // little-endian, as ONNX's raw_data is
  for (int64_t v : values) {
    for (int b = 0; b < 8; ++b) raw.push_back(static_cast<char>((static_cast<uint64_t>(v) >> (8 * b)) & 0xff));
  }
  PutBytes(t, tensor::kRawData, raw);
  return t;
}

Attribute FloatAttribute(std::string name, float value) {
  Attribute a;
  a.name = std::move(name);
  a.f = value;
  return a;
}

Attribute IntAttribute(std::string name, int64_t value) {
  Attribute a;
  a.name = std::move(name);
  a.i = value;
  return a;
}

Attribute IntsAttribute(std::string name, std::vector<int64_t> values) {
  Attribute a;
  a.name = std::move(name);
  a.ints = std::move(values);
  return a;
}

Attribute StringAttribute(std::string name, std::string value) {
  Attribute a;
  a.name = std::move(name);
  a.s = std::move(value);
  a.is_string = true;
  return a;
}

std::string EncodeNode(const std::string& name, const std::string& op, const std::vector<std::string>& inputs,
                       const std::string& output, const std::vector<Attribute>& attributes) {
  std::string out;
  for (const auto& input : inputs) PutBytes(out, node::kInput, input);
  PutBytes(out, node::kOutput, output);
  PutBytes(out, node::kName, name);
  PutBytes(out, node::kOpType, op);
  for (const Attribute& attribute : attributes) {
    std::string a;
    PutBytes(a, attr::kName, attribute.name);
    if (attribute.f) {
      PutFloat(a, attr::kF, *attribute.f);
      PutVarintField(a, attr::kType, attr::kFloatType);
    } else if (attribute.i) {
      PutVarintField(a, attr::kI, static_cast<uint64_t>(*attribute.i));
      PutVarintField(a, attr::kType, attr::kIntType);
    } else if (attribute.is_string) {
      PutBytes(a, attr::kS, attribute.s);
      PutVarintField(a, attr::kType, attr::kStringType);
    } else {
      for (int64_t v : attribute.ints) PutVarintField(a, attr::kInts, static_cast<uint64_t>(v));
      PutVarintField(a, attr::kType, attr::kIntsType);
    }
    PutBytes(out, node::kAttribute, a);
  }
  return out;
}

std::optional<std::string> RewriteModelGraph(std::string_view model, const std::function<int(Graph&)>& rewrite) {
  Reader r(model);
  Field f;
  std::vector<Field> fields;
  std::optional<size_t> graph_field;
  int64_t ir_version = 0;
  while (r.Next(&f)) {
    if (f.number == model::kIrVersion && f.wire == kVarint) ir_version = static_cast<int64_t>(f.varint);
    if (f.number == model::kGraph) {
      if (graph_field || f.wire != kBytes) return std::nullopt;
      graph_field = fields.size();
    }
    fields.push_back(f);
  }
  if (!r.ok() || !graph_field) return std::nullopt;
  auto graph = Graph::Parse(fields[*graph_field].bytes);
  if (!graph || graph->external_data()) return std::nullopt;
  graph->ir_version = ir_version;
  if (rewrite(*graph) == 0) return std::nullopt;
  graph->DropUnreadConstants();
  const Graph::Bytes graph_bytes = graph->Serialize();
  const size_t graph_size = graph_bytes.size();
  size_t size = 16 + graph_size;  // the graph field's key and length take at most 16 bytes
  for (size_t k = 0; k < fields.size(); ++k) size += k == *graph_field ? 0 : fields[k].raw.size();
  std::string out;
  out.reserve(size);  // one allocation: the model is written with one copy of each byte
  for (size_t k = 0; k < fields.size(); ++k) {
    if (k != *graph_field) {
      out.append(fields[k].raw);
      continue;
    }
    PutBytesHeader(out, model::kGraph, graph_size);
    for (std::string_view piece : graph_bytes.pieces) out.append(piece);
  }
  return out;
}

}  // namespace ocr::graph
