// DB-style heads (PaddleOCR's DBHead, MMOCR's DBHead) end in two transposed
// convolutions whose kernel equals their stride, each followed by per-channel
// affine steps and an activation:
//   x -> ConvTranspose(k1 = s1) -> [+ bias, BatchNormalization] -> Relu
//     -> ConvTranspose(k2 = s2) -> [+ bias] -> Sigmoid
// With kernel = stride and no padding each input pixel writes its own k x k
// block of the output, so the pair is a function of one input pixel's
// channels and its (k1 k2)^2 output pixels:
//   x -> 1x1 Conv (C1 k1^2 outputs, the affine steps folded in) -> Relu
//     -> 1x1 Conv (C2 (k1 k2)^2 outputs) -> Sigmoid -> DepthToSpace(k1 k2)
// The same arithmetic up to float rounding: the first convolution's output
// channel (c, i, j) is the first ConvTranspose's output c at offset (i, j) of
// its block, the second convolution reads, for each of its outputs, the C1
// channels of the block position it lies under (its weight is zero elsewhere),
// and DepthToSpace (DCR order) writes each output to its pixel. Relu and
// Sigmoid are element-wise, so they run before the pixels are moved.
// ONNX Runtime runs ConvTranspose as a GEMM plus col2im at ~20 GFLOPS on one
// thread and scales it poorly on two; pointwise convolutions run in its
// blocked layout near the FMA peak. PP-OCRv4's detector at 960 x 736:
// measured -10% detection time per image, boxes identical.
#pragma once

#include "graph/onnx_graph.h"

namespace ocr::graph {

// Rewrites every such pair (each value of the chain read only by the next
// node; weights, biases and BatchNormalization parameters float constants;
// square kernels equal to their strides, no padding, dilation 1, one group)
// whose second convolution does not grow the channels: C2 (k1 k2)^2 <= C1 k1^2
// (a DB head: C2 = 1). Returns how many. Needs IR version 4 or later (new
// initializers).
int UpsamplingHeadToPointwise(Graph& graph);

}  // namespace ocr::graph
