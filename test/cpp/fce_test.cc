// FCENet post-processing on synthetic classification and Fourier maps.
#include "detect/fce.h"

#include <cmath>
#include <complex>
#include <functional>
#include <limits>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "core/error.h"

namespace ocr::detect {
namespace {

using Complex = std::complex<double>;

constexpr int kDegree = 5;
const cv::Size kInput(256, 256);

// Coefficients c_-k .. c_k of a contour in input pixels (c_0 is its centre).
using Coefficients = std::vector<Complex>;

FceLevel Level(int scale, cv::Size input = kInput) {
  const cv::Size size(input.width / scale, input.height / scale);
  auto plane = [&](float v) { return cv::Mat(size, CV_32FC1, cv::Scalar(v)); };
  FceLevel level;
  level.scale = scale;
  level.text_region = {plane(4), plane(-4)};  // p(text) ~ 0.0003
  level.center_region = {plane(4), plane(-4)};
  for (int t = 0; t < 2 * kDegree + 1; ++t) {
    level.fourier_x.push_back(plane(0));
    level.fourier_y.push_back(plane(0));
  }
  return level;
}

// Map pixel (col, row) is text (logit gap `logit`, center gap `center`) and
// encodes the contour `c`: the head predicts c / scale with its own position
// taken off c_0.
void Encode(FceLevel& level, int col, int row, const Coefficients& c, float logit = 8,
            float center = 8) {
  level.text_region[0].at<float>(row, col) = 0;
  level.text_region[1].at<float>(row, col) = logit;
  level.center_region[0].at<float>(row, col) = 0;
  level.center_region[1].at<float>(row, col) = center;
  for (int t = 0; t < 2 * kDegree + 1; ++t) {
    Complex v = c[t] / double(level.scale);
    if (t == kDegree) v -= Complex(col, row);
    level.fourier_x[t].at<float>(row, col) = static_cast<float>(v.real());
    level.fourier_y[t].at<float>(row, col) = static_cast<float>(v.imag());
  }
}

// Every map pixel whose input position satisfies `inside` encodes `c`.
void Paint(FceLevel& level, const std::function<bool(cv::Point2f)>& inside, const Coefficients& c,
           float logit = 8, float center = 8) {
  for (int row = 0; row < level.text_region[0].rows; ++row) {
    for (int col = 0; col < level.text_region[0].cols; ++col) {
      const cv::Point2f p(float(col * level.scale), float(row * level.scale));
      if (inside(p)) Encode(level, col, row, c, logit, center);
    }
  }
}

std::function<bool(cv::Point2f)> Disk(cv::Point2f centre, float radius) {
  return [=](cv::Point2f p) { return std::hypot(p.x - centre.x, p.y - centre.y) <= radius; };
}

Coefficients Circle(cv::Point2f centre, double radius) {
  Coefficients c(2 * kDegree + 1);
  c[kDegree] = Complex(centre.x, centre.y);
  c[kDegree + 1] = radius;
  return c;
}

// z_j = sum_m c_m e^{2 pi i m j / n}, truncated toward zero (the references'
// astype(int32)).
std::vector<cv::Point2f> Reconstruct(const Coefficients& c, int n) {
  std::vector<cv::Point2f> points;
  for (int j = 0; j < n; ++j) {
    Complex z = 0;
    for (int m = -kDegree; m <= kDegree; ++m) z += c[m + kDegree] * std::polar(1.0, 2 * CV_PI * m * j / n);
    points.emplace_back(static_cast<float>(std::trunc(z.real())), static_cast<float>(std::trunc(z.imag())));
  }
  return points;
}

void ExpectPointsNear(const std::vector<cv::Point2f>& got, const std::vector<cv::Point2f>& want,
                      float tolerance) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_NEAR(got[i].x, want[i].x, tolerance) << "point " << i;
    EXPECT_NEAR(got[i].y, want[i].y, tolerance) << "point " << i;
  }
}

std::vector<TextRegion> Detect(const std::vector<FceLevel>& levels, const FceParams& params = FceParams{},
                               cv::Size dest = kInput) {
  return FcePostprocess(levels, params, kInput, dest);
}

