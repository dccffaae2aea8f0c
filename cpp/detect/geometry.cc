#include "detect/geometry.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>

#include <opencv2/imgproc.hpp>
#include <polyclipping/clipper.hpp>

namespace ocr::detect {
namespace {

// Twice the signed area; positive when the points run clockwise on screen (y down).
template <typename P>
double TwiceSignedArea(const P* points, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; ++i) {
    const P& a = points[i];
    const P& b = points[(i + 1) % n];
    s += double(a.x) * double(b.y) - double(b.x) * double(a.y);
  }
  return s;
}

// Reference: PaddleOCR db_postprocess.py get_mini_boxes (2.7, 2023).
Quad OrderedCorners(const cv::RotatedRect& rect) {
  std::array<cv::Point2f, 4> c;
  rect.points(c.data());  // cv2.boxPoints
  // Python's sorted() is stable: keep boxPoints order among equal x.
  std::stable_sort(c.begin(), c.end(),
                   [](const cv::Point2f& a, const cv::Point2f& b) { return a.x < b.x; });
  const bool left_down = c[1].y > c[0].y;
  const bool right_down = c[3].y > c[2].y;
  Quad quad = {left_down ? c[0] : c[1], right_down ? c[2] : c[3],
               right_down ? c[3] : c[2], left_down ? c[1] : c[0]};
  // PaddleOCR's order is already clockwise for any non-degenerate rectangle;
  // this guard keeps the TL, TR, BR, BL contract if float ties ever break it.
  if (TwiceSignedArea(quad.data(), 4) < 0) std::swap(quad[1], quad[3]);
  return quad;
}

template <typename P>
Quad MinAreaQuadOf(const std::vector<P>& points, float* short_side) {
  if (points.empty()) {
    if (short_side) *short_side = 0.0f;
    return Quad{};
  }
  const cv::RotatedRect rect = cv::minAreaRect(points);
  if (short_side) *short_side = std::min(rect.size.width, rect.size.height);
  return OrderedCorners(rect);
}

// Reference: PaddleOCR db_postprocess.py box_score_fast / box_score_slow (2.7).
// Only the polygon's bounding box is visited: floor(min)..ceil(max) clipped
// to the map; the points are shifted into it (float arithmetic) and truncated
// toward zero (numpy astype int32) before cv::fillPoly, then cv::mean.
template <typename P>
float MeanInPolygon(const cv::Mat& prob, const std::vector<P>& polygon) {
  if (polygon.empty() || prob.empty()) return 0.0f;
  auto [min_x, max_x] = std::minmax_element(polygon.begin(), polygon.end(),
                                            [](const P& a, const P& b) { return a.x < b.x; });
  auto [min_y, max_y] = std::minmax_element(polygon.begin(), polygon.end(),
                                            [](const P& a, const P& b) { return a.y < b.y; });
  const int x0 = std::clamp(static_cast<int>(std::floor(min_x->x)), 0, prob.cols - 1);
  const int x1 = std::clamp(static_cast<int>(std::ceil(max_x->x)), 0, prob.cols - 1);
  const int y0 = std::clamp(static_cast<int>(std::floor(min_y->y)), 0, prob.rows - 1);
  const int y1 = std::clamp(static_cast<int>(std::ceil(max_y->y)), 0, prob.rows - 1);
  const cv::Rect box(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
  std::vector<cv::Point> shifted;
  shifted.reserve(polygon.size());
  for (const P& p : polygon) {
    shifted.emplace_back(static_cast<int>(p.x - x0), static_cast<int>(p.y - y0));
  }
  cv::Mat mask = cv::Mat::zeros(box.size(), CV_8UC1);
  const cv::Point* pts = shifted.data();
  const int count = static_cast<int>(shifted.size());
  cv::fillPoly(mask, &pts, &count, 1, cv::Scalar(1));
  return static_cast<float>(cv::mean(prob(box), mask)[0]);
}

double Perimeter(const std::vector<cv::Point2f>& polygon) {
  double s = 0;
  for (size_t i = 0; i < polygon.size(); ++i) {
    const cv::Point2f& a = polygon[i];
    const cv::Point2f& b = polygon[(i + 1) % polygon.size()];
    s += Length(double(b.x) - double(a.x), double(b.y) - double(a.y));
  }
  return s;
}

}  // namespace

Quad MinAreaQuad(const std::vector<cv::Point2f>& points, float* short_side) {
  return MinAreaQuadOf(points, short_side);
}

Quad MinAreaQuad(const std::vector<cv::Point>& points, float* short_side) {
  return MinAreaQuadOf(points, short_side);
}

float PolygonMeanScore(const cv::Mat& prob, const std::vector<cv::Point2f>& polygon) {
  return MeanInPolygon(prob, polygon);
}

float PolygonMeanScore(const cv::Mat& prob, const std::vector<cv::Point>& polygon) {
  return MeanInPolygon(prob, polygon);
}

// Reference: PaddleOCR db_postprocess.py unclip (2.7): shapely area / length of
// the float points, pyclipper PyclipperOffset (miter limit 2, arc tolerance
// 0.25) with JT_ROUND / ET_CLOSEDPOLYGON on the points truncated to integers.
std::vector<std::vector<cv::Point2f>> Unclip(const std::vector<cv::Point2f>& polygon,
                                             float unclip_ratio) {
  const double perimeter = Perimeter(polygon);
  if (polygon.size() < 3 || !(perimeter > 0)) return {};
  const double area = std::abs(TwiceSignedArea(polygon.data(), polygon.size())) / 2;
  const double distance = area * unclip_ratio / perimeter;
  ClipperLib::Path path;
  path.reserve(polygon.size());
  for (const cv::Point2f& p : polygon) {
    path.emplace_back(static_cast<ClipperLib::cInt>(p.x), static_cast<ClipperLib::cInt>(p.y));
  }
  ClipperLib::ClipperOffset offset(2.0, 0.25);
  offset.AddPath(path, ClipperLib::jtRound, ClipperLib::etClosedPolygon);
  ClipperLib::Paths solution;
  offset.Execute(solution, distance);
  std::vector<std::vector<cv::Point2f>> result(solution.size());
  for (size_t i = 0; i < solution.size(); ++i) {
    result[i].reserve(solution[i].size());
    for (const ClipperLib::IntPoint& p : solution[i]) {
      result[i].emplace_back(static_cast<float>(p.X), static_cast<float>(p.Y));
    }
  }
  return result;
}

Quad LengthenQuad(const Quad& quad, float ratio) {
  // Side vectors of the quad: along = TL->TR, across = TL->BL.
  const cv::Point2f along = quad[1] - quad[0], across = quad[3] - quad[0];
  const double along_len = Length(along.x, along.y), across_len = Length(across.x, across.y);
  if (ratio == 0 || along_len == 0 || across_len == 0) return quad;
  Quad out = quad;
  if (along_len >= across_len) {  // ends: TL-BL (start) and TR-BR (end)
    const cv::Point2f step = along * static_cast<float>(ratio * across_len / along_len);
    out[0] -= step;
    out[3] -= step;
    out[1] += step;
    out[2] += step;
  } else {  // ends: TL-TR (start) and BL-BR (end)
    const cv::Point2f step = across * static_cast<float>(ratio * along_len / across_len);
    out[0] -= step;
    out[1] -= step;
    out[3] += step;
    out[2] += step;
  }
  return out;
}

// Reference: PaddleOCR db_postprocess.py boxes_from_bitmap (2.7):
// np.clip(np.round(x / width * dest_width), 0, dest_width), float32 in the quad
// path. Deliberate difference: we clamp to dest - 1, not dest.
void ScaleAndClamp(std::vector<cv::Point2f>& points, cv::Size map_size, cv::Size dest_size, bool truncate) {
  const float dest_w = static_cast<float>(dest_size.width);
  const float dest_h = static_cast<float>(dest_size.height);
  const float map_w = static_cast<float>(map_size.width);
  const float map_h = static_cast<float>(map_size.height);
  for (cv::Point2f& p : points) {
    // nearbyint in the default rounding mode rounds half to even, like np.round.
    const auto whole = [truncate](float v) { return truncate ? std::trunc(v) : std::nearbyint(v); };
    p.x = std::clamp(whole(p.x / map_w * dest_w), 0.0f, std::max(dest_w - 1, 0.0f));
    p.y = std::clamp(whole(p.y / map_h * dest_h), 0.0f, std::max(dest_h - 1, 0.0f));
  }
}

namespace {

// One value of FiniteProbability.
float Probability(float v, bool apply_sigmoid) {
  if (!std::isfinite(v)) return 0.0f;
  return apply_sigmoid ? 1.0f / (1.0f + std::exp(-v)) : v;
}

// Logits that decide `sigmoid(v) > threshold` without the sigmoid: v > hi
// (finite) is above, v < lo is not. lo, hi = logit(threshold) -+ 1. The float
// sigmoid is within ~3e-7 (relative) of the exact one, far inside that margin
// for thresholds in [0.001, 0.999]; outside them (or without sigmoid) the
// cut is off (lo = -inf, hi = +inf) and every pixel is evaluated.
struct LogitCut {
  float lo = -std::numeric_limits<float>::infinity();
  float hi = std::numeric_limits<float>::infinity();

