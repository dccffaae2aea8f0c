// Feature pyramids upsample coarse maps by nearest neighbour before adding or
// concatenating them (PP-OCRv4's detector neck: x2 three times, then x8 and
// x4 to stride 4). ONNX Runtime's Resize has a fast path for a factor of 2;
// other integer factors take its general path, ~7-9x slower per output value
// (PP-OCRv4's detector at 960 x 736, two threads: the x4 and x8 took 1.5 ms
// each, a x2 of as many outputs 0.18 ms). With the asymmetric coordinate
// mapping and floor rounding, a factor of 2^n is n factors of 2 exactly:
// floor(floor(i / 2) / 2) = floor(i / 4). Measured: x4 1.53 -> 0.21 ms,
// x8 1.50 -> 0.35 ms, the same values (only copies).
#pragma once

#include "graph/onnx_graph.h"

namespace ocr::graph {

// Rewrites every Resize (opset 11 or later: data, roi, scales; no sizes, no
// axes) in nearest mode with coordinate_transformation_mode "asymmetric" and
// nearest_mode "floor", whose scales are a float constant [1, 1, k, k] with k
// a power of two from 4 to 1024, as log2(k) such Resizes by [1, 1, 2, 2], and
// returns how many. Needs IR version 4 or later (a new initializer).
int SplitNearestUpsampling(Graph& graph);

}  // namespace ocr::graph
