// Reference: MMOCR 1.x mmocr/utils/polygon_utils.py poly_iou and
// BaseTextDetPostProcessor.poly_nms (v1.0, 2023); PaddleOCR locality_aware_nms.py (2.7).
#include "detect/polygon_nms.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <polyclipping/clipper.hpp>

namespace ocr::detect {
namespace {

constexpr double kGrid = 256.0;                 // Clipper units per pixel
constexpr float kMaxCoordinate = 16777216.0f;   // 2^24 px: anything larger is garbage

bool ToPath(const cv::Point2f* points, size_t n, ClipperLib::Path& path) {
  path.clear();
  path.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const cv::Point2f& p = points[i];
    // The negated comparison also rejects NaN.
    if (!(std::abs(p.x) <= kMaxCoordinate) || !(std::abs(p.y) <= kMaxCoordinate)) return false;
    path.emplace_back(static_cast<ClipperLib::cInt>(std::llround(p.x * kGrid)),
                      static_cast<ClipperLib::cInt>(std::llround(p.y * kGrid)));
  }
  return true;
}

// Net area of a Clipper solution: outer rings count positive, holes negative.
double NetArea(const ClipperLib::Paths& paths) {
  double area = 0;
  for (const auto& path : paths) area += ClipperLib::Area(path);
  return area;
}

bool BoxesOverlap(const ClipperLib::Path& a, const ClipperLib::Path& b) {
  auto bounds = [](const ClipperLib::Path& path) {
    ClipperLib::IntRect r{path[0].X, path[0].Y, path[0].X, path[0].Y};
    for (const auto& p : path) {
      r.left = std::min(r.left, p.X);
      r.right = std::max(r.right, p.X);
      r.top = std::min(r.top, p.Y);
      r.bottom = std::max(r.bottom, p.Y);
    }
    return r;
  };
  const ClipperLib::IntRect ra = bounds(a), rb = bounds(b);
  return ra.left < rb.right && rb.left < ra.right && ra.top < rb.bottom && rb.top < ra.bottom;
}

double Iou(const cv::Point2f* a, size_t na, const cv::Point2f* b, size_t nb) {
  if (na < 3 || nb < 3) return 0.0;
  ClipperLib::Path pa, pb;
  if (!ToPath(a, na, pa) || !ToPath(b, nb, pb)) return 0.0;
  if (!BoxesOverlap(pa, pb)) return 0.0;  // cheap exit; exact either way
  ClipperLib::Clipper clipper;
  clipper.AddPath(pa, ClipperLib::ptSubject, true);
  clipper.AddPath(pb, ClipperLib::ptClip, true);
  ClipperLib::Paths inter, uni;
  const auto fill = ClipperLib::pftNonZero;
  clipper.Execute(ClipperLib::ctIntersection, inter, fill, fill);
  clipper.Execute(ClipperLib::ctUnion, uni, fill, fill);
  const double union_area = NetArea(uni);
  if (!(union_area > 0)) return 0.0;
  return std::clamp(NetArea(inter) / union_area, 0.0, 1.0);
}

}  // namespace

double PolygonIou(const std::vector<cv::Point2f>& a, const std::vector<cv::Point2f>& b) {
  return Iou(a.data(), a.size(), b.data(), b.size());
}

double PolygonIou(const Quad& a, const Quad& b) { return Iou(a.data(), 4, b.data(), 4); }

std::vector<size_t> PolygonNms(const std::vector<std::vector<cv::Point2f>>& polygons,
                               const std::vector<float>& scores, float iou_threshold) {
  const size_t n = std::min(polygons.size(), scores.size());
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  const float lowest = -std::numeric_limits<float>::infinity();
  auto key = [&](size_t i) { return std::isnan(scores[i]) ? lowest : scores[i]; };
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return key(a) != key(b) ? key(a) > key(b) : a > b;
  });
  std::vector<size_t> keep;
  std::vector<bool> removed(n, false);
  for (size_t i = 0; i < n; ++i) {
    if (removed[i]) continue;
    const size_t best = order[i];
    keep.push_back(best);
    for (size_t j = i + 1; j < n; ++j) {
      if (!removed[j] && PolygonIou(polygons[best], polygons[order[j]]) > iou_threshold) {
        removed[j] = true;
      }
    }
  }
  return keep;
}

}  // namespace ocr::detect
