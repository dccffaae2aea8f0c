// Reference: PaddleOCR ppocr/postprocess/db_postprocess.py DBPostProcess (release 2.7, 2023).
#include "detect/db.h"

#include <cmath>

#include <opencv2/imgproc.hpp>

#include "core/error.h"
#include "detect/geometry.h"

namespace ocr::detect {
namespace {

// prob > threshold as a 0/255 map. Non-finite values are replaced by 0 in a
// copy of the map (`clean`), so they neither pass the threshold nor poison
// box scores; `clean` stays empty when the map is finite.
cv::Mat Binarize(const cv::Mat& prob, float threshold, cv::Mat& clean) {
  cv::Mat binary(prob.size(), CV_8UC1);
  bool finite = true;
  for (int y = 0; y < prob.rows; ++y) {
    const float* in = prob.ptr<float>(y);
    uint8_t* out = binary.ptr<uint8_t>(y);
    for (int x = 0; x < prob.cols; ++x) {
      finite &= std::isfinite(in[x]);
      out[x] = in[x] > threshold ? 255 : 0;
    }
  }
  if (!finite) {
    clean = prob.clone();
    for (int y = 0; y < clean.rows; ++y) {
      float* row = clean.ptr<float>(y);
      uint8_t* out = binary.ptr<uint8_t>(y);
      for (int x = 0; x < clean.cols; ++x) {
        if (!std::isfinite(row[x])) row[x] = 0.0f;
        out[x] = row[x] > threshold ? 255 : 0;
      }
    }
  }
  return binary;
}

std::vector<cv::Point2f> ToFloat(const std::vector<cv::Point>& contour) {
  return std::vector<cv::Point2f>(contour.begin(), contour.end());
}

// Quad path: boxes_from_bitmap.
bool QuadFromContour(const cv::Mat& prob, const std::vector<cv::Point>& contour, const DbParams& params,
                     cv::Size dest_size, TextRegion& region) {
  const std::vector<cv::Point2f> points = ToFloat(contour);
  float short_side = 0;
  const Quad quad = MinAreaQuad(points, &short_side);
  if (short_side < params.min_size) return false;
  const std::vector<cv::Point2f> quad_points(quad.begin(), quad.end());
  const float score = params.score_mode == ScoreMode::kFast ? PolygonMeanScore(prob, quad_points)
                                                            : PolygonMeanScore(prob, points);
  if (!(score >= params.box_threshold)) return false;
  const auto expanded = Unclip(quad_points, params.unclip_ratio);
  if (expanded.size() != 1 || expanded[0].size() < 3) return false;
  const Quad grown = MinAreaQuad(expanded[0], &short_side);
  if (short_side < params.min_size + 2) return false;
  std::vector<cv::Point2f> corners(grown.begin(), grown.end());
  ScaleAndClamp(corners, prob.size(), dest_size);
  std::copy(corners.begin(), corners.end(), region.quad.begin());
  region.polygon = std::move(corners);
  region.score = score;
  return true;
}

// Polygon path: polygons_from_bitmap.
bool PolygonFromContour(const cv::Mat& prob, const std::vector<cv::Point>& contour, const DbParams& params,
                        cv::Size dest_size, TextRegion& region) {
  std::vector<cv::Point> approx;
  cv::approxPolyDP(contour, approx, 0.002 * cv::arcLength(contour, true), true);
  if (approx.size() < 4) return false;
  const std::vector<cv::Point2f> points = ToFloat(approx);
  const float score = PolygonMeanScore(prob, points);
  if (!(score >= params.box_threshold)) return false;
  auto expanded = Unclip(points, params.unclip_ratio);
  if (expanded.size() != 1 || expanded[0].size() < 3) return false;  // split or vanished: dropped
  float short_side = 0;
  const Quad grown = MinAreaQuad(expanded[0], &short_side);
  if (short_side < params.min_size + 2) return false;
  std::vector<cv::Point2f> quad(grown.begin(), grown.end());
  ScaleAndClamp(quad, prob.size(), dest_size);
  std::copy(quad.begin(), quad.end(), region.quad.begin());
  ScaleAndClamp(expanded[0], prob.size(), dest_size);
  region.polygon = std::move(expanded[0]);
  region.score = score;
  return true;
}

}  // namespace

std::vector<TextRegion> DbPostprocess(const cv::Mat& prob, const DbParams& params, cv::Size dest_size) {
  if (prob.empty() || dest_size.width <= 0 || dest_size.height <= 0) return {};
  if (prob.type() != CV_32FC1) {
    throw Error(ErrorCode::kInternal, "DB post-processing needs a single-channel float probability map");
  }
  cv::Mat clean;
  cv::Mat binary = Binarize(prob, params.threshold, clean);
  const cv::Mat& scores = clean.empty() ? prob : clean;
  if (params.use_dilation) cv::dilate(binary, binary, cv::Mat::ones(2, 2, CV_8UC1));
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(binary, contours, cv::RETR_LIST, cv::CHAIN_APPROX_SIMPLE);
  const size_t count = std::min(contours.size(), static_cast<size_t>(std::max(params.max_candidates, 0)));
  std::vector<TextRegion> regions;
  for (size_t i = 0; i < count; ++i) {
    TextRegion region;
    const bool kept = params.box_type == BoxType::kQuad
                          ? QuadFromContour(scores, contours[i], params, dest_size, region)
                          : PolygonFromContour(scores, contours[i], params, dest_size, region);
    if (kept) regions.push_back(std::move(region));
  }
  return regions;
}

}  // namespace ocr::detect
