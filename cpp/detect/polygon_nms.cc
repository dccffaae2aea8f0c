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

// A polygon on the Clipper grid with its bounding box; `valid` is false for
// fewer than 3 points or a coordinate that is non-finite or beyond 2^24 px.
struct GridPolygon {
  ClipperLib::Path path;
  ClipperLib::IntRect box{0, 0, 0, 0};
  bool valid = false;
};

GridPolygon ToGrid(const cv::Point2f* points, size_t n) {
  GridPolygon g;
  if (n < 3) return g;
  g.path.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const cv::Point2f& p = points[i];
    // The negated comparison also rejects NaN.
    if (!(std::abs(p.x) <= kMaxCoordinate) || !(std::abs(p.y) <= kMaxCoordinate)) return g;
    g.path.emplace_back(static_cast<ClipperLib::cInt>(std::llround(p.x * kGrid)),
                        static_cast<ClipperLib::cInt>(std::llround(p.y * kGrid)));
  }
  g.box = {g.path[0].X, g.path[0].Y, g.path[0].X, g.path[0].Y};
  for (const auto& p : g.path) {
    g.box.left = std::min(g.box.left, p.X);
    g.box.right = std::max(g.box.right, p.X);
    g.box.top = std::min(g.box.top, p.Y);
    g.box.bottom = std::max(g.box.bottom, p.Y);
  }
  g.valid = true;
  return g;
}

// Net area of a Clipper solution: outer rings count positive, holes negative.
double NetArea(const ClipperLib::Paths& paths) {
  double area = 0;
  for (const auto& path : paths) area += ClipperLib::Area(path);
  return area;
}

bool BoxesOverlap(const ClipperLib::IntRect& a, const ClipperLib::IntRect& b) {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

// `clipper` is scratch space, reused between calls (cleared here).
double Iou(const GridPolygon& a, const GridPolygon& b, ClipperLib::Clipper& clipper) {
  if (!a.valid || !b.valid) return 0.0;
  if (!BoxesOverlap(a.box, b.box)) return 0.0;  // cheap exit; exact either way
  clipper.Clear();
  clipper.AddPath(a.path, ClipperLib::ptSubject, true);
  clipper.AddPath(b.path, ClipperLib::ptClip, true);
  ClipperLib::Paths inter, uni;
  const auto fill = ClipperLib::pftNonZero;
  clipper.Execute(ClipperLib::ctIntersection, inter, fill, fill);
  const double inter_area = NetArea(inter);
  if (!(inter_area > 0)) return 0.0;  // the IoU is 0 whatever the union
  clipper.Execute(ClipperLib::ctUnion, uni, fill, fill);
  const double union_area = NetArea(uni);
  if (!(union_area > 0)) return 0.0;
  return std::clamp(inter_area / union_area, 0.0, 1.0);
}

double Iou(const cv::Point2f* a, size_t na, const cv::Point2f* b, size_t nb) {
  ClipperLib::Clipper clipper;
  return Iou(ToGrid(a, na), ToGrid(b, nb), clipper);
}

}  // namespace

double PolygonIou(const std::vector<cv::Point2f>& a, const std::vector<cv::Point2f>& b) {
  return Iou(a.data(), a.size(), b.data(), b.size());
}

double PolygonIou(const Quad& a, const Quad& b) { return Iou(a.data(), 4, b.data(), 4); }

std::vector<size_t> PolygonNms(const std::vector<std::vector<cv::Point2f>>& polygons,
                               const std::vector<float>& scores, float iou_threshold, const CancelToken* cancel) {
  const size_t n = std::min(polygons.size(), scores.size());
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  const float lowest = -std::numeric_limits<float>::infinity();
  auto key = [&](size_t i) { return std::isnan(scores[i]) ? lowest : scores[i]; };
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return key(a) != key(b) ? key(a) > key(b) : a > b;
  });
  // Each polygon goes onto the Clipper grid once, in score order.
  std::vector<GridPolygon> grid(n);
  for (size_t i = 0; i < n; ++i) grid[i] = ToGrid(polygons[order[i]].data(), polygons[order[i]].size());
  ClipperLib::Clipper clipper;
  std::vector<size_t> keep;
  std::vector<bool> removed(n, false);
  for (size_t i = 0; i < n; ++i) {
    if (removed[i]) continue;
    if (cancel) cancel->ThrowIfCancelled();
    keep.push_back(order[i]);
    for (size_t j = i + 1; j < n; ++j) {
      if (!removed[j] && Iou(grid[i], grid[j], clipper) > iou_threshold) removed[j] = true;
    }
  }
  return keep;
}

}  // namespace ocr::detect
