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
};

// `prob`: CV_32FC1 probability map (H x W) at the network input resolution.
// `dest_size`: size of the image the regions are reported in; coordinates are
// scaled per axis by dest/map, rounded and clamped to [0, dest-1].
// Non-finite map values count as 0.
std::vector<TextRegion> DbPostprocess(const cv::Mat& prob, const DbParams& params,
                                      cv::Size dest_size);

}  // namespace ocr::detect
