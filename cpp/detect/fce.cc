// Reference: MMOCR 1.x fce_postprocessor.py FCEPostprocessor (v1.0, 2023) and
// PaddleOCR ppocr/postprocess/fce_postprocess.py FCEPostProcess (release 2.7, 2023).
#include "detect/fce.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <opencv2/imgproc.hpp>

#include "core/error.h"
#include "detect/geometry.h"
#include "detect/polygon_nms.h"

namespace ocr::detect {
namespace {

constexpr double kMaxCoordinate = 16777216.0;  // 2^24 px

using Polygon = std::vector<cv::Point2f>;

struct Proposals {
  std::vector<Polygon> polygons;
  std::vector<float> scores;

  void Append(Proposals&& other, const std::vector<size_t>& keep) {
    for (size_t i : keep) {
      polygons.push_back(std::move(other.polygons[i]));
      scores.push_back(other.scores[i]);
    }
  }
};

void Require(bool ok, const std::string& what, double got) {
  if (!ok) {
    throw Error(ErrorCode::kInvalidOption, "FceParams." + what + ", got " + std::to_string(got));
  }
}

void ValidateParams(const FceParams& params, cv::Size input_size, cv::Size dest_size) {
  Require(params.fourier_degree >= 1, "fourier_degree must be >= 1", params.fourier_degree);
  Require(params.num_points >= 2 * params.fourier_degree + 1,
          "num_points must be >= 2 * fourier_degree + 1", params.num_points);
  Require(std::isfinite(params.score_threshold), "score_threshold must be a finite number",
          params.score_threshold);
  Require(params.nms_threshold >= 0 && params.nms_threshold <= 1,
          "nms_threshold must be a number in [0, 1]", params.nms_threshold);
  Require(std::isfinite(params.alpha) && params.alpha >= 0, "alpha must be a finite number >= 0",
          params.alpha);
  Require(std::isfinite(params.beta) && params.beta >= 0, "beta must be a finite number >= 0",
          params.beta);
  Require(input_size.width > 0 && input_size.height > 0, "input_size must be positive",
          std::min(input_size.width, input_size.height));
  Require(dest_size.width > 0 && dest_size.height > 0, "dest_size must be positive",
          std::min(dest_size.width, dest_size.height));
}

std::vector<const cv::Mat*> Planes(const FceLevel& level) {
  std::vector<const cv::Mat*> planes = {&level.text_region[0], &level.text_region[1],
                                        &level.center_region[0], &level.center_region[1]};
  for (const cv::Mat& m : level.fourier_x) planes.push_back(&m);
  for (const cv::Mat& m : level.fourier_y) planes.push_back(&m);
  return planes;
}

// Returns false for a level without data (every plane empty).
bool ValidateLevel(const FceLevel& level, size_t index, int degree) {
  const std::string name = "FCE level " + std::to_string(index);
  Require(level.scale >= 1, "scale of level " + std::to_string(index) + " must be >= 1",
          level.scale);
  const size_t coefficients = static_cast<size_t>(2 * degree + 1);
  if (level.fourier_x.size() != coefficients || level.fourier_y.size() != coefficients) {
    throw Error(ErrorCode::kModelShape, name + " needs " + std::to_string(coefficients) +
                                            " Fourier planes per axis, got " +
                                            std::to_string(level.fourier_x.size()) + " and " +
                                            std::to_string(level.fourier_y.size()));
  }
  const auto planes = Planes(level);
  if (std::all_of(planes.begin(), planes.end(), [](auto* m) { return m->empty(); })) return false;
  const cv::Size size = planes[0]->size();
  for (const cv::Mat* m : planes) {
    if (m->empty() || m->size() != size) {
      auto text = [](cv::Size s) {
        return std::to_string(s.width) + "x" + std::to_string(s.height);
      };
      throw Error(ErrorCode::kModelShape, name + " has planes of different sizes (" +
                                              text(m->size()) + " vs " + text(size) + ")");
    }
    if (m->type() != CV_32FC1) {
      throw Error(ErrorCode::kInternal, name + " needs CV_32FC1 planes, got type " +
                                            std::to_string(m->type()));
    }
  }
  return true;
}

// p(class 1) of a 2-class softmax; NaN when a logit is not finite.
float Softmax1(float background, float foreground) {
  if (!std::isfinite(background) || !std::isfinite(foreground)) {
    return std::numeric_limits<float>::quiet_NaN();
  }
  return 1.0f / (1.0f + std::exp(background - foreground));
}

// score = p_text^alpha * p_center^beta; non-finite results become 0.
cv::Mat ScoreMap(const FceLevel& level, float alpha, float beta) {
  cv::Mat score(level.text_region[0].size(), CV_32FC1);
  const auto& [tr_bg, tr_fg] = level.text_region;
  const auto& [tcl_bg, tcl_fg] = level.center_region;
  for (int y = 0; y < score.rows; ++y) {
    float* out = score.ptr<float>(y);
    for (int x = 0; x < score.cols; ++x) {
      const float tr = Softmax1(tr_bg.at<float>(y, x), tr_fg.at<float>(y, x));
      const float tcl = Softmax1(tcl_bg.at<float>(y, x), tcl_fg.at<float>(y, x));
      const float s = std::pow(tr, alpha) * std::pow(tcl, beta);
      out[x] = std::isfinite(s) ? s : 0.0f;
    }
  }
  return score;
}

// Reference: fill_hole: background that a 4-connected flood fill from outside
// the map cannot reach becomes foreground.
cv::Mat FillHoles(const cv::Mat& mask) {
  cv::Mat canvas = cv::Mat::zeros(mask.rows + 2, mask.cols + 2, CV_8UC1);
  mask.copyTo(canvas(cv::Rect(1, 1, mask.cols, mask.rows)));
  cv::floodFill(canvas, cv::Point(0, 0), cv::Scalar(2), nullptr, cv::Scalar(0), cv::Scalar(0), 4);
  return canvas(cv::Rect(1, 1, mask.cols, mask.rows)) != 2;
}

// e^{2 pi i m j / n} for j = 0..n-1, m = -k..k, row-major by j.
struct FourierBasis {
  int degree = 0;
  int points = 0;
  std::vector<double> cos, sin;