  LogitCut(bool apply_sigmoid, float threshold) {
    if (!apply_sigmoid || !(threshold >= 0.001f && threshold <= 0.999f)) return;
    const double logit = std::log(double(threshold) / (1.0 - threshold));
    lo = static_cast<float>(logit - 1);
    hi = static_cast<float>(logit + 1);
  }
};

}  // namespace

cv::Mat FiniteProbability(const cv::Mat& map, bool apply_sigmoid) {
  cv::Mat prob(map.size(), CV_32FC1);
  for (int y = 0; y < map.rows; ++y) {
    const float* in = map.ptr<float>(y);
    float* out = prob.ptr<float>(y);
    for (int x = 0; x < map.cols; ++x) out[x] = Probability(in[x], apply_sigmoid);
  }
  return prob;
}

cv::Mat ProbabilityAbove(const cv::Mat& map, bool apply_sigmoid, float threshold, const cv::Mat& within) {
  const LogitCut cut(apply_sigmoid, threshold);
  const int width = map.cols;  // a local: the uint8_t stores could alias map.cols
  cv::Mat mask(map.size(), CV_8UC1);
  for (int y = 0; y < map.rows; ++y) {
    const float* in = map.ptr<float>(y);
    const uint8_t* inside = within.ptr<uint8_t>(y);
    uint8_t* out = mask.ptr<uint8_t>(y);
    for (int x = 0; x < width; ++x) {
      const float v = in[x];
      bool above = false;
      if (!inside[x] || v < cut.lo) {
        above = false;
      } else if (v > cut.hi && std::isfinite(v)) {
        above = true;
      } else {
        above = Probability(v, apply_sigmoid) > threshold;
      }
      out[x] = above ? 255 : 0;
    }
  }
  return mask;
}

std::vector<LabelStats> MeasureLabels(const cv::Mat& labels, int label_count, const cv::Mat& score) {
  std::vector<LabelStats> stats(static_cast<size_t>(std::max(label_count, 0)));
  std::vector<cv::Point> lo(stats.size(), cv::Point(labels.cols, labels.rows));
  std::vector<cv::Point> hi(stats.size(), cv::Point(-1, -1));
  for (int y = 0; y < labels.rows; ++y) {
    const int32_t* row = labels.ptr<int32_t>(y);
    const float* s = score.ptr<float>(y);
    for (int x = 0; x < labels.cols; ++x) {
      const int l = row[x];
      if (l < 0 || l >= label_count) continue;
      LabelStats& st = stats[l];
      ++st.area;
      st.score_sum += s[x];
      lo[l] = {std::min(lo[l].x, x), std::min(lo[l].y, y)};
      hi[l] = {std::max(hi[l].x, x), std::max(hi[l].y, y)};
    }
  }
  for (size_t l = 0; l < stats.size(); ++l) {
    if (stats[l].area > 0) stats[l].box = cv::Rect(lo[l], hi[l] + cv::Point(1, 1));
  }
  return stats;
}

// Reference: MMOCR 1.x pan_postprocessor.py _points2boundary (2022): quad =
// cv2.minAreaRect of the pixels; poly = contours[0] of RETR_EXTERNAL /
// CHAIN_APPROX_SIMPLE on the instance mask, dropped below 4 points. The hull
// of the outer contour is the hull of the pixels, so one contour serves both.
std::optional<TextRegion> LabelRegion(const cv::Mat& labels, int label, cv::Rect box,
                                      const OutlineParams& outline, float score, cv::Size dest_size) {
  box &= cv::Rect(0, 0, labels.cols, labels.rows);
  if (box.empty()) return std::nullopt;
  // A zero border keeps pixels on the box edge inside the traced outline.
  cv::Mat mask = cv::Mat::zeros(box.height + 2, box.width + 2, CV_8UC1);
  for (int y = 0; y < box.height; ++y) {
    const int32_t* in = labels.ptr<int32_t>(box.y + y) + box.x;
    uint8_t* out = mask.ptr<uint8_t>(y + 1) + 1;
    for (int x = 0; x < box.width; ++x) out[x] = in[x] == label ? 255 : 0;
  }
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE,
                   box.tl() - cv::Point(1, 1));
  if (contours.empty()) return std::nullopt;
  // A 4-connected instance has one outer contour; keep the largest otherwise.
  const auto largest = std::max_element(
      contours.begin(), contours.end(), [](const auto& a, const auto& b) {
        return std::pair(cv::contourArea(a), a.size()) < std::pair(cv::contourArea(b), b.size());
      });
  const Quad quad = MinAreaQuad(*largest, nullptr);
  std::vector<cv::Point2f> polygon(quad.begin(), quad.end());
  if (outline.polygon) {
    std::vector<cv::Point> points = *largest;
    if (outline.epsilon_ratio > 0) {
      std::vector<cv::Point> approx;
      cv::approxPolyDP(points, approx, outline.epsilon_ratio * cv::arcLength(points, true), true);
      if (approx.size() >= 4) points = std::move(approx);
    }
    if (points.size() < 4) return std::nullopt;
    polygon.assign(points.begin(), points.end());
  }
  std::vector<cv::Point2f> corners(quad.begin(), quad.end());
  ScaleAndClamp(corners, labels.size(), dest_size);
  ScaleAndClamp(polygon, labels.size(), dest_size);
  TextRegion region;
  std::copy(corners.begin(), corners.end(), region.quad.begin());
  region.polygon = std::move(polygon);
  region.score = score;
  return region;
}

}  // namespace ocr::detect
