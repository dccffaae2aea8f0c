// Geometry primitives shared by the detection post-processors (DB, PSE, PAN, ...).
#pragma once

#include <vector>

#include <opencv2/core.hpp>

#include "core/types.h"

namespace ocr::detect {

// Minimum-area quad of a point set, ordered TL, TR, BR, BL the way PaddleOCR's
// get_mini_boxes does (sort by x; left pair by y gives TL/BL, right pair TR/BR).
// `short_side` receives min(width, height) of the rotated rectangle.
Quad MinAreaQuad(const std::vector<cv::Point2f>& points, float* short_side);

// Mean of `prob` inside the filled polygon, evaluated within its bounding box
// (PaddleOCR box_score_fast when given the quad, box_score_slow with a contour).
float PolygonMeanScore(const cv::Mat& prob, const std::vector<cv::Point2f>& polygon);

// Offsets a closed polygon outward by area * ratio / perimeter with round
// joins (Clipper). Returns every resulting polygon (may be 0, 1 or several).
std::vector<std::vector<cv::Point2f>> Unclip(const std::vector<cv::Point2f>& polygon,
                                             float unclip_ratio);

// Scales points from map to destination pixels per axis, rounds, clamps.
void ScaleAndClamp(std::vector<cv::Point2f>& points, cv::Size map_size, cv::Size dest_size);

}  // namespace ocr::detect
