// Reference: PaddleOCR ppocr/postprocess/east_postprocess.py EASTPostProcess and
// locality_aware_nms.py nms_locality (release 2.7, 2023).
#include "detect/east.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.h"
#include "detect/geometry.h"
#include "detect/polygon_nms.h"

namespace ocr::detect {
namespace {

constexpr int kGeometryChannels = 8;
constexpr float kMaxCoordinate = 16777216.0f;  // 2^24 px

struct Candidate {
  Quad quad;
  double score = 0;
};

void Require(bool ok, const std::string& what, double got) {
  if (!ok) {
    throw Error(ErrorCode::kInvalidOption, "EastParams." + what + ", got " + std::to_string(got));
  }
}

void RequireMap(const cv::Mat& map, cv::Size size, const std::string& name) {
  if (map.type() != CV_32FC1) {
    throw Error(ErrorCode::kInternal, "EAST post-processing needs CV_32FC1 maps, " + name +
                                          " has type " + std::to_string(map.type()));
  }
  if (map.size() != size) {
    auto text = [](cv::Size s) { return std::to_string(s.width) + "x" + std::to_string(s.height); };
    throw Error(ErrorCode::kModelShape,
                "EAST " + name + " is " + text(map.size()) + ", the score map " + text(size));
  }
}

void Validate(const cv::Mat& score, const std::vector<cv::Mat>& geometry, const EastParams& params,
              cv::Size input_size, cv::Size dest_size) {
  Require(std::isfinite(params.score_threshold) && params.score_threshold >= 0,
          "score_threshold must be a finite number >= 0", params.score_threshold);
  Require(std::isfinite(params.cover_threshold), "cover_threshold must be a finite number",
          params.cover_threshold);
  Require(params.nms_threshold >= 0 && params.nms_threshold <= 1,
          "nms_threshold must be a number in [0, 1]", params.nms_threshold);
  Require(params.stride >= 1, "stride must be >= 1", params.stride);
  Require(std::isfinite(params.min_edge) && params.min_edge >= 0,
          "min_edge must be a finite number >= 0", params.min_edge);
  Require(input_size.width > 0 && input_size.height > 0, "input_size must be positive",
          std::min(input_size.width, input_size.height));
  Require(dest_size.width > 0 && dest_size.height > 0, "dest_size must be positive",
          std::min(dest_size.width, dest_size.height));
  if (score.empty()) return;
  RequireMap(score, score.size(), "score map");
  if (geometry.size() != kGeometryChannels) {
    throw Error(ErrorCode::kModelShape, "EAST geometry needs 8 maps, got " +
                                            std::to_string(geometry.size()));
  }
  for (size_t c = 0; c < geometry.size(); ++c) {
    RequireMap(geometry[c], score.size(), "geometry map " + std::to_string(c));
  }
}

// A copy of the score map with NaN and +-Inf replaced by 0.
cv::Mat FiniteScores(const cv::Mat& score) {
  cv::Mat clean = score.clone();
  for (int y = 0; y < clean.rows; ++y) {
    float* row = clean.ptr<float>(y);
    for (int x = 0; x < clean.cols; ++x) {
      if (!std::isfinite(row[x])) row[x] = 0.0f;
    }
  }
  return clean;
}

// Reference: detect() (argwhere + restore_rectangle_quad): corner i of the
// pixel (col, row) is stride * (col, row) - geometry[2i .. 2i+1].
std::vector<Candidate> Proposals(const cv::Mat& score, const std::vector<cv::Mat>& geometry,
                                 float threshold, int stride) {
  std::vector<Candidate> candidates;
  for (int y = 0; y < score.rows; ++y) {
    const float* row = score.ptr<float>(y);
    for (int x = 0; x < score.cols; ++x) {
      if (!(row[x] > threshold)) continue;
      Candidate c;
      c.score = row[x];
      bool valid = true;
      for (int i = 0; i < 4 && valid; ++i) {
        const float px = static_cast<float>(stride * x) - geometry[2 * i].at<float>(y, x);
        const float py = static_cast<float>(stride * y) - geometry[2 * i + 1].at<float>(y, x);
        valid = std::abs(px) <= kMaxCoordinate && std::abs(py) <= kMaxCoordinate;  // NaN fails
        c.quad[i] = {px, py};
      }
      if (valid) candidates.push_back(c);
    }
  }
  return candidates;
}

// Reference: weighted_merge: corners averaged by score, scores summed.
Candidate WeightedMerge(const Candidate& g, const Candidate& p) {
  Candidate merged;
  const double total = g.score + p.score;
  for (int i = 0; i < 4; ++i) {
    merged.quad[i].x = static_cast<float>((g.score * g.quad[i].x + p.score * p.quad[i].x) / total);
    merged.quad[i].y = static_cast<float>((g.score * g.quad[i].y + p.score * p.quad[i].y) / total);
  }
  merged.score = total;
  return merged;
}

// Reference: nms_locality: merge consecutive quads, then standard NMS.
std::vector<Candidate> LocalityAwareNms(const std::vector<Candidate>& candidates, float threshold,
                                        const CancelToken* cancel) {
  std::vector<Candidate> merged;
  for (const Candidate& g : candidates) {
    if (!merged.empty() && PolygonIou(g.quad, merged.back().quad) > threshold) {
      merged.back() = WeightedMerge(g, merged.back());
    } else {
      merged.push_back(g);
    }
  }
  std::vector<std::vector<cv::Point2f>> polygons;
  std::vector<float> scores;
  for (const Candidate& c : merged) {
    polygons.emplace_back(c.quad.begin(), c.quad.end());
    scores.push_back(static_cast<float>(c.score));
  }
  std::vector<Candidate> kept;
  for (size_t i : PolygonNms(polygons, scores, threshold, cancel)) kept.push_back(merged[i]);
  return kept;
}

// Reference: detect(): fillPoly(box.astype(int32) // 4) on the score map, then
// cv2.mean inside it. Truncation toward zero, then floor division.
float CoverScore(const cv::Mat& score, const Quad& quad, int stride) {
  auto floor_div = [stride](float v) {
    const int t = static_cast<int>(v);  // |v| <= 2^24, checked by Proposals
    return t / stride - ((t % stride != 0) && (t < 0) ? 1 : 0);
  };
  std::vector<cv::Point> points;
  for (const cv::Point2f& p : quad) points.emplace_back(floor_div(p.x), floor_div(p.y));
  return PolygonMeanScore(score, points);
}

double TwiceSignedArea(const Quad& q) {
  double s = 0;
  for (int i = 0; i < 4; ++i) {
    s += double(q[i].x) * q[(i + 1) % 4].y - double(q[(i + 1) % 4].x) * q[i].y;
  }
  return s;
}

// Clockwise (y down), starting at the least x + y corner, or at the one
// before it when the first edge is not more horizontal than vertical.
Quad OrderCorners(Quad q) {
  if (TwiceSignedArea(q) < 0) std::reverse(q.begin(), q.end());
  int start = 0;
  for (int i = 1; i < 4; ++i) {
    if (q[i].x + q[i].y < q[start].x + q[start].y) start = i;
  }
  const cv::Point2f edge = q[(start + 1) % 4] - q[start];
  if (!(std::abs(edge.x) > std::abs(edge.y))) start = (start + 3) % 4;
  std::rotate(q.begin(), q.begin() + start, q.end());
  return q;
}

bool EdgesAtLeast(const Quad& q, float min_edge) {
  for (int i = 0; i < 4; ++i) {
    const cv::Point2f d = q[(i + 1) % 4] - q[i];
    if (Length(d.x, d.y) < min_edge) return false;
  }
  return true;
}

}  // namespace

std::vector<TextRegion> EastPostprocess(const cv::Mat& score, const std::vector<cv::Mat>& geometry,
                                        const EastParams& params, cv::Size input_size,
                                        cv::Size dest_size, const CancelToken* cancel) {
  Validate(score, geometry, params, input_size, dest_size);
  if (score.empty()) return {};
  const cv::Mat clean = FiniteScores(score);
  const auto candidates = Proposals(clean, geometry, params.score_threshold, params.stride);
  std::vector<TextRegion> regions;
  for (const Candidate& c : LocalityAwareNms(candidates, params.nms_threshold, cancel)) {
    const float cover = CoverScore(clean, c.quad, params.stride);
    if (!(cover > params.cover_threshold)) continue;
    std::vector<cv::Point2f> corners(c.quad.begin(), c.quad.end());
    ScaleAndClamp(corners, input_size, dest_size, /*truncate=*/true);  // PaddleOCR: astype(int32)
    Quad quad;
    std::copy(corners.begin(), corners.end(), quad.begin());
    quad = OrderCorners(quad);
    if (!EdgesAtLeast(quad, params.min_edge)) continue;
    TextRegion region;
    region.quad = quad;
    region.polygon.assign(quad.begin(), quad.end());
    region.score = cover;
    regions.push_back(std::move(region));
  }
  return regions;
}

}  // namespace ocr::detect
