// Polygon IoU and greedy polygon NMS, shared by the EAST and FCE post-processors.
// Reference: PaddleOCR ppocr/postprocess/locality_aware_nms.py standard_nms and
// ppocr/utils/poly_nms.py (release 2.7, 2023); MMOCR 1.x BaseTextDetPostProcessor.poly_nms
// with mmocr/utils/polygon_utils.py poly_iou (v1.0, 2023). Those use shapely; we use Clipper.
#pragma once

#include <cstddef>
#include <vector>

#include <opencv2/core.hpp>

#include "core/cancel.h"
#include "core/types.h"

namespace ocr::detect {

// Intersection over union of two closed polygons, exact up to a 1/256 px grid
// (Clipper on coordinates scaled by 256). Either orientation, convex or not;
// self-intersecting outlines are filled with the non-zero rule (shapely's
// buffer(0) repair in the references is close to it, not identical).
// Fewer than 3 points, a zero union, a non-finite coordinate or one beyond
// +-2^24 px give 0.
double PolygonIou(const std::vector<cv::Point2f>& a, const std::vector<cv::Point2f>& b);
double PolygonIou(const Quad& a, const Quad& b);

// Greedy NMS: repeatedly keeps the best-scoring remaining polygon and drops
// every remaining one whose IoU with it is > iou_threshold. Returns the kept
// indices, best first. Equal scores: the later index wins (MMOCR and
// PaddleOCR sort ascending with a stable sort and take from the end). NaN
// scores rank last. `scores` must be as long as `polygons`. Quadratic in
// the polygons: `cancel` (optional) is checked for each one kept, so a call
// on a map of thousands of proposals can be aborted (Error kAborted).
std::vector<size_t> PolygonNms(const std::vector<std::vector<cv::Point2f>>& polygons,
                               const std::vector<float>& scores, float iou_threshold,
                               const CancelToken* cancel = nullptr);

}  // namespace ocr::detect
