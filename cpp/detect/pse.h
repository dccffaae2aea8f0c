// PSENet post-processing (progressive scale expansion): kernel maps -> text regions.
// Reference: MMOCR 1.x mmocr/models/textdet/postprocessors/pse_postprocessor.py
// (1.x branch, 2022) with mmcv ops/csrc/pytorch/contour_expand.cpp, and PaddleOCR
// ppocr/postprocess/pse_postprocess (release 2.7, 2023: pse.pyx, the original
// whai362/PSENet expansion). Deliberate differences are listed below.
#pragma once

#include <vector>

#include <opencv2/core.hpp>

#include "core/types.h"
#include "detect/db.h"  // BoxType

namespace ocr::detect {

struct PseParams {
  // The maps are logits (MMOCR and PaddleOCR exports): apply a sigmoid first.
  bool apply_sigmoid = true;
  // Every map is binarised at probability > this (MMOCR min_kernel_confidence
  // 0.5). PaddleOCR's `thresh` compares the logits instead: its thresh t is
  // our sigmoid(t) (CLI 0 -> 0.5; config 0.5 -> 0.6225).
  float min_kernel_confidence = 0.5f;
  // An instance whose mean text probability is < this is dropped (MMOCR 1.x
  // score_threshold 0.3; PaddleOCR box_thresh 0.85; MMOCR 0.x 0.85).
  float score_threshold = 0.3f;
  // Components of the smallest kernel with fewer pixels seed nothing (MMOCR
  // min_kernel_area 0; PaddleOCR min_area 16). Their pixels can still be
  // reached by the expansion of another kernel.
  int min_kernel_area = 0;
  // An instance with fewer pixels (at map scale) is dropped (16 in both).
  int min_text_area = 16;
  // kQuad: min-area quad of the instance (PaddleOCR "box"). kPolygon: its
  // outer contour (MMOCR "poly", PaddleOCR "poly").
  BoxType box_type = BoxType::kQuad;
  // kPolygon only: > 0 simplifies the contour by approxPolyDP with epsilon =
  // ratio * perimeter (0.01 is MMOCR DB's value). MMOCR and PaddleOCR do not
  // simplify PSE outlines, hence 0.
  float epsilon_ratio = 0.0f;
};

// `maps`: the network's C >= 1 maps of one image, each CV_32FC1 (H x W) at
// the output resolution, in the network's order: maps[0] is the full text
// map, maps[C-1] the smallest kernel (views into an NCHW tensor need no copy).
// `dest_size`: the image the regions are reported in; coordinates are scaled
// per axis by dest/map, rounded half to even and clamped to [0, dest - 1]
// (ScaleAndClamp, as DB).
//
// Algorithm: text = p0 > thr; kernel_i = p_i > thr AND text; the 4-connected
// components of kernel_{C-1} are the instances; they grow breadth-first
// through 4-neighbours into kernel_{C-2}, then kernel_{C-3}, ..., kernel_0 =
// text, a pixel going to the instance that reaches it first. Each instance's
// score is the mean of p0 over its pixels.
//
// Deliberate differences:
// - Filtering: an instance is dropped when area < min_text_area OR score <
//   score_threshold (PaddleOCR's rule). MMOCR 1.x drops it only when it is
//   small AND low-scoring (`if not (area >= min or score > thr)`), which
//   keeps any large low-scoring blob or tiny confident speck: likely a bug.
// - Expansion: mmcv's and MMDeploy's contour_expand never fill their
//   per-kernel offsets (the std::for_each lambda discards its result), so
//   they grow straight through kernel 0, the text mask; we expand kernel by
//   kernel as the paper and PaddleOCR do. A pixel that still touches an
//   unclaimed pixel outside the current kernel stays on the frontier for the
//   next one (the original keeps only pixels that claimed nothing in this
//   kernel, which can delay or prevent a later claim).
// - Non-finite map values count as 0 (background).
//
// Regions come in the order of their smallest-kernel component (raster order
// of its first pixel); `quad` is the min-area quad (TL, TR, BR, BL), `polygon`
// repeats it (kQuad) or is the outline (kPolygon; outlines of fewer than 4
// points, i.e. one-pixel-wide lines, are dropped as in MMOCR). An empty
// map (0 rows or columns) gives no regions.
// Throws ocr::Error: kInternal for maps that are not a valid network output
// (no maps, a type other than CV_32FC1, maps of different sizes: pipeline
// bugs); kInvalidOption for non-finite thresholds or epsilon_ratio,
// epsilon_ratio < 0, negative areas or a non-positive dest_size.
std::vector<TextRegion> PsePostprocess(const std::vector<cv::Mat>& maps, const PseParams& params,
                                       cv::Size dest_size);

}  // namespace ocr::detect