TEST(FcePostprocess, CircleIsReconstructedWithFiftyPoints) {
  FceLevel level = Level(8);
  const Coefficients circle = Circle({128, 120}, 40);
  Paint(level, Disk({128, 120}, 24), circle);
  const auto regions = Detect({level});
  ASSERT_EQ(regions.size(), 1u);
  const auto& r = regions[0];
  ASSERT_EQ(r.polygon.size(), 50u);
  ExpectPointsNear(r.polygon, Reconstruct(circle, 50), 1.0f);
  for (const auto& p : r.polygon) EXPECT_NEAR(std::hypot(p.x - 128, p.y - 120), 40, 1.5);
  // The quad is the circle's bounding square (sides 80 +- 2).
  for (int i = 0; i < 4; ++i) {
    const cv::Point2f d = r.quad[(i + 1) % 4] - r.quad[i];
    EXPECT_NEAR(std::hypot(d.x, d.y), 80, 2.0) << i;
  }
  EXPECT_NEAR(r.score, 1.0f, 1e-3);
}

TEST(FcePostprocess, ArcShapedContourIsReconstructed) {
  // An annulus sector (radii 50 and 80, from 200 to 340 degrees) sampled at
  // 400 points; its degree-5 Fourier approximation is what FCENet encodes.
  const cv::Point2d o(128, 190);
  std::vector<cv::Point2f> contour;
  const int half = 200;
  for (int t = 0; t < half; ++t) {
    const double a = (200 + 140.0 * t / (half - 1)) * CV_PI / 180;
    contour.emplace_back(float(o.x + 80 * std::cos(a)), float(o.y + 80 * std::sin(a)));
  }
  for (int t = 0; t < half; ++t) {
    const double a = (340 - 140.0 * t / (half - 1)) * CV_PI / 180;
    contour.emplace_back(float(o.x + 50 * std::cos(a)), float(o.y + 50 * std::sin(a)));
  }
  const int n = static_cast<int>(contour.size());
  Coefficients c(2 * kDegree + 1);
  for (int m = -kDegree; m <= kDegree; ++m) {
    for (int t = 0; t < n; ++t) {
      c[m + kDegree] += Complex(contour[t].x, contour[t].y) * std::polar(1.0, -2 * CV_PI * m * t / n);
    }
    c[m + kDegree] /= n;
  }
  FceLevel level = Level(8);
  Paint(level, [&](cv::Point2f p) { return cv::pointPolygonTest(contour, p, false) >= 0; }, c);
  const auto regions = Detect({level});
  ASSERT_EQ(regions.size(), 1u);
  const auto& polygon = regions[0].polygon;
  ExpectPointsNear(polygon, Reconstruct(c, 50), 1.0f);
  // It follows the arc: every point lies near the sector's outline ...
  for (const auto& p : polygon) EXPECT_LT(std::abs(cv::pointPolygonTest(contour, p, true)), 12) << p;
  // ... and it is clearly non-convex (the band bends around the empty centre).
  std::vector<cv::Point2f> hull;
  cv::convexHull(polygon, hull);
  EXPECT_LT(cv::contourArea(polygon), 0.8 * cv::contourArea(hull));
  EXPECT_LT(cv::pointPolygonTest(polygon, cv::Point2f(128, 170), false), 0);  // the hollow
  EXPECT_GT(cv::pointPolygonTest(polygon, cv::Point2f(128, 125), false), 0);  // the band's top
}

