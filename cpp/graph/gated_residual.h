// Squeeze-and-excitation blocks with a residual (PP-OCRv4's detector neck,
// RSEFPN: eight of them) add a feature map to itself scaled by a per-channel
// gate: y = x + x * g. ONNX Runtime runs the Mul and the Add as two passes
// over the map, each in the plain NCHW layout; y = x * (1 + g) is one pass
// over the map and one over the gate (a [N, C, 1, 1] tensor there). The same
// function up to float rounding. PP-OCRv4's detector at 960 x 736: ~3% less
// detection time (the Add at stride 4 alone took 3 of 92 ms on two threads).
// The same function up to float rounding (sums in another order).
#pragma once

#include "graph/onnx_graph.h"

namespace ocr::graph {

// Rewrites every Add(x, Mul(x, g)) (either operand order; the Mul's output
// read only by the Add) whose x is written by a Conv with float weights, so
// that the new constant 1 has x's type, and returns how many. Never more work
// than before: the Add moves to g, which is never larger than the result.
// Needs IR version 4 or later (a new initializer).
//
// Where x = W * in is a pointwise Conv (1x1, one group, no padding or bias,
// no more input channels than output channels) read only by the block (its
// GlobalAveragePool, the Mul, the Add) and g is computed from that pool alone,
// the gate goes into the weights instead:
// y = ((1 + g) W) * in, a MatMul of the input's [N, Cin, H*W] rows by
// weights scaled per image ([N, C, Cin]), and the pool is taken of the input,
// GlobalAveragePool(W * in) = W * GlobalAveragePool(in): the map x is never
// written, reordered out of ONNX Runtime's blocked layout and multiplied.
// RSEFPN's input convolutions from 12, 18 and 42 channels (not the one from
// 360): at 960 x 736 on two threads ~4% less detection time. Those are
// counted in *through_weights too.
int FoldGatedResidual(Graph& graph, int* through_weights = nullptr);

}  // namespace ocr::graph
