// Geometry primitives shared by the detection post-processors (DB, PSE, PAN, ...).
// Reference: PaddleOCR ppocr/postprocess/db_postprocess.py (release 2.7, 2023).
#pragma once

#include <optional>
#include <vector>

#include <opencv2/core.hpp>

#include "core/types.h"

namespace ocr::detect {

// Minimum-area quad of a point set, ordered TL, TR, BR, BL the way PaddleOCR's
// get_mini_boxes does (stable sort by x; left pair by y gives TL/BL, right pair
// TR/BR). That order is clockwise on screen (y down) for every non-degenerate
// rectangle; a final check enforces it (it swaps TR and BL if the quad ever
// comes out counter-clockwise). `short_side` (may be null) receives
// min(width, height) of the rotated rectangle. An empty point set gives four
// zero points and a short side of 0.
Quad MinAreaQuad(const std::vector<cv::Point2f>& points, float* short_side);
// Same for integer points (a contour), without converting them.
Quad MinAreaQuad(const std::vector<cv::Point>& points, float* short_side);

// Mean of `prob` inside the filled polygon, evaluated within the polygon's
// bounding box only (PaddleOCR box_score_fast when given the quad,
// box_score_slow with a contour): floor(min)..ceil(max) clipped to the map,
// points shifted into that box and truncated toward zero before filling.
// An empty polygon or map gives 0.
float PolygonMeanScore(const cv::Mat& prob, const std::vector<cv::Point2f>& polygon);
// Same for integer points (a contour or an approxPolyDP polygon).
float PolygonMeanScore(const cv::Mat& prob, const std::vector<cv::Point>& polygon);

// Offsets a closed polygon outward by area * ratio / perimeter with round
// joins (Clipper). Points are truncated toward zero to integers first, as
// pyclipper does with PaddleOCR's float quads; area and perimeter use the
// unrounded points (shapely). Returns every resulting polygon (may be 0, 1 or
// several); fewer than 3 points or a zero perimeter give none.
std::vector<std::vector<cv::Point2f>> Unclip(const std::vector<cv::Point2f>& polygon,
                                             float unclip_ratio);

// Moves both ends of a quad (TL, TR, BR, BL) outward along its longer side by
// `ratio` times its shorter side: the two corners of each short side move by
// the same vector, so the quad keeps its shape and direction and grows by
// 2 * ratio * short side in length. `ratio` 0, or a degenerate quad (a zero
// side), gives the quad unchanged. A square grows along TL->TR.
Quad LengthenQuad(const Quad& quad, float ratio);

// Scales points from map to destination pixels per axis (x / map_w * dest_w in
// float32, as PaddleOCR computes it), rounds half to even (numpy round), and
// clamps into the image, [0, dest - 1]. PaddleOCR clips to [0, dest]; we keep
// every point on a pixel of the image (deliberate difference).
// `truncate`: toward zero instead (PaddleOCR's EAST: box / ratio, then astype(int32)).
void ScaleAndClamp(std::vector<cv::Point2f>& points, cv::Size map_size, cv::Size dest_size, bool truncate = false);

// Probability map of a network output: sigmoid(v) when apply_sigmoid (the
// map holds logits), else v. A non-finite value (NaN, +-Inf) gives 0, with or
// without sigmoid, so it always counts as background. `map` must be CV_32FC1;
// the result is a new CV_32FC1 map of the same size.
cv::Mat FiniteProbability(const cv::Mat& map, bool apply_sigmoid);

// 255 where `within` (CV_8UC1, same size) is non-zero and
// FiniteProbability(map, apply_sigmoid) > threshold, else 0. Same result as
// comparing FiniteProbability's map, but the sigmoid is only evaluated inside
// `within` (kernel maps of PSE and PAN are only kept inside the text mask).
cv::Mat ProbabilityAbove(const cv::Mat& map, bool apply_sigmoid, float threshold, const cv::Mat& within);

// Pixel count, sum of a score map and bounding box of one label of a label
// map (the instances of PSE and PAN).
struct LabelStats {
  int area = 0;
  double score_sum = 0;
  cv::Rect box;
};

// Stats of labels 0..label_count-1 of `labels` (CV_32SC1) over `score`
// (CV_32FC1, same size); pixels with a label outside that range are ignored.
std::vector<LabelStats> MeasureLabels(const cv::Mat& labels, int label_count, const cv::Mat& score);

// How an instance is outlined: min-area quad only, or also its polygon.
struct OutlineParams {
  bool polygon = false;        // polygon = outer contour of the instance
  float epsilon_ratio = 0.0f;  // > 0: approxPolyDP, epsilon = ratio * perimeter
};

// Region of the pixels of `labels` equal to `label` within `box` (reference:
// MMOCR 1.x PANPostprocessor._points2boundary, 2022): `quad` = min-area quad
// of the pixels; `polygon` = the quad's corners, or (outline.polygon) the
// outer contour (cv::RETR_EXTERNAL, CHAIN_APPROX_SIMPLE; the largest if there
// are several), approximated when epsilon_ratio > 0 unless that leaves fewer
// than 4 points. Coordinates are scaled to `dest_size` by ScaleAndClamp. A
// polygon with fewer than 4 points (a one-pixel-wide line) gives nullopt, as
// in MMOCR.
std::optional<TextRegion> LabelRegion(const cv::Mat& labels, int label, cv::Rect box,
                                      const OutlineParams& outline, float score, cv::Size dest_size);

}  // namespace ocr::detect
