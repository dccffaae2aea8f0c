// Reference: MMOCR 1.x pan_postprocessor.py (1.x branch, 2022) and mmcv
// ops/csrc/pytorch/cpu/pixel_group.cpp; differences in pan.h.
#include "detect/pan.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include <opencv2/imgproc.hpp>

#include "core/error.h"
#include "detect/geometry.h"

namespace ocr::detect {
namespace {

constexpr size_t kFirstEmbedding = 2;  // maps[0] text, maps[1] kernel

void Require(bool ok, const std::string& what, double got) {
  if (!ok) throw Error(ErrorCode::kInvalidOption, "PanParams." + what + ", got " + std::to_string(got));
}

// The maps come from the runtime (float32 tensors of one shape), so a bad
// map is a pipeline bug, kInternal; thresholds and sizes are options.
void ValidateMaps(const std::vector<cv::Mat>& maps) {
  if (maps.size() <= kFirstEmbedding) {
    throw Error(ErrorCode::kInternal,
                "PAN post-processing needs a text, a kernel and at least 1 embedding map, got " +
                    std::to_string(maps.size()) + " maps");
  }
  for (size_t i = 0; i < maps.size(); ++i) {
    if (maps[i].type() != CV_32FC1 && !maps[i].empty()) {
      throw Error(ErrorCode::kInternal, "PAN post-processing needs CV_32FC1 maps, map " + std::to_string(i) +
                                            " has type " + std::to_string(maps[i].type()));
    }
    if (maps[i].size() != maps[0].size()) {
      throw Error(ErrorCode::kInternal, "PAN post-processing needs maps of one size, map " +
                                            std::to_string(i) + " is " + std::to_string(maps[i].cols) + "x" +
                                            std::to_string(maps[i].rows) + ", map 0 is " +
                                            std::to_string(maps[0].cols) + "x" + std::to_string(maps[0].rows));
    }
  }
}

void Validate(const std::vector<cv::Mat>& maps, const PanParams& params, cv::Size dest_size) {
  ValidateMaps(maps);
  Require(std::isfinite(params.min_text_confidence), "min_text_confidence must be a finite number",
          params.min_text_confidence);
  Require(std::isfinite(params.min_kernel_confidence), "min_kernel_confidence must be a finite number",
          params.min_kernel_confidence);
  Require(std::isfinite(params.distance_threshold) && params.distance_threshold >= 0,
          "distance_threshold must be a finite number >= 0", params.distance_threshold);
  Require(params.min_kernel_area >= 0, "min_kernel_area must be >= 0", params.min_kernel_area);
  Require(std::isfinite(params.score_threshold), "score_threshold must be a finite number",
          params.score_threshold);
  Require(params.min_text_area >= 0, "min_text_area must be >= 0", params.min_text_area);
  Require(std::isfinite(params.epsilon_ratio) && params.epsilon_ratio >= 0,
          "epsilon_ratio must be a finite number >= 0", params.epsilon_ratio);
  Require(dest_size.width > 0, "dest_size.width must be > 0", dest_size.width);
  Require(dest_size.height > 0, "dest_size.height must be > 0", dest_size.height);
}

// The embedding maps, read at (x, y).
class Embedding {
 public:
  explicit Embedding(const std::vector<cv::Mat>& maps)
      : maps_(maps.begin() + kFirstEmbedding, maps.end()) {}
  size_t dims() const { return maps_.size(); }
  float at(size_t d, int x, int y) const { return maps_[d].ptr<float>(y)[x]; }
  bool Finite(int x, int y) const {
    for (size_t d = 0; d < maps_.size(); ++d) {
      if (!std::isfinite(at(d, x, y))) return false;
    }
    return true;
  }
  // Squared distance between the embedding at (x, y) and `mean`.
  double Distance2(int x, int y, const double* mean) const {
    double s = 0;
    for (size_t d = 0; d < maps_.size(); ++d) {
      const double diff = double(at(d, x, y)) - mean[d];
      s += diff * diff;
    }
    return s;
  }

