#include "detect/geometry.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>
#include <polyclipping/clipper.hpp>

namespace ocr::detect {

// Reference: PaddleOCR ppocr/postprocess/db_postprocess.py get_mini_boxes (2.7, 2023).
Quad MinAreaQuad(const std::vector<cv::Point2f>& points, float* short_side) {
  const cv::RotatedRect rect = cv::minAreaRect(points);
  std::array<cv::Point2f, 4> corners;
  rect.points(corners.data());
  // Python's sorted() is stable: keep boxPoints order among equal x.
  std::stable_sort(corners.begin(), corners.end(),
                   [](const cv::Point2f& a, const cv::Point2f& b) { return a.x < b.x; });
  const bool left_first = corners[1].y > corners[0].y;
  const bool right_first = corners[3].y > corners[2].y;
  const cv::Point2f tl = left_first ? corners[0] : corners[1];
  const cv::Point2f bl = left_first ? corners[1] : corners[0];
  const cv::Point2f tr = right_first ? corners[2] : corners[3];
  const cv::Point2f br = right_first ? corners[3] : corners[2];
  if (short_side) *short_side = std::min(rect.size.width, rect.size.height);
  return {tl, tr, br, bl};
}

// Reference: PaddleOCR db_postprocess.py box_score_fast / box_score_slow (2.7):
// the bounding box is floor(min)..ceil(max) clipped to the map, the polygon is
// shifted into it and truncated to integers before filling.
float PolygonMeanScore(const cv::Mat& prob, const std::vector<cv::Point2f>& polygon) {
  if (polygon.empty() || prob.empty()) return 0.0f;
  const int w = prob.cols, h = prob.rows;
  float min_x = polygon[0].x, max_x = polygon[0].x, min_y = polygon[0].y, max_y = polygon[0].y;
  for (const auto& p : polygon) {
    min_x = std::min(min_x, p.x);
    max_x = std::max(max_x, p.x);
    min_y = std::min(min_y, p.y);
    max_y = std::max(max_y, p.y);
  }
  const int x0 = std::clamp(static_cast<int>(std::floor(min_x)), 0, w - 1);
  const int x1 = std::clamp(static_cast<int>(std::ceil(max_x)), 0, w - 1);
  const int y0 = std::clamp(static_cast<int>(std::floor(min_y)), 0, h - 1);
  const int y1 = std::clamp(static_cast<int>(std::ceil(max_y)), 0, h - 1);
  cv::Mat mask = cv::Mat::zeros(y1 - y0 + 1, x1 - x0 + 1, CV_8UC1);
  std::vector<cv::Point> shifted;
  shifted.reserve(polygon.size());
  for (const auto& p : polygon) {
    // numpy astype("int32") truncates toward zero.
    shifted.emplace_back(static_cast<int>(p.x - x0), static_cast<int>(p.y - y0));
  }
  cv::fillPoly(mask, std::vector<std::vector<cv::Point>>{shifted}, cv::Scalar(1));
  return static_cast<float>(cv::mean(prob(cv::Rect(x0, y0, x1 - x0 + 1, y1 - y0 + 1)), mask)[0]);
}

namespace {

double Area(const std::vector<cv::Point2f>& polygon) {
  double s = 0;
  for (size_t i = 0; i < polygon.size(); ++i) {
    const auto& a = polygon[i];
    const auto& b = polygon[(i + 1) % polygon.size()];
    s += double(a.x) * b.y - double(b.x) * a.y;
  }
  return std::abs(s) / 2;
}

double Perimeter(const std::vector<cv::Point2f>& polygon) {
  double s = 0;
  for (size_t i = 0; i < polygon.size(); ++i) {
    const auto& a = polygon[i];
    const auto& b = polygon[(i + 1) % polygon.size()];
    s += std::hypot(double(b.x) - a.x, double(b.y) - a.y);
  }
  return s;
}

}  // namespace

// Reference: PaddleOCR db_postprocess.py unclip (2.7): shapely area/length,
// pyclipper offset with JT_ROUND / ET_CLOSEDPOLYGON on integer-truncated points.
std::vector<std::vector<cv::Point2f>> Unclip(const std::vector<cv::Point2f>& polygon, float unclip_ratio) {
  const double perimeter = Perimeter(polygon);
  if (polygon.size() < 3 || !(perimeter > 0)) return {};
  const double distance = Area(polygon) * unclip_ratio / perimeter;
  ClipperLib::Path path;
  path.reserve(polygon.size());
  for (const auto& p : polygon) {
    path.emplace_back(static_cast<ClipperLib::cInt>(p.x), static_cast<ClipperLib::cInt>(p.y));
  }
  ClipperLib::ClipperOffset offset;
  offset.AddPath(path, ClipperLib::jtRound, ClipperLib::etClosedPolygon);
  ClipperLib::Paths solution;
  offset.Execute(solution, distance);
  std::vector<std::vector<cv::Point2f>> result;
  result.reserve(solution.size());
  for (const auto& out : solution) {
    std::vector<cv::Point2f> points;
    points.reserve(out.size());
    for (const auto& p : out) points.emplace_back(static_cast<float>(p.X), static_cast<float>(p.Y));
    result.push_back(std::move(points));
  }
  return result;
}

// Reference: PaddleOCR db_postprocess.py boxes_from_bitmap (2.7): x / width *
// dest_width, numpy round (half to even), then clip. We clamp to dest - 1 so
// every point is a pixel of the image (PaddleOCR clips to dest).
void ScaleAndClamp(std::vector<cv::Point2f>& points, cv::Size map_size, cv::Size dest_size) {
  const float sx = static_cast<float>(dest_size.width), sy = static_cast<float>(dest_size.height);
  const float mw = static_cast<float>(map_size.width), mh = static_cast<float>(map_size.height);
  for (auto& p : points) {
    p.x = std::clamp(std::nearbyint(p.x / mw * sx), 0.0f, sx - 1);
    p.y = std::clamp(std::nearbyint(p.y / mh * sy), 0.0f, sy - 1);
  }
}

}  // namespace ocr::detect
