// DB / DB++ post-processing: probability map -> text regions.
// Reference: PaddleOCR ppocr/postprocess/db_postprocess.py (release 2.7, 2023).
#pragma once

#include <vector>

#include <opencv2/core.hpp>

#include "core/types.h"

namespace ocr::detect {

enum class ScoreMode { kFast, kSlow };
enum class BoxType { kQuad, kPolygon };

struct DbParams {
  float threshold = 0.3f;       // binarisation threshold of the probability map
  float box_threshold = 0.6f;   // minimum box score
  float unclip_ratio = 1.5f;    // offset distance = area * ratio / perimeter
  int max_candidates = 1000;    // contours considered, in findContours order
  float min_size = 3.0f;        // minimum short side before and (+2) after unclip
  bool use_dilation = false;    // 2x2 dilation of the binary map
  ScoreMode score_mode = ScoreMode::kFast;
  BoxType box_type = BoxType::kQuad;
  // Quad boxes only, after unclipping: each end moves outward along the box's
  // long side by end_padding x its short side (LengthenQuad). 0 = PaddleOCR.
  float end_padding = 0.0f;
  // Quad boxes only, after unclipping and before end_padding: boxes that
  // continue one another along a text line, less than merge_gap x the line's
  // height apart, become one box (MergeLineQuads; score: the members' mean
  // weighted by area). 0 = PaddleOCR (no merging).
  float merge_gap = 0.0f;
};

// `prob`: CV_32FC1 probability map (H x W) at the network input resolution.
// `dest_size`: size of the image the regions are reported in; coordinates are
// scaled per axis by dest/map, rounded half to even and clamped to
// [0, dest-1] (PaddleOCR clamps to [0, dest]: deliberate difference).
// Regions come in findContours order. `quad` is the min-area quad (TL, TR,
// BR, BL, clockwise with y down); `polygon` repeats its corners (kQuad) or is
// the unclipped polygon (kPolygon, whose score is always "fast", as in
// PaddleOCR). Non-finite map values count as 0. An empty map gives no regions.
// Throws ocr::Error: kInternal if `prob` is not CV_32FC1 (a pipeline bug),
// kInvalidOption for non-finite thresholds, unclip_ratio <= 0,
// max_candidates < 0, min_size < 0, end_padding or merge_gap < 0 or non-finite, or a
// non-positive dest_size.
std::vector<TextRegion> DbPostprocess(const cv::Mat& prob, const DbParams& params,
                                      cv::Size dest_size);

}  // namespace ocr::detect
