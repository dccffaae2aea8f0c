#include "graph/gated_residual.h"

#include <string>
#include <unordered_map>

namespace ocr::graph {

int FoldGatedResidual(Graph& graph) {
  if (graph.ir_version < 4) return 0;
  std::unordered_map<std::string, size_t> producer;
  for (size_t i = 0; i < graph.nodes().size(); ++i) {
    if (graph.Dropped(i)) continue;
    for (const auto& output : graph.node(i).outputs) producer[output] = i;
  }
  auto written_by = [&](const std::string& value) -> const Node* {
    auto it = producer.find(value);
    return it == producer.end() || graph.Dropped(it->second) ? nullptr : &graph.node(it->second);
  };
  // x is a float map: the output of a Conv whose weight is a float constant.
  auto float_conv_output = [&](const std::string& value) {
    const Node* conv = written_by(value);
    return conv && conv->Is("Conv") && conv->inputs.size() >= 2 && graph.Floats(conv->inputs[1]).has_value();
  };
  std::string one;  // the scalar 1, added when first needed
  int found = 0;
  for (size_t i = 0; i < graph.nodes().size(); ++i) {
    const Node& add = graph.node(i);
    if (graph.Dropped(i) || !add.Is("Add") || add.inputs.size() != 2 || add.outputs.size() != 1) continue;
    for (size_t side = 0; side < 2; ++side) {
      const std::string x = add.inputs[side], scaled = add.inputs[1 - side];
      if (x == scaled || graph.IsGraphOutput(scaled) || graph.Consumers(scaled).size() != 1) continue;
      const auto mul_at = producer.find(scaled);
      if (mul_at == producer.end() || graph.Dropped(mul_at->second)) continue;
      const Node& mul = graph.node(mul_at->second);
      if (!mul.Is("Mul") || mul.inputs.size() != 2 || mul.outputs.size() != 1) continue;
      if ((mul.inputs[0] == x) == (mul.inputs[1] == x)) continue;  // x exactly once
      const std::string gate = mul.inputs[0] == x ? mul.inputs[1] : mul.inputs[0];
      if (!float_conv_output(x)) continue;
      if (one.empty()) {
        one = graph.UniqueName("ocrkit_one");
        graph.AddInitializer(one, {}, {1.0f});
      }
      const std::string base = mul.name.empty() ? scaled : mul.name;
      const std::string gate_plus_one = graph.UniqueName(gate + "_ocrkit_plus_one");
      const std::string y = add.outputs[0];
      graph.Replace(mul_at->second,
                    {EncodeNode(base + "_ocrkit_plus_one", "Add", {gate, one}, gate_plus_one),
                     EncodeNode(base + "_ocrkit_gated_residual", "Mul", {x, gate_plus_one}, y)},
                    {gate, one, x});
      graph.Drop(i);
      ++found;
      break;
    }
  }
  return found;
}

}  // namespace ocr::graph
