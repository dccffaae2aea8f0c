#include "graph/rewrite.h"

#include "graph/conv_affine.h"
#include "graph/gated_residual.h"
#include "graph/hard_swish.h"
#include "graph/nearest_upsampling.h"
#include "graph/onnx_graph.h"
#include "graph/upsampling_head.h"

namespace ocr::graph {

std::optional<std::string> RewriteModel(std::string_view model, RewriteCounts* counts) {
  RewriteCounts found;
  auto out = RewriteModelGraph(model, [&](Graph& graph) {
    found.hard_swish = FuseHardSwish(graph);
    found.conv_affine = FoldAffineIntoConv(graph);
    found.affine_depthwise = AffineToDepthwiseConv(graph);
    found.upsampling_head = UpsamplingHeadToPointwise(graph);
    found.gated_residual = FoldGatedResidual(graph, &found.gated_pointwise);
    found.gated_residual -= found.gated_pointwise;
    found.nearest_upsampling = SplitNearestUpsampling(graph);
    return found.total();
  });
  if (counts) *counts = out ? found : RewriteCounts{};
  return out;
}

}  // namespace ocr::graph
