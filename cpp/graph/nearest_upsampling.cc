#include "graph/nearest_upsampling.h"

#include <optional>
#include <string>
#include <vector>

namespace ocr::graph {
namespace {

// log2(k) when the node is a Resize this rewrite handles, upsampling by k >= 4 in height and width.
std::optional<int> DoublingsOf(const Graph& graph, size_t i) {
  const Node& n = graph.node(i);
  if (graph.Dropped(i) || !n.Is("Resize") || n.outputs.size() != 1 || n.inputs.size() < 3 || n.inputs.size() > 4 ||
      n.inputs[0].empty() || n.inputs[2].empty() || (n.inputs.size() == 4 && !n.inputs[3].empty())) {
    return std::nullopt;
  }
  bool nearest = false, asymmetric = false, floor = false;
  for (const Attribute& a : n.attributes) {
    if (a.name == "mode") nearest = a.s == "nearest";
    else if (a.name == "coordinate_transformation_mode") asymmetric = a.s == "asymmetric";
    else if (a.name == "nearest_mode") floor = a.s == "floor";
    else if (a.name == "cubic_coeff_a" || a.name == "exclude_outside" || a.name == "extrapolation_value") continue;
    else if (a.name == "antialias" && a.i && *a.i == 0) continue;
    else return std::nullopt;  // axes, keep_aspect_ratio_policy, or an attribute not known here
  }
  if (!nearest || !asymmetric || !floor) return std::nullopt;  // opset 10's Resize has none of the two
  std::vector<int64_t> dims;
  const auto scales = graph.Floats(n.inputs[2], &dims);
  if (!scales || dims.size() != 1 || scales->size() != 4) return std::nullopt;
  const std::vector<float>& s = *scales;
  if (s[0] != 1.0f || s[1] != 1.0f || s[2] != s[3]) return std::nullopt;
  for (int doublings = 2; doublings <= 10; ++doublings) {
    if (s[2] == static_cast<float>(1 << doublings)) return doublings;
  }
  return std::nullopt;
}

}  // namespace

int SplitNearestUpsampling(Graph& graph) {
  if (graph.ir_version < 4) return 0;
  std::string by_two;  // the scales [1, 1, 2, 2], added when first needed
  int found = 0;
  for (size_t i = 0; i < graph.nodes().size(); ++i) {
    const auto doublings = DoublingsOf(graph, i);
    if (!doublings) continue;
    if (by_two.empty()) {
      by_two = graph.UniqueName("ocrkit_scales_by_two");
      graph.AddInitializer(by_two, {4}, {1.0f, 1.0f, 2.0f, 2.0f});
    }
    const Node& n = graph.node(i);
    const std::string base = n.name.empty() ? n.outputs[0] : n.name;
    const std::vector<Attribute> attributes = {StringAttribute("mode", "nearest"),
                                               StringAttribute("coordinate_transformation_mode", "asymmetric"),
                                               StringAttribute("nearest_mode", "floor")};
    const std::string roi = n.inputs[1];
    std::vector<std::string> steps;
    std::string value = n.inputs[0];
    for (int k = 0; k < *doublings; ++k) {
      const std::string out =
          k + 1 == *doublings ? n.outputs[0] : graph.UniqueName(n.outputs[0] + "_ocrkit_x" + std::to_string(2 << k));
      steps.push_back(EncodeNode(base + "_ocrkit_by_two_" + std::to_string(k), "Resize", {value, roi, by_two}, out,
                                 attributes));
      value = out;
    }
    graph.Replace(i, std::move(steps), roi.empty() ? std::vector<std::string>{n.inputs[0], by_two}
                                                   : std::vector<std::string>{n.inputs[0], roi, by_two});
    ++found;
  }
  return found;
}

}  // namespace ocr::graph
