// EAST post-processing (QUAD geometry): score map + 8-channel geometry map -> text quads.
// Reference: PaddleOCR ppocr/postprocess/east_postprocess.py EASTPostProcess and
// ppocr/postprocess/locality_aware_nms.py nms_locality (release 2.7, 2023).
#pragma once

#include <vector>

#include <opencv2/core.hpp>

#include "core/cancel.h"
#include "core/types.h"

namespace ocr::detect {

struct EastParams {
  float score_threshold = 0.8f;  // a map pixel proposes a quad when its score is > this
  float cover_threshold = 0.1f;  // a kept quad needs a mean score inside it > this
  float nms_threshold = 0.2f;    // quads merge / are suppressed when their IoU is > this
  int stride = 4;                // input pixels per map pixel
  float min_edge = 5.0f;         // every edge of the final quad is >= this (dest pixels)
};

// `score`: CV_32FC1 map (H/stride x W/stride). `geometry`: 8 CV_32FC1 maps of
// the same size; channels 2i and 2i+1 hold corner i's offset (x, y) in input
// pixels, corner i = stride * (col, row) - offset (PaddleOCR
// restore_rectangle_quad). `input_size`: the network input the offsets are in;
// `dest_size`: the image the regions are reported in (per-axis dest/input).
//
// Pixels with score > score_threshold are visited in row-major order; a quad
// merges into the running one (score-weighted average of the corners, scores
// summed) while their IoU is > nms_threshold, else it starts a new one; then
// greedy NMS over the merged quads (by summed score). Each survivor's score
// becomes the mean of the map inside it (corners truncated, floor-divided by
// the stride, filled); it is kept when that mean > cover_threshold. Corners are
// scaled, truncated toward zero (PaddleOCR's astype(int32)) and clamped to [0, dest - 1] (ScaleAndClamp),
// ordered TL, TR, BR, BL clockwise (y down) starting at the corner with the
// least x + y, or the one before it when the first edge would be more vertical
// than horizontal (PaddleOCR's sort_poly reverses the order instead, which
// can come out counter-clockwise). Quads with any edge < min_edge are dropped
// (PaddleOCR checks the two edges at the first corner, on unclamped points).
// Regions come best score first; `polygon` repeats the quad's corners.
//
// Non-finite scores count as 0. A pixel whose offsets are non-finite or put a
// corner beyond +-2^24 px proposes nothing. An empty score map gives nothing.
// Throws ocr::Error: kInternal for a map that is not CV_32FC1 (a pipeline
// bug); kModelShape for a geometry map count other than 8 or a size that
// differs from the score map's; kInvalidOption for a non-finite threshold,
// score_threshold < 0, nms_threshold outside [0, 1], stride < 1,
// min_edge < 0 (or NaN) or a non-positive input_size or dest_size; kAborted
// when `cancel` (optional) is cancelled during its NMS, which is quadratic in
// the proposals left after the locality merge.
std::vector<TextRegion> EastPostprocess(const cv::Mat& score, const std::vector<cv::Mat>& geometry,
                                        const EastParams& params, cv::Size input_size,
                                        cv::Size dest_size, const CancelToken* cancel = nullptr);

}  // namespace ocr::detect
