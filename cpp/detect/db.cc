// Reference: PaddleOCR ppocr/postprocess/db_postprocess.py DBPostProcess (release 2.7, 2023).
#include "detect/db.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include <opencv2/imgproc.hpp>

#include "core/error.h"
#include "detect/geometry.h"
#include "detect/line_merge.h"

namespace ocr::detect {
namespace {

void Require(bool ok, const std::string& what, double got) {
  if (!ok) throw Error(ErrorCode::kInvalidOption, "DbParams." + what + ", got " + std::to_string(got));
}

// A map of the wrong type is a pipeline bug (the runtime hands us float32
// model outputs), hence kInternal; bad thresholds or sizes are the caller's
// options, hence kInvalidOption.
void Validate(const cv::Mat& prob, const DbParams& params, cv::Size dest_size) {
  if (!prob.empty() && prob.type() != CV_32FC1) {
    throw Error(ErrorCode::kInternal, "DB post-processing needs a CV_32FC1 probability map, got type " +
                                          std::to_string(prob.type()));
  }
  Require(std::isfinite(params.threshold), "threshold must be a finite number", params.threshold);
  Require(std::isfinite(params.box_threshold), "box_threshold must be a finite number",
          params.box_threshold);
  Require(std::isfinite(params.unclip_ratio) && params.unclip_ratio > 0,
          "unclip_ratio must be a finite number > 0", params.unclip_ratio);
  Require(params.max_candidates >= 0, "max_candidates must be >= 0", params.max_candidates);
  Require(std::isfinite(params.min_size) && params.min_size >= 0, "min_size must be a finite number >= 0",
          params.min_size);
  Require(std::isfinite(params.end_padding) && params.end_padding >= 0,
          "end_padding must be a finite number >= 0", params.end_padding);
  Require(std::isfinite(params.merge_gap) && params.merge_gap >= 0, "merge_gap must be a finite number >= 0",
          params.merge_gap);
  Require(dest_size.width > 0, "dest_size.width must be > 0", dest_size.width);
  Require(dest_size.height > 0, "dest_size.height must be > 0", dest_size.height);
}

// One pass: binary = prob > threshold (0/255). Returns false if any value is
// NaN or +-Inf (all exponent bits set). The loop vectorises: an integer bit
// test, and the width in a local (a uint8_t store could alias prob.cols).
bool BinarizeFinite(const cv::Mat& prob, float threshold, cv::Mat& binary) {
  const int width = prob.cols;
  uint32_t non_finite = 0;
  for (int y = 0; y < prob.rows; ++y) {
    const float* in = prob.ptr<float>(y);
    uint8_t* out = binary.ptr<uint8_t>(y);
    for (int x = 0; x < width; ++x) {
      const float v = in[x];
      uint32_t bits;
      std::memcpy(&bits, &v, sizeof bits);
      out[x] = v > threshold ? 255 : 0;
      non_finite |= (~bits & 0x7f800000u) == 0;
    }
  }
  return non_finite == 0;
}

// Binary map of `prob`. Non-finite values count as 0 (deliberate: PaddleOCR
// lets +Inf pass the threshold and NaN poison scores): they are zeroed in a
// copy, `clean`, which then serves for scoring; `clean` stays empty otherwise.
cv::Mat Binarize(const cv::Mat& prob, float threshold, cv::Mat& clean) {
  cv::Mat binary(prob.size(), CV_8UC1);
  if (BinarizeFinite(prob, threshold, binary)) return binary;
  clean = prob.clone();
  for (int y = 0; y < clean.rows; ++y) {
    float* row = clean.ptr<float>(y);
    for (int x = 0; x < clean.cols; ++x) {
      if ((row[x] - row[x]) != 0.0f) row[x] = 0.0f;
    }
  }
  BinarizeFinite(clean, threshold, binary);
  return binary;
}

TextRegion MakeRegion(const Quad& quad, std::vector<cv::Point2f> polygon, float score,
                      cv::Size map_size, cv::Size dest_size) {
  // A positive per-axis scale keeps the clockwise TL, TR, BR, BL order.
  std::vector<cv::Point2f> corners(quad.begin(), quad.end());
  ScaleAndClamp(corners, map_size, dest_size);
  ScaleAndClamp(polygon, map_size, dest_size);
  TextRegion region;
  std::copy(corners.begin(), corners.end(), region.quad.begin());
  region.polygon = std::move(polygon);
  region.score = score;
  return region;
}

// A box before end padding, in map coordinates.
struct QuadCandidate {
  Quad quad;
  float score = 0;
};

// Reference: boxes_from_bitmap (quad path), up to the unclipped box.
std::optional<QuadCandidate> QuadBox(const cv::Mat& prob, const std::vector<cv::Point>& contour,
                                     const DbParams& params) {
  float short_side = 0;
  const Quad quad = MinAreaQuad(contour, &short_side);
  if (short_side < params.min_size) return std::nullopt;
  const std::vector<cv::Point2f> corners(quad.begin(), quad.end());
  // Fast: the mean is taken within the bounding box of the quad (not of the
  // contour), over the filled quad. Slow: the filled contour, its own bbox.
  const float score = params.score_mode == ScoreMode::kFast ? PolygonMeanScore(prob, corners)
                                                            : PolygonMeanScore(prob, contour);
  if (params.box_threshold > score) return std::nullopt;
  // PaddleOCR reshapes all offset paths into one point set; a quad with a
  // short side >= min_size gives exactly one path, but we follow it anyway.
  std::vector<cv::Point2f> grown;
  for (const auto& path : Unclip(corners, params.unclip_ratio)) {
    grown.insert(grown.end(), path.begin(), path.end());
  }
  if (grown.empty()) return std::nullopt;
  const Quad unclipped = MinAreaQuad(grown, &short_side);
  if (short_side < params.min_size + 2) return std::nullopt;
  return QuadCandidate{unclipped, score};
}

TextRegion QuadRegion(const QuadCandidate& c, const DbParams& params, cv::Size map_size, cv::Size dest_size) {
  const Quad box = LengthenQuad(c.quad, params.end_padding);
  return MakeRegion(box, std::vector<cv::Point2f>(box.begin(), box.end()), c.score, map_size, dest_size);
}

float QuadArea(const Quad& q) {
  return static_cast<float>(std::abs(cv::contourArea(std::vector<cv::Point2f>(q.begin(), q.end()))));
}

// Merges the candidates that continue one another along a line (params.merge_gap).
std::vector<QuadCandidate> MergeCandidates(const std::vector<QuadCandidate>& candidates, float merge_gap) {
  std::vector<Quad> quads;
  for (const auto& c : candidates) quads.push_back(c.quad);
  std::vector<QuadCandidate> merged;
  for (const QuadGroup& g : MergeLineQuads(quads, merge_gap)) {
    if (g.members.size() == 1) {
      merged.push_back(candidates[g.members[0]]);
      continue;
    }
    double weighted = 0, area = 0;
    for (size_t m : g.members) {
      const double a = std::max(QuadArea(candidates[m].quad), 1e-6f);
      weighted += a * candidates[m].score;
      area += a;
    }
    merged.push_back({g.quad, static_cast<float>(weighted / area)});
  }
  return merged;
}

// Reference: polygons_from_bitmap (poly path). As in PaddleOCR the score is
// always "fast" (on the approximated polygon), whatever score_mode says.
std::optional<TextRegion> PolygonRegion(const cv::Mat& prob, const std::vector<cv::Point>& contour,
                                        const DbParams& params, cv::Size dest_size) {
  std::vector<cv::Point> approx;
  cv::approxPolyDP(contour, approx, 0.002 * cv::arcLength(contour, true), true);
  if (approx.size() < 4) return std::nullopt;
  const float score = PolygonMeanScore(prob, approx);
  if (params.box_threshold > score) return std::nullopt;
  auto grown = Unclip(std::vector<cv::Point2f>(approx.begin(), approx.end()), params.unclip_ratio);
  // Split (> 1 path) is dropped as in PaddleOCR; vanished (0 paths, a
  // zero-area polygon) is dropped too, where PaddleOCR would raise.
  if (grown.size() != 1) return std::nullopt;
  float short_side = 0;
  const Quad box = MinAreaQuad(grown[0], &short_side);
  if (short_side < params.min_size + 2) return std::nullopt;
  return MakeRegion(box, std::move(grown[0]), score, prob.size(), dest_size);
}

}  // namespace

std::vector<TextRegion> DbPostprocess(const cv::Mat& prob, const DbParams& params,
                                      cv::Size dest_size) {
  Validate(prob, params, dest_size);
  if (prob.empty()) return {};
  cv::Mat clean;
  cv::Mat binary = Binarize(prob, params.threshold, clean);
  const cv::Mat& scores = clean.empty() ? prob : clean;
  if (params.use_dilation) cv::dilate(binary, binary, cv::Mat::ones(2, 2, CV_8UC1));
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(binary, contours, cv::RETR_LIST, cv::CHAIN_APPROX_SIMPLE);
  const size_t count = std::min(contours.size(), static_cast<size_t>(params.max_candidates));
  std::vector<TextRegion> regions;
  if (params.box_type == BoxType::kPolygon) {
    for (size_t i = 0; i < count; ++i) {
      if (auto region = PolygonRegion(scores, contours[i], params, dest_size)) regions.push_back(std::move(*region));
    }
    return regions;
  }
  std::vector<QuadCandidate> candidates;
  for (size_t i = 0; i < count; ++i) {
    if (auto c = QuadBox(scores, contours[i], params)) candidates.push_back(*c);
  }
  if (params.merge_gap > 0) candidates = MergeCandidates(candidates, params.merge_gap);
  for (const auto& c : candidates) regions.push_back(QuadRegion(c, params, prob.size(), dest_size));
  return regions;
}

}  // namespace ocr::detect
