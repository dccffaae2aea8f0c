// ocrkit's own graph rewrites, applied to a model's bytes before ONNX Runtime
// loads them (CPU sessions; runtime/session.cc): exact, local rewrites of
// patterns ONNX Runtime's optimiser leaves slow (graph/hard_swish.h,
// graph/conv_affine.h, graph/upsampling_head.h, graph/gated_residual.h,
// graph/nearest_upsampling.h).
// Every field they do not rewrite is copied byte for byte; a model they cannot
// read, with subgraphs, or with tensors in external files is left as it is.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ocr::graph {

struct RewriteCounts {
  int hard_swish = 0;   // x * Clip(x + 3, 0, 6) / 6 -> x * HardSigmoid(x)
  int conv_affine = 0;  // scalar Mul/Add chains folded into a Conv's weights
  int affine_depthwise = 0;  // scalar Mul/Add chains before a Conv that cannot fold, as a depthwise 1x1 Conv
  int upsampling_head = 0;   // ConvTranspose pairs (kernel = stride) as two 1x1 Convs and one DepthToSpace
  int gated_residual = 0;    // x + x * g -> x * (1 + g)
  int gated_pointwise = 0;   // x + x * g with x = W * in -> ((1 + g) W) * in
  int nearest_upsampling = 0;  // nearest Resize by 2^n as n Resizes by 2
  int total() const {
    return hard_swish + conv_affine + affine_depthwise + upsampling_head + gated_residual + gated_pointwise +
           nearest_upsampling;
  }
};

// The rewritten model, or nullopt when there is nothing to rewrite or the bytes cannot be read.
std::optional<std::string> RewriteModel(std::string_view model, RewriteCounts* counts = nullptr);

}  // namespace ocr::graph
