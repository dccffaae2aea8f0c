// Geometry primitives shared by the detection post-processors (DB, PSE, PAN, ...).
// Reference: PaddleOCR ppocr/postprocess/db_postprocess.py (release 2.7, 2023).
#pragma once

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

// Scales points from map to destination pixels per axis (x / map_w * dest_w in
// float32, as PaddleOCR computes it), rounds half to even (numpy round), and
// clamps into the image, [0, dest - 1]. PaddleOCR clips to [0, dest]; we keep
// every point on a pixel of the image (deliberate difference).
void ScaleAndClamp(std::vector<cv::Point2f>& points, cv::Size map_size, cv::Size dest_size);

}  // namespace ocr::detect