TEST(FcePostprocess, BoxTypeAndPointCountAreHonoured) {
  FceLevel level = Level(8);
  const Coefficients circle = Circle({128, 128}, 40);
  Paint(level, Disk({128, 128}, 24), circle);
  FceParams params;
  params.num_points = 20;
  auto regions = Detect({level}, params);
  ASSERT_EQ(regions.size(), 1u);
  ExpectPointsNear(regions[0].polygon, Reconstruct(circle, 20), 1.0f);
  params.box_type = BoxType::kQuad;
  regions = Detect({level}, params);
  ASSERT_EQ(regions.size(), 1u);
  ASSERT_EQ(regions[0].polygon.size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(regions[0].polygon[i], regions[0].quad[i]);
}

TEST(FcePostprocess, PointsAreScaledPerAxisToTheDestination) {
  FceLevel level = Level(8);
  const Coefficients circle = Circle({128, 128}, 40);
  Paint(level, Disk({128, 128}, 24), circle);
  const auto regions = Detect({level}, FceParams{}, {512, 128});
  ASSERT_EQ(regions.size(), 1u);
  auto want = Reconstruct(circle, 50);
  for (auto& p : want) p = {p.x * 2, p.y / 2};
  ExpectPointsNear(regions[0].polygon, want, 1.0f);
}

TEST(FcePostprocess, NmsRemovesDuplicatesAcrossLevelsAndKeepsSeparateShapes) {
  // The same circle predicted on two levels, plus a near-duplicate shifted by
  // 6 px with a lower score: one region.
  FceLevel fine = Level(8), coarse = Level(16);
  Paint(fine, Disk({100, 100}, 24), Circle({100, 100}, 40));
  Paint(coarse, Disk({100, 100}, 24), Circle({106, 100}, 40), 2.0f, 8.0f);
  auto regions = Detect({fine, coarse});
  ASSERT_EQ(regions.size(), 1u);
  ExpectPointsNear(regions[0].polygon, Reconstruct(Circle({100, 100}, 40), 50), 1.0f);
  // A separate circle elsewhere survives.
  Paint(fine, Disk({200, 200}, 16), Circle({200, 200}, 30));
  regions = Detect({fine, coarse});
  ASSERT_EQ(regions.size(), 2u);
  EXPECT_GE(regions[0].score, regions[1].score);
}

TEST(FcePostprocess, AlphaAndBetaWeighTheTwoProbabilities) {
  // p(text) ~ 1, p(center) = 0.5: score 0.5 with beta 1 (PaddleOCR), 0.25 with
  // beta 2 (MMOCR), under the 0.3 threshold.
  FceLevel level = Level(8);
  Paint(level, Disk({128, 128}, 24), Circle({128, 128}, 40), 12.0f, 0.0f);
  auto regions = Detect({level});
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_NEAR(regions[0].score, 0.5f, 1e-3);
  FceParams mmocr;
  mmocr.beta = 2.0f;
  EXPECT_TRUE(Detect({level}, mmocr).empty());
}

TEST(FcePostprocess, PixelsInsideAFilledHoleProposeToo) {
  // A ring of text pixels whose coefficients are unusable, around a hole whose
  // pixels score 0.2 (under the threshold, above 0): the filled hole joins the
  // instance and its pixels propose the polygon (MMOCR fill_hole + score > 0).
  FceLevel level = Level(8);
  const Coefficients circle = Circle({128, 128}, 40);
  Paint(level, Disk({128, 128}, 40), circle);
  const float inf = std::numeric_limits<float>::infinity();
  for (int row = 0; row < 32; ++row) {
    for (int col = 0; col < 32; ++col) {
      const float d = std::hypot(col * 8.0f - 128, row * 8.0f - 128);
      if (d <= 16) {
        level.center_region[1].at<float>(row, col) = std::log(0.2f / 0.8f);  // p = 0.2
      } else if (d <= 40) {
        level.fourier_x[0].at<float>(row, col) = inf;
      }
    }
  }
  const auto regions = Detect({level});
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_NEAR(regions[0].score, 0.2f, 1e-3);
  ExpectPointsNear(regions[0].polygon, Reconstruct(circle, 50), 1.0f);
}

TEST(FcePostprocess, EmptyAndQuietInputsGiveNothing) {
  EXPECT_TRUE(Detect({}).empty());
  FceLevel empty;
  empty.fourier_x.resize(2 * kDegree + 1);
  empty.fourier_y.resize(2 * kDegree + 1);
  EXPECT_TRUE(Detect({empty}).empty());
  EXPECT_TRUE(Detect({Level(8), Level(16), Level(32)}).empty());
  // Equal logits: 0.5 * 0.5 = 0.25 < 0.3.
  FceLevel even = Level(8);
  for (auto* m : {&even.text_region[0], &even.text_region[1], &even.center_region[0], &even.center_region[1]}) {
    m->setTo(0.0f);
  }
  EXPECT_TRUE(Detect({even}).empty());
}

TEST(FcePostprocess, NonFiniteValuesAreIgnored) {
  FceLevel level = Level(8);
  const Coefficients circle = Circle({128, 128}, 40);
  Paint(level, Disk({128, 128}, 24), circle);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  level.text_region[1].at<float>(16, 16) = nan;
  level.center_region[0].at<float>(15, 16) = inf;
  level.text_region[1].at<float>(2, 2) = inf;   // background: +Inf logit, -> score 0
  level.text_region[0].at<float>(30, 30) = nan;
  level.fourier_y[3].at<float>(16, 15) = inf;
  level.fourier_x[7].at<float>(17, 16) = nan;
  level.fourier_x[5].at<float>(14, 14) = 1e30f;
  const auto regions = Detect({level});
  ASSERT_EQ(regions.size(), 1u);
  ExpectPointsNear(regions[0].polygon, Reconstruct(circle, 50), 1.0f);
  EXPECT_TRUE(std::isfinite(regions[0].score));
}

TEST(FcePostprocess, ShapeCrossingTheBorderIsClamped) {
  FceLevel level = Level(8);
  Paint(level, Disk({16, 240}, 16), Circle({16, 240}, 40));
  const auto regions = Detect({level});
  ASSERT_EQ(regions.size(), 1u);
  bool touches_left = false, touches_bottom = false;
  for (const auto& p : regions[0].polygon) {
    EXPECT_GE(p.x, 0); EXPECT_LE(p.x, 255);
    EXPECT_GE(p.y, 0); EXPECT_LE(p.y, 255);
    touches_left |= p.x == 0;
    touches_bottom |= p.y == 255;
  }
  EXPECT_TRUE(touches_left);
  EXPECT_TRUE(touches_bottom);
  for (const auto& p : regions[0].quad) {
    EXPECT_GE(p.x, 0); EXPECT_LE(p.x, 255);
    EXPECT_GE(p.y, 0); EXPECT_LE(p.y, 255);
  }
}

ErrorCode CodeOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "no ocr::Error thrown";
  return ErrorCode::kInternal;
}