  FourierBasis(int k, int n) : degree(k), points(n) {
    const int terms = 2 * k + 1;
    cos.resize(static_cast<size_t>(n) * terms);
    sin.resize(cos.size());
    for (int j = 0; j < n; ++j) {
      for (int m = -k; m <= k; ++m) {
        const double angle = 2.0 * CV_PI * m * j / n;
        cos[static_cast<size_t>(j) * terms + (m + k)] = std::cos(angle);
        sin[static_cast<size_t>(j) * terms + (m + k)] = std::sin(angle);
      }
    }
  }
};

// Reference: _fourier2poly on c = scale * (x + i y), c_0 += (col + i row).
// False when a coefficient is not finite or a point is out of range.
bool ReconstructPolygon(const FceLevel& level, int row, int col, const FourierBasis& basis,
                        std::vector<double>& re, std::vector<double>& im, Polygon& polygon) {
  const int terms = 2 * basis.degree + 1;
  re.resize(static_cast<size_t>(terms));
  im.resize(static_cast<size_t>(terms));
  for (int t = 0; t < terms; ++t) {
    re[t] = level.fourier_x[t].at<float>(row, col);
    im[t] = level.fourier_y[t].at<float>(row, col);
  }
  re[basis.degree] += col;
  im[basis.degree] += row;
  polygon.resize(static_cast<size_t>(basis.points));
  for (int j = 0; j < basis.points; ++j) {
    const double* c = &basis.cos[static_cast<size_t>(j) * terms];
    const double* s = &basis.sin[static_cast<size_t>(j) * terms];
    double x = 0, y = 0;
    for (int t = 0; t < terms; ++t) {
      x += re[t] * c[t] - im[t] * s[t];
      y += re[t] * s[t] + im[t] * c[t];
    }
    x *= level.scale;
    y *= level.scale;
    if (!(std::abs(x) <= kMaxCoordinate) || !(std::abs(y) <= kMaxCoordinate)) return false;
    polygon[j] = {static_cast<float>(std::trunc(x)), static_cast<float>(std::trunc(y))};
  }
  return true;
}

// Reference: _get_text_instances_single: per instance NMS, then per level.
Proposals DecodeLevel(const FceLevel& level, const FceParams& params, const FourierBasis& basis,
                      const CancelToken* cancel) {
  const cv::Mat score = ScoreMap(level, params.alpha, params.beta);
  const cv::Mat filled = FillHoles(score > params.score_threshold);
  cv::Mat labels;
  const int count = cv::connectedComponents(filled, labels, 8, CV_32S);
  std::vector<std::vector<cv::Point>> instances(static_cast<size_t>(std::max(count - 1, 0)));
  for (int y = 0; y < labels.rows; ++y) {
    const int* row = labels.ptr<int>(y);
    const float* s = score.ptr<float>(y);
    for (int x = 0; x < labels.cols; ++x) {
      if (row[x] > 0 && s[x] > 0) instances[static_cast<size_t>(row[x] - 1)].emplace_back(x, y);
    }
  }
  Proposals level_proposals;
  for (const auto& pixels : instances) {
    Proposals instance;
    Polygon polygon;
    std::vector<double> re, im;
    for (const cv::Point& p : pixels) {
      if (!ReconstructPolygon(level, p.y, p.x, basis, re, im, polygon)) continue;
      instance.polygons.push_back(polygon);
      instance.scores.push_back(score.at<float>(p.y, p.x));
    }
    const auto keep = PolygonNms(instance.polygons, instance.scores, params.nms_threshold, cancel);
    level_proposals.Append(std::move(instance), keep);
  }
  Proposals kept;
  const auto keep =
      PolygonNms(level_proposals.polygons, level_proposals.scores, params.nms_threshold, cancel);
  kept.Append(std::move(level_proposals), keep);
  return kept;
}

TextRegion MakeRegion(Polygon polygon, float score, BoxType box_type, cv::Size input_size,
                      cv::Size dest_size) {
  const Quad quad = MinAreaQuad(polygon, nullptr);
  std::vector<cv::Point2f> corners(quad.begin(), quad.end());
  ScaleAndClamp(corners, input_size, dest_size);
  TextRegion region;
  std::copy(corners.begin(), corners.end(), region.quad.begin());
  if (box_type == BoxType::kQuad) {
    region.polygon = std::move(corners);
  } else {
    ScaleAndClamp(polygon, input_size, dest_size);
    region.polygon = std::move(polygon);
  }
  region.score = score;
  return region;
}

}  // namespace

std::vector<TextRegion> FcePostprocess(const std::vector<FceLevel>& levels, const FceParams& params,
                                       cv::Size input_size, cv::Size dest_size, const CancelToken* cancel) {
  ValidateParams(params, input_size, dest_size);
  std::vector<bool> has_data;
  for (size_t i = 0; i < levels.size(); ++i) {
    has_data.push_back(ValidateLevel(levels[i], i, params.fourier_degree));
  }
  const FourierBasis basis(params.fourier_degree, params.num_points);
  Proposals all;
  for (size_t i = 0; i < levels.size(); ++i) {
    if (!has_data[i]) continue;
    Proposals level = DecodeLevel(levels[i], params, basis, cancel);
    for (size_t j = 0; j < level.polygons.size(); ++j) {
      all.polygons.push_back(std::move(level.polygons[j]));
      all.scores.push_back(level.scores[j]);
    }
  }
  std::vector<TextRegion> regions;
  for (size_t i : PolygonNms(all.polygons, all.scores, params.nms_threshold, cancel)) {
    regions.push_back(MakeRegion(std::move(all.polygons[i]), all.scores[i], params.box_type,
                                 input_size, dest_size));
  }
  return regions;
}

}  // namespace ocr::detect