 private:
  std::vector<cv::Mat> maps_;
};

// text = p0 > min_text_confidence, minus pixels with a non-finite embedding (0/255).
cv::Mat TextMask(const cv::Mat& text_prob, const Embedding& embedding, float threshold) {
  cv::Mat text;
  cv::compare(text_prob, threshold, text, cv::CMP_GT);
  for (int y = 0; y < text.rows; ++y) {
    uint8_t* row = text.ptr<uint8_t>(y);
    for (int x = 0; x < text.cols; ++x) {
      if (row[x] && !embedding.Finite(x, y)) row[x] = 0;
    }
  }
  return text;
}

// Mean embedding of each kernel (count x dims, row 0 unused). Kernels with
// fewer than `min_area` pixels are cleared from `labels`.
std::vector<double> KernelMeans(cv::Mat& labels, int count, const Embedding& embedding, int min_area) {
  const size_t dims = embedding.dims();
  std::vector<double> means(static_cast<size_t>(count) * dims, 0.0);
  std::vector<int> area(static_cast<size_t>(count), 0);
  for (int y = 0; y < labels.rows; ++y) {
    const int32_t* row = labels.ptr<int32_t>(y);
    for (int x = 0; x < labels.cols; ++x) {
      if (row[x] <= 0) continue;
      ++area[row[x]];
      for (size_t d = 0; d < dims; ++d) means[row[x] * dims + d] += embedding.at(d, x, y);
    }
  }
  for (int l = 1; l < count; ++l) {
    for (size_t d = 0; d < dims; ++d) means[l * dims + d] /= std::max(area[l], 1);
  }
  if (min_area == 0) return means;
  for (int y = 0; y < labels.rows; ++y) {
    int32_t* row = labels.ptr<int32_t>(y);
    for (int x = 0; x < labels.cols; ++x) {
      if (row[x] > 0 && area[row[x]] < min_area) row[x] = 0;
    }
  }
  return means;
}

// Pixel aggregation (mmcv pixel_group): breadth-first from every kernel pixel
// through 4-neighbours (left, right, up, down, as mmcv) into unlabelled text
// pixels whose embedding is within `distance` of the kernel's mean.
void Aggregate(const cv::Mat& text, const Embedding& embedding, const std::vector<double>& means,
               float distance, cv::Mat& labels) {
  const int width = labels.cols, height = labels.rows;
  int32_t* label = labels.ptr<int32_t>();       // continuous: made by connectedComponents
  const uint8_t* is_text = text.ptr<uint8_t>();  // continuous: made by cv::compare
  const double limit = double(distance) * distance;
  const size_t dims = embedding.dims();
  std::vector<int> queue;
  for (int p = 0; p < width * height; ++p) {
    if (label[p] > 0) queue.push_back(p);
  }
  for (size_t q = 0; q < queue.size(); ++q) {  // grows while we walk it
    const int p = queue[q];
    const int x = p % width, y = p / width;
    const double* mean = &means[label[p] * dims];
    auto visit = [&](int nx, int ny) {
      const int n = ny * width + nx;
      if (!is_text[n] || label[n] != 0) return;
      if (!(embedding.Distance2(nx, ny, mean) < limit)) return;
      label[n] = label[p];
      queue.push_back(n);
    };
    if (x > 0) visit(x - 1, y);
    if (x + 1 < width) visit(x + 1, y);
    if (y > 0) visit(x, y - 1);
    if (y + 1 < height) visit(x, y + 1);
  }
}

}  // namespace

std::vector<TextRegion> PanPostprocess(const std::vector<cv::Mat>& maps, const PanParams& params,
                                       cv::Size dest_size) {
  Validate(maps, params, dest_size);
  if (maps[0].empty()) return {};
  const Embedding embedding(maps);
  const cv::Mat text_prob = FiniteProbability(maps[0], params.apply_sigmoid);
  const cv::Mat text = TextMask(text_prob, embedding, params.min_text_confidence);
  cv::Mat kernel = ProbabilityAbove(maps[1], params.apply_sigmoid, params.min_kernel_confidence, text);
  cv::Mat labels;
  const int count = cv::connectedComponents(kernel, labels, 4, CV_32S);
  const std::vector<double> means = KernelMeans(labels, count, embedding, params.min_kernel_area);
  Aggregate(text, embedding, means, params.distance_threshold, labels);
  const std::vector<LabelStats> stats = MeasureLabels(labels, count, text_prob);
  const OutlineParams outline{params.box_type == BoxType::kPolygon, params.epsilon_ratio};
  std::vector<TextRegion> regions;
  for (int l = 1; l < count; ++l) {
    const LabelStats& instance = stats[l];
    if (instance.area == 0) continue;  // a kernel cleared by min_kernel_area
    const float score = static_cast<float>(instance.score_sum / instance.area);
    if (instance.area < params.min_text_area || score <= params.score_threshold) continue;
    auto region = LabelRegion(labels, l, instance.box, outline, score, dest_size);
    if (region) regions.push_back(std::move(*region));
  }
  return regions;
}

}  // namespace ocr::detect
