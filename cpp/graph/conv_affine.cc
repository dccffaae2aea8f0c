#include "graph/conv_affine.h"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace ocr::graph {
namespace {

// a * x + b, composed along a chain.
struct Affine {
  float a = 1.0f, b = 0.0f;
  void Then(const Node& n, float k) {  // n is a Mul or an Add by k
    if (n.Is("Mul")) {
      a *= k;
      b *= k;
    } else {
      b += k;
    }
  }
};

// The scalar operand of a Mul or Add whose other operand is `x`.
std::optional<float> ScalarOperand(const Graph& graph, const Node& n, const std::string& x) {
  if (n.inputs.size() != 2 || n.outputs.size() != 1 || !(n.Is("Mul") || n.Is("Add"))) return std::nullopt;
  if (n.inputs[0] == x) return graph.Scalar(n.inputs[1]);
  if (n.inputs[1] == x) return graph.Scalar(n.inputs[0]);
  return std::nullopt;
}

// The Conv's weight (read by it alone; at least 3-D) and bias, when both are float constants.
struct ConvParams {
  std::vector<int64_t> dims;
  std::vector<float> weight, bias;
  bool has_bias = false;
};

std::optional<ConvParams> ReadConv(const Graph& graph, size_t i) {
  const Node& conv = graph.node(i);
  if (!conv.Is("Conv") || conv.outputs.size() != 1 || conv.inputs.size() < 2 || conv.inputs.size() > 3) {
    return std::nullopt;
  }
  ConvParams p;
  auto weight = graph.Floats(conv.inputs[1], &p.dims);
  const auto& readers = graph.Consumers(conv.inputs[1]);
  if (!weight || p.dims.size() < 3 || p.dims[0] <= 0 || readers.size() != 1 || graph.IsGraphOutput(conv.inputs[1])) {
    return std::nullopt;
  }
  // A weight with a dimension of 0 has no values whatever its first dimension says: a bias of that many zeros
  // could be gigabytes (the fuzzer's rewrite-model-conv-empty-weight.onnx).
  if (weight->size() < static_cast<size_t>(p.dims[0])) return std::nullopt;
  p.weight = std::move(*weight);
  const size_t out_channels = static_cast<size_t>(p.dims[0]);
  if (conv.inputs.size() == 3 && !conv.inputs[2].empty()) {
    std::vector<int64_t> bias_dims;
    auto bias = graph.Floats(conv.inputs[2], &bias_dims);
    const auto& bias_readers = graph.Consumers(conv.inputs[2]);
    if (!bias || bias->size() != out_channels || bias_readers.size() != 1 || graph.IsGraphOutput(conv.inputs[2])) {
      return std::nullopt;
    }
    p.bias = std::move(*bias);
    p.has_bias = true;
  } else {
    p.bias.assign(out_channels, 0.0f);
  }
  return p;
}

// Writes the new weight and bias. A Conv without a bias gets one when some value is not 0 and the model's IR
// version allows an initializer that is not a graph input (false, with nothing changed, otherwise).
bool StoreConv(Graph& graph, size_t i, ConvParams p) {
  const Node& conv = graph.node(i);
  const std::string weight = conv.inputs[1];
  const bool zero_bias = std::all_of(p.bias.begin(), p.bias.end(), [](float b) { return b == 0.0f; });
  if (p.has_bias) {
    if (!graph.SetFloats(conv.inputs[2], i, std::move(p.bias))) return false;
  } else if (!zero_bias) {
    if (graph.ir_version < 4) return false;
    const std::string name = graph.UniqueName(conv.outputs[0] + "_ocrkit_bias");
    graph.AddInitializer(name, {p.dims[0]}, std::move(p.bias));
    if (conv.inputs.size() == 3) graph.SetInput(i, 2, name);
    else graph.AddInput(i, name);
  }
  return graph.SetFloats(weight, i, std::move(p.weight));
}

// Conv -> Mul/Add by scalars, each node the sole reader of the one before.
int FoldAfter(Graph& graph, size_t i) {
  if (graph.Dropped(i)) return 0;
  auto p = ReadConv(graph, i);
  if (!p) return 0;
  std::vector<size_t> chain;
  Affine f;
  std::string value = graph.node(i).outputs[0];
  const bool may_add_bias = p->has_bias || graph.ir_version >= 4;
  while (true) {
    const auto& readers = graph.Consumers(value);
    if (graph.IsGraphOutput(value) || readers.size() != 1 || graph.Dropped(readers[0])) break;
    const Node& n = graph.node(readers[0]);
    const auto k = ScalarOperand(graph, n, value);
    if (!k || (n.Is("Add") && !may_add_bias)) break;
    f.Then(n, *k);
    chain.push_back(readers[0]);
    value = n.outputs[0];
  }
  if (chain.empty()) return 0;
  for (float& w : p->weight) w *= f.a;
  for (float& b : p->bias) b = b * f.a + f.b;
  if (!StoreConv(graph, i, std::move(*p))) return 0;
  for (size_t n : chain) graph.Drop(n);
  graph.SetOutput(i, 0, value);
  return 1;
}

// A chain of scalar Mul/Add from node `start`, which reads a value that is not a constant; each value of the
// chain before the last is read only by the next node.
struct Chain {
  std::string x;      // what the chain reads
  std::string value;  // what its last node writes
  std::vector<size_t> nodes;
  Affine f;
};

std::optional<Chain> ChainFrom(const Graph& graph, size_t start) {
  if (graph.Dropped(start)) return std::nullopt;
  const Node& first = graph.node(start);
  if (first.inputs.size() != 2 || !(first.Is("Mul") || first.Is("Add"))) return std::nullopt;
  Chain c;
  if (graph.Scalar(first.inputs[1]) && !graph.IsConstant(first.inputs[0])) c.x = first.inputs[0];
  else if (graph.Scalar(first.inputs[0]) && !graph.IsConstant(first.inputs[1])) c.x = first.inputs[1];
  else return std::nullopt;
  c.value = c.x;
  for (size_t at = start;;) {
    const Node& n = graph.node(at);
    const auto k = ScalarOperand(graph, n, c.value);
    if (!k) break;
    c.f.Then(n, *k);
    c.nodes.push_back(at);
    c.value = n.outputs[0];
    const auto& readers = graph.Consumers(c.value);
    if (graph.IsGraphOutput(c.value) || readers.size() != 1 || graph.Dropped(readers[0])) break;
    at = readers[0];
  }
  if (c.nodes.empty()) return std::nullopt;  // the first node is not one (it writes more than one value)
  return c;
}

// Mul/Add by scalars -> the data input of a 1x1 Conv with no padding and one group.
int FoldBefore(Graph& graph, size_t start) {
  auto c = ChainFrom(graph, start);
  if (!c) return 0;
  const auto conv_at = graph.SoleReader(c->value, "Conv");
  if (!conv_at) return 0;
  const Node& conv = graph.node(*conv_at);
  if (conv.inputs.empty() || conv.inputs[0] != c->value) return 0;
  const Attribute* group = conv.Attr("group");
  const Attribute* pads = conv.Attr("pads");
  const Attribute* auto_pad = conv.Attr("auto_pad");
  if (group && group->i != 1) return 0;
  if (pads) {
    for (int64_t pad : pads->ints) {
      if (pad != 0) return 0;
    }
  }
  if (auto_pad && !(auto_pad->s == "NOTSET" || auto_pad->s == "VALID")) return 0;
  auto p = ReadConv(graph, *conv_at);
  if (!p) return 0;
  for (size_t d = 2; d < p->dims.size(); ++d) {
    if (p->dims[d] != 1) return 0;
  }
  const size_t out_channels = static_cast<size_t>(p->dims[0]);
  const size_t per_output = p->weight.size() / out_channels;  // input channels (kernel 1x1)
  for (size_t o = 0; o < out_channels; ++o) {
    double sum = 0.0;
    for (size_t k = 0; k < per_output; ++k) sum += p->weight[o * per_output + k];
    p->bias[o] += static_cast<float>(c->f.b * sum);
  }
  for (float& w : p->weight) w *= c->f.a;
  if (!StoreConv(graph, *conv_at, std::move(*p))) return 0;
  for (size_t n : c->nodes) graph.Drop(n);
  graph.SetInput(*conv_at, 0, c->x);
  return 1;
}

// The channels and rank of a float map, known from the node that writes it when that is a Conv with constant
// weights, or an activation or an elementwise step between such maps (or with scalars): a Conv's output keeps
// its shape through them.
struct MapShape {
  int64_t channels = 0;
  size_t rank = 0;
  bool operator==(const MapShape& o) const { return channels == o.channels && rank == o.rank; }
};

std::optional<MapShape> ShapeFromWriter(const Graph& graph, const std::unordered_map<std::string, Node>& writers,
                                        const std::string& value, int depth = 0) {
  const auto it = writers.find(value);
  if (depth > 16 || it == writers.end()) return std::nullopt;
  const Node& n = it->second;
  if (n.outputs.size() != 1 || n.inputs.empty()) return std::nullopt;
  if (n.Is("Conv")) {
    // float weights (FloatDims: float tensors only): a float map
    const std::vector<int64_t>* dims = n.inputs.size() < 2 ? nullptr : graph.FloatDims(n.inputs[1]);
    if (!dims || dims->size() < 3 || (*dims)[0] <= 0) return std::nullopt;
    return MapShape{(*dims)[0], dims->size()};
  }
  const auto maps = ShapeFollowsInputs(graph, n);
  if (!maps) return std::nullopt;
  std::optional<MapShape> shape;
  for (const std::string& operand : *maps) {
    const auto s = ShapeFromWriter(graph, writers, operand, depth + 1);
    if (!s || (shape && !(*shape == *s))) return std::nullopt;
    shape = s;
  }
  return shape;
}

// Mul/Add by scalars -> one depthwise 1x1 Conv with weight a and bias b per channel, when the channels are known:
// from the Convs that read the result as data (all with the same input channels), or, when anything else reads
// it too, from what writes the chain's input (ShapeFromWriter; the Convs must agree).
int ToDepthwise(Graph& graph, size_t start, const std::unordered_map<std::string, Node>& writers) {
  if (graph.ir_version < 4) return 0;  // the new weight and bias are initializers that are not graph inputs
  auto c = ChainFrom(graph, start);
  if (!c) return 0;
  const auto& readers = graph.Consumers(c->value);
  if (readers.empty() || graph.IsGraphOutput(c->value)) return 0;
  constexpr int64_t kMaxChannels = int64_t{1} << 20;
  int64_t channels = 0;
  size_t rank = 0;
  bool other_readers = false;
  for (size_t r : readers) {
    const Node& conv = graph.node(r);
    if (!conv.Is("Conv")) {
      other_readers = true;
      continue;
    }
    if (conv.inputs.size() < 2 || conv.inputs[0] != c->value) return 0;
    for (size_t k = 1; k < conv.inputs.size(); ++k) {
      if (conv.inputs[k] == c->value) return 0;
    }
    const std::vector<int64_t>* dims = graph.ConstantDims(conv.inputs[1]);
    if (!dims || dims->size() < 3 || (*dims)[1] <= 0) return 0;
    const Attribute* group = conv.Attr("group");
    const int64_t groups = group && group->i ? *group->i : 1;
    if (groups <= 0 || (*dims)[1] > kMaxChannels / groups) return 0;
    const int64_t in_channels = (*dims)[1] * groups;
    if ((channels && channels != in_channels) || (rank && rank != dims->size())) return 0;
    channels = in_channels;
    rank = dims->size();
  }
  if (other_readers) {
    const auto shape = ShapeFromWriter(graph, writers, c->x);
    if (!shape || shape->channels > kMaxChannels || (channels && !(*shape == MapShape{channels, rank}))) return 0;
    channels = shape->channels;
    rank = shape->rank;
  }
  std::vector<int64_t> weight_dims(rank, 1);
  weight_dims[0] = channels;
  const std::string weight = graph.UniqueName(c->value + "_ocrkit_affine_weight");
  const std::string bias = graph.UniqueName(c->value + "_ocrkit_affine_bias");
  graph.AddInitializer(weight, weight_dims, std::vector<float>(static_cast<size_t>(channels), c->f.a));
  graph.AddInitializer(bias, {channels}, std::vector<float>(static_cast<size_t>(channels), c->f.b));
  const Node& first = graph.node(c->nodes[0]);
  const std::string name = (first.name.empty() ? c->value : first.name) + "_ocrkit_affine";
  const std::vector<Attribute> attributes = {IntAttribute("group", channels),
                                             IntsAttribute("kernel_shape", std::vector<int64_t>(rank - 2, 1))};
  graph.Replace(c->nodes[0], {EncodeNode(name, "Conv", {c->x, weight, bias}, c->value, attributes)},
                {c->x, weight, bias});
  for (size_t k = 1; k < c->nodes.size(); ++k) graph.Drop(c->nodes[k]);
  return 1;
}

}  // namespace

int FoldAffineIntoConv(Graph& graph) {
  int folded = 0;
  for (size_t i = 0; i < graph.nodes().size(); ++i) {
    if (graph.node(i).Is("Conv")) folded += FoldAfter(graph, i);
  }
  for (size_t i = 0; i < graph.nodes().size(); ++i) folded += FoldBefore(graph, i);
  return folded;
}

int AffineToDepthwiseConv(Graph& graph) {
  // What writes a chain's input, as the rewrites before (hard-swish, folds) left the graph. Every rewrite keeps
  // each value's meaning, so the map, read once, stays true while chains here become Convs.
  const auto writers = graph.Writers();
  int replaced = 0;
  for (size_t i = 0; i < graph.nodes().size(); ++i) replaced += ToDepthwise(graph, i, writers);
  return replaced;
}

}  // namespace ocr::graph