TEST(FcePostprocess, InvalidParamsAreRejected) {
  const std::vector<FceLevel> levels = {Level(8)};
  auto with = [&](auto change) {
    FceParams params;
    change(params);
    return CodeOf([&] { Detect(levels, params); });
  };
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(with([](FceParams& p) { p.fourier_degree = 0; }), ErrorCode::kInvalidOption);
  EXPECT_EQ(with([](FceParams& p) { p.num_points = 10; }), ErrorCode::kInvalidOption);
  EXPECT_EQ(with([&](FceParams& p) { p.score_threshold = nan; }), ErrorCode::kInvalidOption);
  EXPECT_EQ(with([](FceParams& p) { p.nms_threshold = 2; }), ErrorCode::kInvalidOption);
  EXPECT_EQ(with([](FceParams& p) { p.alpha = -1; }), ErrorCode::kInvalidOption);
  EXPECT_EQ(with([&](FceParams& p) { p.beta = nan; }), ErrorCode::kInvalidOption);
  EXPECT_EQ(CodeOf([&] { Detect(levels, FceParams{}, {0, 10}); }), ErrorCode::kInvalidOption);
  EXPECT_EQ(CodeOf([&] { FcePostprocess(levels, FceParams{}, {-1, 10}, kInput); }),
            ErrorCode::kInvalidOption);
  std::vector<FceLevel> zero_scale = {Level(8)};
  zero_scale[0].scale = 0;
  EXPECT_EQ(CodeOf([&] { Detect(zero_scale); }), ErrorCode::kInvalidOption);
  // A different degree than the maps were made for is a shape mismatch.
  EXPECT_EQ(with([](FceParams& p) { p.fourier_degree = 4; }), ErrorCode::kModelShape);
}

TEST(FcePostprocess, MismatchedMapsAreRejected) {
  FceLevel missing = Level(8);
  missing.fourier_y.pop_back();
  EXPECT_EQ(CodeOf([&] { Detect({missing}); }), ErrorCode::kModelShape);
  FceLevel resized = Level(8);
  resized.center_region[1] = cv::Mat::zeros(16, 16, CV_32FC1);
  EXPECT_EQ(CodeOf([&] { Detect({resized}); }), ErrorCode::kModelShape);
  FceLevel hole = Level(8);
  hole.fourier_x[4] = cv::Mat();
  EXPECT_EQ(CodeOf([&] { Detect({hole}); }), ErrorCode::kModelShape);
  FceLevel doubles = Level(8);
  doubles.fourier_x[2].convertTo(doubles.fourier_x[2], CV_64F);
  EXPECT_EQ(CodeOf([&] { Detect({doubles}); }), ErrorCode::kInternal);
  // A bad level is reported even when an earlier one is fine.
  EXPECT_EQ(CodeOf([&] { Detect({Level(8), missing}); }), ErrorCode::kModelShape);
}

}  // namespace
}  // namespace ocr::detect
