#include "graph/gated_residual.h"

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace ocr::graph {
namespace {

bool AllEqual(const std::vector<int64_t>& values, int64_t want) {
  for (int64_t v : values) {
    if (v != want) return false;
  }
  return true;
}

// A 2-D Conv with a 1x1 kernel, one group, no padding, unit strides and no bias (or a bias of zeros): its weight
// [C, Cin, 1, 1] as a C x Cin matrix.
struct Pointwise {
  int64_t out = 0, in = 0;
  std::vector<float> weight;
};

std::optional<Pointwise> ReadPointwise(const Graph& graph, const Node& conv) {
  if (!conv.Is("Conv") || conv.inputs.size() < 2 || conv.inputs.size() > 3 || conv.outputs.size() != 1) {
    return std::nullopt;
  }
  std::vector<int64_t> dims;
  auto weight = graph.Floats(conv.inputs[1], &dims);
  if (!weight || dims.size() != 4 || dims[0] < 1 || dims[1] < 1 || dims[2] != 1 || dims[3] != 1) return std::nullopt;
  if (conv.inputs.size() == 3 && !conv.inputs[2].empty()) {
    const auto bias = graph.Floats(conv.inputs[2]);
    if (!bias || static_cast<int64_t>(bias->size()) != dims[0]) return std::nullopt;
    for (float b : *bias) {
      if (b != 0.0f) return std::nullopt;
    }
  }
  for (const Attribute& a : conv.attributes) {
    if (a.name == "kernel_shape" && a.ints == std::vector<int64_t>{1, 1}) continue;
    if ((a.name == "strides" || a.name == "dilations") && a.ints.size() == 2 && AllEqual(a.ints, 1)) continue;
    if (a.name == "pads" && AllEqual(a.ints, 0)) continue;
    if (a.name == "group" && a.i && *a.i == 1) continue;
    if (a.name == "auto_pad" && (a.s == "NOTSET" || a.s == "VALID")) continue;
    return std::nullopt;
  }
  return Pointwise{dims[0], dims[1], std::move(*weight)};
}

// The channels of `value` when it is computed from the pooled map `pooled` ([N, C, 1, 1]) and constants alone,
// through steps that keep a 1 x 1 map: 1x1 Convs without padding, activations, and elementwise steps with
// scalars or with other such values of as many channels. A squeeze-and-excitation block's gate.
std::optional<int64_t> GateChannels(const Graph& graph, const std::unordered_map<std::string, Node>& writers,
                                    const std::string& value, const std::string& pooled, int64_t pooled_channels,
                                    int depth = 0) {
  if (value == pooled) return pooled_channels;
  const auto it = writers.find(value);
  if (depth > 16 || it == writers.end()) return std::nullopt;
  const Node& n = it->second;
  if (n.outputs.size() != 1 || n.inputs.empty()) return std::nullopt;
  auto from = [&](const std::string& v) { return GateChannels(graph, writers, v, pooled, pooled_channels, depth + 1); };
  if (n.Is("Conv")) {
    const std::vector<int64_t>* weight = n.inputs.size() < 2 ? nullptr : graph.FloatDims(n.inputs[1]);
    if (!weight || weight->size() != 4 || (*weight)[2] != 1 || (*weight)[3] != 1 || (*weight)[0] < 1) {
      return std::nullopt;
    }
    if (n.inputs.size() == 3 && !n.inputs[2].empty() && !graph.FloatDims(n.inputs[2])) return std::nullopt;
    const Attribute* pads = n.Attr("pads");
    const Attribute* auto_pad = n.Attr("auto_pad");
    if ((pads && !AllEqual(pads->ints, 0)) || (auto_pad && auto_pad->s != "NOTSET" && auto_pad->s != "VALID")) {
      return std::nullopt;
    }
    if (!from(n.inputs[0])) return std::nullopt;
    return (*weight)[0];
  }
  const auto maps = ShapeFollowsInputs(graph, n);
  if (!maps) return std::nullopt;
  std::optional<int64_t> channels;
  for (const std::string& operand : *maps) {
    const auto c = from(operand);
    if (!c || (channels && *channels != *c)) return std::nullopt;
    channels = c;
  }
  return channels;
}

}  // namespace

int FoldGatedResidual(Graph& graph, int* through_weights) {
  if (through_weights) *through_weights = 0;
  if (graph.ir_version < 4) return 0;
  std::unordered_map<std::string, size_t> producer;
  for (size_t i = 0; i < graph.nodes().size(); ++i) {
    if (graph.Dropped(i)) continue;
    for (const auto& output : graph.node(i).outputs) producer[output] = i;
  }
  const auto writers = graph.Writers();
  auto written_by = [&](const std::string& value) -> std::optional<size_t> {
    auto it = producer.find(value);
    if (it == producer.end() || graph.Dropped(it->second)) return std::nullopt;
    return it->second;
  };
  // x is a float map: the output of a Conv whose weight is a float constant.
  auto float_conv_output = [&](const std::string& value) {
    const auto at = written_by(value);
    if (!at) return false;
    const Node& conv = graph.node(*at);
    return conv.Is("Conv") && conv.inputs.size() >= 2 && graph.FloatDims(conv.inputs[1]) != nullptr;
  };
  std::string one;  // the scalar 1, added when first needed
  auto scalar_one = [&] {
    if (one.empty()) {
      one = graph.UniqueName("ocrkit_one");
      graph.AddInitializer(one, {}, {1.0f});
    }
    return one;
  };
  int found = 0;
  for (size_t i = 0; i < graph.nodes().size(); ++i) {
    const Node& add = graph.node(i);
    if (graph.Dropped(i) || !add.Is("Add") || add.inputs.size() != 2 || add.outputs.size() != 1) continue;
    for (size_t side = 0; side < 2; ++side) {
      const std::string x = add.inputs[side], scaled = add.inputs[1 - side];
      if (x == scaled || graph.IsGraphOutput(scaled) || graph.Consumers(scaled).size() != 1) continue;
      const auto mul_at = written_by(scaled);
      if (!mul_at) continue;
      const Node& mul = graph.node(*mul_at);
      if (!mul.Is("Mul") || mul.inputs.size() != 2 || mul.outputs.size() != 1) continue;
      if ((mul.inputs[0] == x) == (mul.inputs[1] == x)) continue;  // x exactly once
      const std::string gate = mul.inputs[0] == x ? mul.inputs[1] : mul.inputs[0];
      if (!float_conv_output(x)) continue;
      const std::string base = mul.name.empty() ? scaled : mul.name;
      const std::string gate_plus_one = graph.UniqueName(gate + "_ocrkit_plus_one");
      const std::string y = add.outputs[0];
      const size_t conv_at = *written_by(x);
      const Node& conv = graph.node(conv_at);

      // x = W * in, a pointwise Conv read only by the gate's GlobalAveragePool, the Mul and the Add, and the gate
      // g computed from that pool alone: y = x * (1 + g) = ((1 + g) W) * in, one batched MatMul with weights
      // scaled per image, and GlobalAveragePool(W * in) = W * GlobalAveragePool(in). The map is then never
      // multiplied by the gate: in ONNX Runtime's blocked layout that takes a reorder out and a pass of its own.
      const auto pointwise = ReadPointwise(graph, conv);
      const auto& readers = graph.Consumers(x);
      std::optional<size_t> pool_at;
      for (size_t r : readers) {
        if (r != *mul_at && r != i && graph.node(r).Is("GlobalAveragePool")) pool_at = r;
      }
      const bool only_these = readers.size() == 3 && pool_at && !graph.IsGraphOutput(x) &&
                              graph.node(*pool_at).inputs.size() == 1 && graph.node(*pool_at).outputs.size() == 1;
      // Never more work: the pool and the MatMul read the input, so it must not be wider than the map.
      if (pointwise && pointwise->in <= pointwise->out && only_these && !conv.inputs[0].empty() &&
          GateChannels(graph, writers, gate, graph.node(*pool_at).outputs[0], pointwise->out) == pointwise->out) {
        const std::string in = conv.inputs[0], weight = conv.inputs[1];
        const Node& pool = graph.node(*pool_at);
        const std::string pooled_in = graph.UniqueName(in + "_ocrkit_pooled");
        graph.Replace(*pool_at,
                      {EncodeNode(base + "_ocrkit_pool_input", "GlobalAveragePool", {in}, pooled_in),
                       EncodeNode(base + "_ocrkit_pooled_conv", "Conv", {pooled_in, weight}, pool.outputs[0])},
                      {in, weight});
        const std::string matrix = graph.UniqueName(weight + "_ocrkit_matrix");
        graph.AddInitializer(matrix, {pointwise->out, pointwise->in}, pointwise->weight);
        const std::string to_column = graph.UniqueName("ocrkit_shape_n_c_1");
        graph.AddInt64Initializer(to_column, {0, 0, 1});
        const std::string to_rows = graph.UniqueName("ocrkit_shape_n_c_hw");
        graph.AddInt64Initializer(to_rows, {0, 0, -1});
        const std::string keep = graph.UniqueName(base + "_ocrkit_keep_n_h_w");
        graph.AddInt64Initializer(keep, {1, 0, 1, 1});
        const std::string set_channels = graph.UniqueName(base + "_ocrkit_set_c");
        graph.AddInt64Initializer(set_channels, {0, pointwise->out, 0, 0});
        auto named = [&](const std::string& what) { return graph.UniqueName(base + "_ocrkit_" + what); };
        const std::string gate_column = named("gate_column"), scaled_weights = named("scaled_weights"),
                          rows = named("input_rows"), product = named("product"), in_shape = named("input_shape"),
                          kept = named("kept_shape"), out_shape = named("output_shape");
        const std::string g1 = scalar_one();
        graph.Replace(*mul_at,
                      {EncodeNode(base + "_ocrkit_plus_one", "Add", {gate, g1}, gate_plus_one),
                       EncodeNode(base + "_ocrkit_gate_column", "Reshape", {gate_plus_one, to_column}, gate_column),
                       EncodeNode(base + "_ocrkit_scaled_weights", "Mul", {gate_column, matrix}, scaled_weights),
                       EncodeNode(base + "_ocrkit_input_rows", "Reshape", {in, to_rows}, rows),
                       EncodeNode(base + "_ocrkit_gated_pointwise", "MatMul", {scaled_weights, rows}, product),
                       EncodeNode(base + "_ocrkit_input_shape", "Shape", {in}, in_shape),
                       EncodeNode(base + "_ocrkit_kept_shape", "Mul", {in_shape, keep}, kept),
                       EncodeNode(base + "_ocrkit_output_shape", "Add", {kept, set_channels}, out_shape),
                       EncodeNode(base + "_ocrkit_output", "Reshape", {product, out_shape}, y)},
                      {gate, g1, to_column, matrix, in, to_rows, keep, set_channels});
        graph.Drop(i);
        graph.Drop(conv_at);
        if (through_weights) ++*through_weights;
        ++found;
        break;
      }

      const std::string g1 = scalar_one();
      graph.Replace(*mul_at,
                    {EncodeNode(base + "_ocrkit_plus_one", "Add", {gate, g1}, gate_plus_one),
                     EncodeNode(base + "_ocrkit_gated_residual", "Mul", {x, gate_plus_one}, y)},
                    {gate, g1, x});
      graph.Drop(i);
      ++found;
      break;
    }
  }
  return found;
}

}  // namespace ocr::graph
