// Reference: MMOCR 1.x pse_postprocessor.py (1.x branch, 2022) and PaddleOCR
// pse_postprocess/pse/pse.pyx (release 2.7, 2023); differences in pse.h.
#include "detect/pse.h"

#include <cmath>
#include <cstdint>
#include <string>

#include <opencv2/imgproc.hpp>

#include "core/error.h"
#include "detect/geometry.h"

namespace ocr::detect {
namespace {

void Require(bool ok, const std::string& what, double got) {
  if (!ok) throw Error(ErrorCode::kInvalidOption, "PseParams." + what + ", got " + std::to_string(got));
}

// The maps come from the runtime (float32 tensors of one shape), so a bad
// map is a pipeline bug, kInternal; thresholds and sizes are options.
void Validate(const std::vector<cv::Mat>& maps, const PseParams& params, cv::Size dest_size) {
  if (maps.empty()) throw Error(ErrorCode::kInternal, "PSE post-processing needs at least 1 map, got 0");
  for (size_t i = 0; i < maps.size(); ++i) {
    if (maps[i].type() != CV_32FC1 && !maps[i].empty()) {
      throw Error(ErrorCode::kInternal, "PSE post-processing needs CV_32FC1 maps, map " + std::to_string(i) +
                                            " has type " + std::to_string(maps[i].type()));
    }
    if (maps[i].size() != maps[0].size()) {
      throw Error(ErrorCode::kInternal, "PSE post-processing needs maps of one size, map " +
                                            std::to_string(i) + " is " + std::to_string(maps[i].cols) + "x" +
                                            std::to_string(maps[i].rows) + ", map 0 is " +
                                            std::to_string(maps[0].cols) + "x" + std::to_string(maps[0].rows));
    }
  }
  Require(std::isfinite(params.min_kernel_confidence), "min_kernel_confidence must be a finite number",
          params.min_kernel_confidence);
  Require(std::isfinite(params.score_threshold), "score_threshold must be a finite number",
          params.score_threshold);
  Require(params.min_kernel_area >= 0, "min_kernel_area must be >= 0", params.min_kernel_area);
  Require(params.min_text_area >= 0, "min_text_area must be >= 0", params.min_text_area);
  Require(std::isfinite(params.epsilon_ratio) && params.epsilon_ratio >= 0,
          "epsilon_ratio must be a finite number >= 0", params.epsilon_ratio);
  Require(dest_size.width > 0, "dest_size.width must be > 0", dest_size.width);
  Require(dest_size.height > 0, "dest_size.height must be > 0", dest_size.height);
}

// masks[0] = text = p0 > thr; masks[i] = p_i > thr AND text (0/255).
std::vector<cv::Mat> KernelMasks(const std::vector<cv::Mat>& maps, const cv::Mat& text_prob,
                                 const PseParams& params) {
  std::vector<cv::Mat> masks(maps.size());
  cv::compare(text_prob, params.min_kernel_confidence, masks[0], cv::CMP_GT);
  for (size_t i = 1; i < maps.size(); ++i) {
    masks[i] = ProbabilityAbove(maps[i], params.apply_sigmoid, params.min_kernel_confidence, masks[0]);
  }
  return masks;
}

// Labels the 4-connected components of `smallest`; those with fewer than
// `min_area` pixels are cleared to 0. Returns the label count (incl. 0).
int SeedLabels(const cv::Mat& smallest, int min_area, cv::Mat& labels) {
  if (min_area == 0) return cv::connectedComponents(smallest, labels, 4, CV_32S);
  cv::Mat stats, centroids;
  const int count = cv::connectedComponentsWithStats(smallest, labels, stats, centroids, 4, CV_32S);
  for (int y = 0; y < labels.rows; ++y) {
    int32_t* row = labels.ptr<int32_t>(y);
    for (int x = 0; x < labels.cols; ++x) {
      if (row[x] > 0 && stats.at<int>(row[x], cv::CC_STAT_AREA) < min_area) row[x] = 0;
    }
  }
  return count;
}

// Progressive scale expansion: the labelled pixels of `labels` grow
// breadth-first (4-neighbours: up, down, left, right) into masks[C-2], then
// masks[C-3], ..., masks[0]; the first instance to reach a pixel keeps it.
// After each kernel, pixels that still touch an unlabelled pixel outside it
// carry over as the next kernel's frontier.
void Expand(const std::vector<cv::Mat>& masks, cv::Mat& labels) {
  const int width = labels.cols, height = labels.rows;
  int32_t* label = labels.ptr<int32_t>();  // continuous: made by connectedComponents
  std::vector<int> frontier, next;
  for (int p = 0; p < width * height; ++p) {
    if (label[p] > 0) frontier.push_back(p);
  }
  for (int k = static_cast<int>(masks.size()) - 2; k >= 0; --k) {
    const uint8_t* mask = masks[k].ptr<uint8_t>();  // continuous: made by cv::compare
    next.clear();
    for (size_t q = 0; q < frontier.size(); ++q) {  // grows while we walk it
      const int p = frontier[q];
      const int x = p % width, y = p / width;
      bool open = false;
      auto visit = [&](int n) {
        if (label[n] != 0) return;
        if (mask[n] == 0) {
          open = true;
          return;
        }
        label[n] = label[p];
        frontier.push_back(n);
      };
      if (y > 0) visit(p - width);
      if (y + 1 < height) visit(p + width);
      if (x > 0) visit(p - 1);
      if (x + 1 < width) visit(p + 1);
      if (open) next.push_back(p);
    }
    frontier.swap(next);
  }
}

}  // namespace

std::vector<TextRegion> PsePostprocess(const std::vector<cv::Mat>& maps, const PseParams& params,
                                       cv::Size dest_size) {
  Validate(maps, params, dest_size);
  if (maps[0].empty()) return {};
  const cv::Mat text_prob = FiniteProbability(maps[0], params.apply_sigmoid);
  const std::vector<cv::Mat> masks = KernelMasks(maps, text_prob, params);
  cv::Mat labels;
  const int count = SeedLabels(masks.back(), params.min_kernel_area, labels);
  Expand(masks, labels);
  const std::vector<LabelStats> stats = MeasureLabels(labels, count, text_prob);
  const OutlineParams outline{params.box_type == BoxType::kPolygon, params.epsilon_ratio};
  std::vector<TextRegion> regions;
  for (int l = 1; l < count; ++l) {
    const LabelStats& instance = stats[l];
    if (instance.area == 0) continue;  // a seed cleared by min_kernel_area
    const float score = static_cast<float>(instance.score_sum / instance.area);
    // Either condition drops (PaddleOCR); MMOCR 1.x needs both: see pse.h.
    if (instance.area < params.min_text_area || score < params.score_threshold) continue;
    auto region = LabelRegion(labels, l, instance.box, outline, score, dest_size);
    if (region) regions.push_back(std::move(*region));
  }
  return regions;
}

}  // namespace ocr::detect
