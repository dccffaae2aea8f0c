#include "graph/hard_swish.h"

#include <string>

namespace ocr::graph {

int FuseHardSwish(Graph& graph) {
  auto is = [&](const std::string& value, float want) {
    const auto scalar = graph.Scalar(value);
    return scalar && *scalar == want;
  };
  auto bound = [](const Node& n, const char* name, float want) {
    const Attribute* a = n.Attr(name);
    return a && a->f && *a->f == want;
  };
  int found = 0;
  for (size_t i = 0; i < graph.nodes().size(); ++i) {
    const Node& add = graph.node(i);
    if (graph.Dropped(i) || !add.Is("Add") || add.inputs.size() != 2 || add.outputs.size() != 1) continue;
    std::string x;
    if (is(add.inputs[1], 3.0f)) x = add.inputs[0];
    else if (is(add.inputs[0], 3.0f)) x = add.inputs[1];
    else continue;
    const auto clip_at = graph.SoleReader(add.outputs[0], "Clip");
    if (!clip_at) continue;
    const Node& clip = graph.node(*clip_at);
    if (clip.inputs.empty() || clip.inputs[0] != add.outputs[0]) continue;
    const bool attr_bounds = clip.inputs.size() == 1 && bound(clip, "min", 0.0f) && bound(clip, "max", 6.0f);
    const bool input_bounds = clip.inputs.size() == 3 && !clip.Attr("min") && !clip.Attr("max") &&
                              is(clip.inputs[1], 0.0f) && is(clip.inputs[2], 6.0f);
    if (!attr_bounds && !input_bounds) continue;
    const auto mul_at = graph.SoleReader(clip.outputs[0], "Mul");
    if (!mul_at) continue;
    const Node& mul = graph.node(*mul_at);
    const bool mul_ok = mul.inputs.size() == 2 && ((mul.inputs[0] == x && mul.inputs[1] == clip.outputs[0]) ||
                                                   (mul.inputs[1] == x && mul.inputs[0] == clip.outputs[0]));
    if (!mul_ok) continue;
    const auto div_at = graph.SoleReader(mul.outputs[0], "Div");
    if (!div_at) continue;
    const Node& div = graph.node(*div_at);
    if (div.inputs.size() != 2 || div.inputs[0] != mul.outputs[0] || !is(div.inputs[1], 6.0f)) continue;
    const std::string gate = graph.UniqueName(add.outputs[0] + "_ocrkit_hardsigmoid");
    const std::string base = add.name.empty() ? add.outputs[0] : add.name;
    const std::string y = div.outputs[0];
    graph.Replace(i, {EncodeNode(base + "_ocrkit_hardsigmoid", "HardSigmoid", {x}, gate,
                                 {FloatAttribute("alpha", 1.0f / 6.0f), FloatAttribute("beta", 0.5f)}),
                      EncodeNode(base + "_ocrkit_hardswish", "Mul", {x, gate}, y)},
                  {x});
    graph.Drop(*clip_at);
    graph.Drop(*mul_at);
    graph.Drop(*div_at);
    ++found;
  }
  return found;
}

}  // namespace ocr::graph
