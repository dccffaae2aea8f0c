#include "graph/upsampling_head.h"

#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace ocr::graph {
namespace {

// A ConvTranspose whose square kernel equals its stride: every input pixel writes its own k x k block.
struct Upsampling {
  int64_t in = 0, out = 0, k = 0;
  std::vector<float> weight;  // [in, out, k, k]
  std::vector<float> bias;    // [out]
};

bool AllEqual(const std::vector<int64_t>& values, int64_t want) {
  for (int64_t v : values) {
    if (v != want) return false;
  }
  return true;
}

std::optional<Upsampling> ReadUpsampling(const Graph& graph, size_t i) {
  const Node& n = graph.node(i);
  if (graph.Dropped(i) || !n.Is("ConvTranspose") || n.outputs.size() != 1 || n.inputs.size() < 2 ||
      n.inputs.size() > 3 || n.inputs[0].empty()) {
    return std::nullopt;
  }
  std::vector<int64_t> dims;
  auto weight = graph.Floats(n.inputs[1], &dims);
  if (!weight || dims.size() != 4 || dims[0] < 1 || dims[1] < 1 || dims[2] < 2 || dims[3] != dims[2]) {
    return std::nullopt;
  }
  Upsampling u{dims[0], dims[1], dims[2], std::move(*weight), {}};
  bool strided = false;
  for (const Attribute& a : n.attributes) {
    const std::vector<int64_t> square = {u.k, u.k};
    if (a.name == "kernel_shape" && a.ints == square) continue;
    if (a.name == "strides" && a.ints == square) {
      strided = true;
      continue;
    }
    if ((a.name == "pads" || a.name == "output_padding") && AllEqual(a.ints, 0)) continue;
    if (a.name == "dilations" && AllEqual(a.ints, 1)) continue;
    if (a.name == "group" && a.i && *a.i == 1) continue;
    if (a.name == "auto_pad" && (a.s == "NOTSET" || a.s == "VALID")) continue;
    return std::nullopt;  // output_shape, another stride or padding, groups, or an attribute not known here
  }
  if (!strided) return std::nullopt;
  if (n.inputs.size() == 3 && !n.inputs[2].empty()) {
    auto bias = graph.Floats(n.inputs[2]);
    if (!bias || static_cast<int64_t>(bias->size()) != u.out) return std::nullopt;
    u.bias = std::move(*bias);
  } else {
    u.bias.assign(static_cast<size_t>(u.out), 0.0f);
  }
  return u;
}

// A constant that broadcasts per channel over [N, C, H, W]: one value, or [C, 1, 1] / [1, C, 1, 1].
std::optional<std::vector<double>> PerChannel(const Graph& graph, const std::string& value, int64_t channels) {
  std::vector<int64_t> dims;
  auto values = graph.Floats(value, &dims);
  if (!values || dims.size() > 4) return std::nullopt;
  if (values->size() == 1 && AllEqual(dims, 1)) return std::vector<double>(static_cast<size_t>(channels), (*values)[0]);
  const bool chw = dims.size() == 3 && dims[0] == channels && dims[1] == 1 && dims[2] == 1;
  const bool nchw = dims.size() == 4 && dims[0] == 1 && dims[1] == channels && dims[2] == 1 && dims[3] == 1;
  if (!chw && !nchw) return std::nullopt;
  return std::vector<double>(values->begin(), values->end());
}

// y[c] = a[c] * z[c] + b[c] after a ConvTranspose's product z, then an optional element-wise activation.
struct Chain {
  std::vector<size_t> nodes;
  std::string value;       // what the chain's last node writes
  std::string activation;  // "", "Relu" or "Sigmoid"
  std::vector<double> a, b;
};

std::optional<size_t> SoleReader(const Graph& graph, const std::string& value) {
  const auto& readers = graph.Consumers(value);
  if (graph.IsGraphOutput(value) || readers.size() != 1 || graph.Dropped(readers[0])) return std::nullopt;
  return readers[0];
}

// BatchNormalization in inference form on `x`: y = s (x - mean) + B, s = scale / sqrt(var + epsilon).
bool ThenBatchNorm(const Graph& graph, const Node& n, const std::string& x, int64_t channels, Chain& chain) {
  if (n.inputs.size() != 5 || n.inputs[0] != x || n.outputs.empty() || n.outputs[0].empty()) return false;
  for (size_t k = 1; k < n.outputs.size(); ++k) {
    if (!n.outputs[k].empty()) return false;  // training outputs
  }
  double epsilon = 1e-5;
  for (const Attribute& a : n.attributes) {
    if (a.name == "epsilon" && a.f) epsilon = *a.f;
    else if (a.name == "momentum") continue;
    else if ((a.name == "training_mode" && a.i && *a.i == 0) || (a.name == "spatial" && a.i && *a.i == 1)) continue;
    else return false;
  }
  std::vector<std::vector<float>> p;
  for (size_t k = 1; k < 5; ++k) {
    auto values = graph.Floats(n.inputs[k]);
    if (!values || static_cast<int64_t>(values->size()) != channels) return false;
    p.push_back(std::move(*values));
  }
  for (size_t c = 0; c < static_cast<size_t>(channels); ++c) {
    const double variance = double{p[3][c]} + epsilon;
    if (!(variance > 0)) return false;
    const double s = p[0][c] / std::sqrt(variance);
    chain.a[c] *= s;
    chain.b[c] = (chain.b[c] - p[2][c]) * s + p[1][c];
  }
  return true;
}

Chain Follow(const Graph& graph, size_t from, const std::vector<float>& bias, int64_t channels) {
  Chain chain;
  chain.value = graph.node(from).outputs[0];
  chain.a.assign(static_cast<size_t>(channels), 1.0);
  chain.b.assign(bias.begin(), bias.end());
  while (auto next = SoleReader(graph, chain.value)) {
    const Node& n = graph.node(*next);
    if (n.outputs.empty() || n.outputs[0].empty()) break;
    if ((n.Is("Add") || n.Is("Mul")) && n.inputs.size() == 2 && n.outputs.size() == 1 &&
        (n.inputs[0] == chain.value) != (n.inputs[1] == chain.value)) {
      const auto k = PerChannel(graph, n.inputs[0] == chain.value ? n.inputs[1] : n.inputs[0], channels);
      if (!k) break;
      for (size_t c = 0; c < k->size(); ++c) {
        if (n.Is("Mul")) {
          chain.a[c] *= (*k)[c];
          chain.b[c] *= (*k)[c];
        } else {
          chain.b[c] += (*k)[c];
        }
      }
    } else if (n.Is("BatchNormalization")) {
      if (!ThenBatchNorm(graph, n, chain.value, channels, chain)) break;
    } else {
      break;
    }
    chain.nodes.push_back(*next);
    chain.value = n.outputs[0];
  }
  if (auto next = SoleReader(graph, chain.value)) {
    const Node& n = graph.node(*next);
    if ((n.Is("Relu") || n.Is("Sigmoid")) && n.inputs.size() == 1 && n.outputs.size() == 1 && !n.outputs[0].empty()) {
      chain.activation = n.op;
      chain.nodes.push_back(*next);
      chain.value = n.outputs[0];
    }
  }
  return chain;
}

constexpr int64_t kMaxWeights = int64_t{1} << 22;  // per new convolution (16 MB)

int RewriteAt(Graph& graph, size_t first_at) {
  if (graph.ir_version < 4) return 0;  // the new weights are initializers that are not graph inputs
  auto first = ReadUpsampling(graph, first_at);
  if (!first) return 0;
  const Chain one = Follow(graph, first_at, first->bias, first->out);
  const auto second_at = SoleReader(graph, one.value);
  if (!second_at || graph.node(*second_at).inputs[0] != one.value) return 0;
  auto second = ReadUpsampling(graph, *second_at);
  if (!second || second->in != first->out) return 0;
  for (size_t k = 1; k < graph.node(*second_at).inputs.size(); ++k) {
    if (graph.node(*second_at).inputs[k] == one.value) return 0;
  }
  const Chain two = Follow(graph, *second_at, second->bias, second->out);

  const int64_t cin = first->in, c1 = first->out, c2 = second->out, k1 = first->k, k2 = second->k;
  const int64_t block = k1 * k2;
  if (c1 > kMaxWeights / (k1 * k1)) return 0;
  const int64_t mid = c1 * k1 * k1;  // the first convolution's outputs: (c, i, j)
  if (c2 > mid / (block * block)) return 0;
  const int64_t out = c2 * block * block;  // the second's: (I, J, c) in DepthToSpace's DCR order
  if (cin > kMaxWeights / mid || mid > kMaxWeights / out) return 0;

  std::vector<float> w1(static_cast<size_t>(mid * cin)), b1(static_cast<size_t>(mid));
  for (int64_t c = 0; c < c1; ++c) {
    for (int64_t i = 0; i < k1; ++i) {
      for (int64_t j = 0; j < k1; ++j) {
        const int64_t m = (c * k1 + i) * k1 + j;
        for (int64_t x = 0; x < cin; ++x) {
          const float w = first->weight[static_cast<size_t>(((x * c1 + c) * k1 + i) * k1 + j)];
          w1[static_cast<size_t>(m * cin + x)] = static_cast<float>(w * one.a[static_cast<size_t>(c)]);
        }
        b1[static_cast<size_t>(m)] = static_cast<float>(one.b[static_cast<size_t>(c)]);
      }
    }
  }
  std::vector<float> w2(static_cast<size_t>(out * mid), 0.0f), b2(static_cast<size_t>(out));
  for (int64_t row = 0; row < block; ++row) {
    for (int64_t col = 0; col < block; ++col) {
      const int64_t i = row / k2, i2 = row % k2, j = col / k2, j2 = col % k2;
      for (int64_t d = 0; d < c2; ++d) {
        const int64_t o = (row * block + col) * c2 + d;
        for (int64_t c = 0; c < c1; ++c) {
          const float w = second->weight[static_cast<size_t>(((c * c2 + d) * k2 + i2) * k2 + j2)];
          const double a = two.a[static_cast<size_t>(d)];
          w2[static_cast<size_t>(o * mid + (c * k1 + i) * k1 + j)] = static_cast<float>(w * a);
        }
        b2[static_cast<size_t>(o)] = static_cast<float>(two.b[static_cast<size_t>(d)]);
      }
    }
  }

  const Node& head = graph.node(first_at);
  const std::string x = head.inputs[0];
  const std::string base = head.name.empty() ? head.outputs[0] : head.name;
  const std::string result = two.value;
  const std::string w1_name = graph.UniqueName(base + "_ocrkit_pointwise1_weight");
  const std::string b1_name = graph.UniqueName(base + "_ocrkit_pointwise1_bias");
  const std::string w2_name = graph.UniqueName(base + "_ocrkit_pointwise2_weight");
  const std::string b2_name = graph.UniqueName(base + "_ocrkit_pointwise2_bias");
  graph.AddInitializer(w1_name, {mid, cin, 1, 1}, std::move(w1));
  graph.AddInitializer(b1_name, {mid}, std::move(b1));
  graph.AddInitializer(w2_name, {out, mid, 1, 1}, std::move(w2));
  graph.AddInitializer(b2_name, {out}, std::move(b2));

  std::vector<std::string> nodes;
  const std::vector<Attribute> pointwise = {IntsAttribute("kernel_shape", {1, 1})};
  auto step = [&](const std::string& op, const std::vector<std::string>& inputs, const std::string& suffix,
                  const std::vector<Attribute>& attributes = {}) {
    const std::string output = graph.UniqueName(result + "_ocrkit_" + suffix);
    nodes.push_back(EncodeNode(base + "_ocrkit_" + suffix, op, inputs, output, attributes));
    return output;
  };
  std::string v = step("Conv", {x, w1_name, b1_name}, "pointwise1", pointwise);
  if (!one.activation.empty()) v = step(one.activation, {v}, "activation1");
  v = step("Conv", {v, w2_name, b2_name}, "pointwise2", pointwise);
  if (!two.activation.empty()) v = step(two.activation, {v}, "activation2");
  nodes.push_back(EncodeNode(base + "_ocrkit_depth_to_space", "DepthToSpace", {v}, result,
                             {IntAttribute("blocksize", block)}));
  graph.Replace(first_at, std::move(nodes), {x, w1_name, b1_name, w2_name, b2_name});
  for (size_t n : one.nodes) graph.Drop(n);
  graph.Drop(*second_at);
  for (size_t n : two.nodes) graph.Drop(n);
  return 1;
}

}  // namespace

int UpsamplingHeadToPointwise(Graph& graph) {
  int rewritten = 0;
  for (size_t i = 0; i < graph.nodes().size(); ++i) rewritten += RewriteAt(graph, i);
  return rewritten;
}

}  // namespace ocr::graph
