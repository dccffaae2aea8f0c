// EAST post-processing on synthetic score and geometry maps.
#include "detect/east.h"

#include <cmath>
#include <functional>
#include <limits>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "core/error.h"

namespace ocr::detect {
namespace {

constexpr int kStride = 4;
const cv::Size kInput(256, 256);

struct EastMaps {
  cv::Mat score;
  std::vector<cv::Mat> geometry;
};

EastMaps Maps(cv::Size input = kInput) {
  const cv::Size map_size(input.width / kStride, input.height / kStride);
  EastMaps m{cv::Mat::zeros(map_size, CV_32FC1), {}};
  for (int c = 0; c < 8; ++c) m.geometry.push_back(cv::Mat::zeros(map_size, CV_32FC1));
  return m;
}

// The quad of a w x h rectangle centred at `c`, rotated by `degrees`
// (clockwise on screen), as TL, TR, BR, BL of the unrotated rectangle.
Quad Rotated(cv::Point2f c, float w, float h, float degrees) {
  const double a = degrees * CV_PI / 180;
  auto at = [&](float dx, float dy) {
    return cv::Point2f(static_cast<float>(c.x + dx * std::cos(a) - dy * std::sin(a)),
                       static_cast<float>(c.y + dx * std::sin(a) + dy * std::cos(a)));
  };
  return {at(-w / 2, -h / 2), at(w / 2, -h / 2), at(w / 2, h / 2), at(-w / 2, h / 2)};
}

// Map pixel (x, y) proposes `quad` with `value`.
void Encode(EastMaps& m, int x, int y, const Quad& quad, float value) {
  m.score.at<float>(y, x) = value;
  for (int i = 0; i < 4; ++i) {
    m.geometry[2 * i].at<float>(y, x) = static_cast<float>(kStride * x) - quad[i].x;
    m.geometry[2 * i + 1].at<float>(y, x) = static_cast<float>(kStride * y) - quad[i].y;
  }
}

// Every map pixel whose input position lies inside `area` proposes `quad`.
void Paint(EastMaps& m, const Quad& area, const Quad& quad, float value) {
  const std::vector<cv::Point2f> contour(area.begin(), area.end());
  for (int y = 0; y < m.score.rows; ++y) {
    for (int x = 0; x < m.score.cols; ++x) {
      const cv::Point2f p(static_cast<float>(kStride * x), static_cast<float>(kStride * y));
      if (cv::pointPolygonTest(contour, p, false) >= 0) Encode(m, x, y, quad, value);
    }
  }
}

void Paint(EastMaps& m, const Quad& quad, float value) { Paint(m, quad, quad, value); }

std::vector<TextRegion> Detect(const EastMaps& m, const EastParams& params = EastParams{},
                            cv::Size dest = kInput) {
  return EastPostprocess(m.score, m.geometry, params, kInput, dest);
}

void ExpectQuadNear(const Quad& got, const Quad& want, float tolerance) {
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(got[i].x, want[i].x, tolerance) << "corner " << i;
    EXPECT_NEAR(got[i].y, want[i].y, tolerance) << "corner " << i;
  }
}

double TwiceSignedArea(const Quad& q) {
  double s = 0;
  for (int i = 0; i < 4; ++i) s += double(q[i].x) * q[(i + 1) % 4].y - double(q[(i + 1) % 4].x) * q[i].y;
  return s;
}

TEST(EastPostprocess, RotatedQuadIsRecoveredInOrder) {
  for (float angle : {0.f, 20.f, 40.f, -30.f}) {
    EastMaps m = Maps();
    const Quad quad = Rotated({128, 128}, 120, 40, angle);
    Paint(m, quad, 0.95f);
    const auto regions = Detect(m);
    ASSERT_EQ(regions.size(), 1u) << angle;
    ExpectQuadNear(regions[0].quad, quad, 1.0f);
    EXPECT_GT(TwiceSignedArea(regions[0].quad), 0) << angle;  // clockwise, y down
    ASSERT_EQ(regions[0].polygon.size(), 4u);
    for (int i = 0; i < 4; ++i) EXPECT_EQ(regions[0].polygon[i], regions[0].quad[i]);
    // The score is the mean of the map inside the quad: most of it is painted.
    EXPECT_GT(regions[0].score, 0.6f) << angle;
    EXPECT_LE(regions[0].score, 0.95f + 1e-5f) << angle;
  }
}

TEST(EastPostprocess, CornersAreScaledPerAxisToTheDestination) {
  EastMaps m = Maps();
  const Quad quad = Rotated({128, 100}, 100, 40, 0);
  Paint(m, quad, 0.9f);
  const auto regions = Detect(m, EastParams{}, {512, 128});
  ASSERT_EQ(regions.size(), 1u);
  Quad want;
  for (int i = 0; i < 4; ++i) want[i] = {quad[i].x * 2, quad[i].y / 2};
  ExpectQuadNear(regions[0].quad, want, 1.0f);
}

TEST(EastPostprocess, TwoSeparateQuadsGiveTwoRegions) {
  EastMaps m = Maps();
  const Quad a = Rotated({70, 60}, 80, 30, 0);
  const Quad b = Rotated({170, 190}, 90, 36, 10);
  Paint(m, a, 0.9f);
  Paint(m, b, 0.95f);
  const auto regions = Detect(m);
  ASSERT_EQ(regions.size(), 2u);
  // Best summed score first: b has more (and higher) pixels.
  ExpectQuadNear(regions[0].quad, b, 1.0f);
  ExpectQuadNear(regions[1].quad, a, 1.0f);
}

TEST(EastPostprocess, ConsecutiveOverlappingQuadsAreMergedByScoreWeight) {
  EastMaps m = Maps();
  const Quad area = Rotated({128, 128}, 120, 40, 0);
  Paint(m, area, area, 0.9f);
  // Every pixel right of the centre proposes the quad shifted 8 px right:
  // rows interleave both proposals, all with IoU > 0.2, so they all merge.
  Quad shifted = area;
  for (auto& p : shifted) p.x += 8;
  for (int y = 0; y < m.score.rows; ++y) {
    for (int x = 32; x < m.score.cols; ++x) {
      if (m.score.at<float>(y, x) > 0) Encode(m, x, y, shifted, 0.9f);
    }
  }
  const auto regions = Detect(m);
  ASSERT_EQ(regions.size(), 1u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_GT(regions[0].quad[i].x, area[i].x + 2) << i;  // a blend of both ...
    EXPECT_LT(regions[0].quad[i].x, shifted[i].x - 2) << i;
    EXPECT_NEAR(regions[0].quad[i].y, area[i].y, 1.0f) << i;  // ... same rows
  }
}

TEST(EastPostprocess, DuplicatesThatDoNotFollowEachOtherAreRemovedByNms) {
  // Two quads side by side in the same rows: row-major order alternates
  // between them, so locality merging yields one merged quad per row and
  // quad; the standard NMS then keeps the best row of each (no averaging).
  EastMaps m = Maps();
  const Quad a = Rotated({60, 128}, 80, 40, 0);
  const Quad b = Rotated({190, 128}, 80, 40, 0);
  Paint(m, a, 0.9f);
  Paint(m, b, 0.85f);
  Quad a_best = a;
  for (auto& p : a_best) p.x += 3;
  const int best_row = 32;
  for (int x = 0; x < m.score.cols; ++x) {
    if (m.score.at<float>(best_row, x) == 0.9f) Encode(m, x, best_row, a_best, 0.99f);
  }
  const auto regions = Detect(m);
  ASSERT_EQ(regions.size(), 2u);
  ExpectQuadNear(regions[0].quad, a_best, 1.0f);
  ExpectQuadNear(regions[1].quad, b, 1.0f);
}

TEST(EastPostprocess, LowCoverQuadIsDropped) {
  EastMaps m = Maps();
  // One confident pixel proposes a large quad that the map barely covers.
  const Quad quad = Rotated({128, 128}, 160, 60, 0);
  Encode(m, 32, 32, quad, 0.95f);
  EXPECT_TRUE(Detect(m).empty());
  EastParams params;
  params.cover_threshold = 0.0f;
  const auto regions = Detect(m, params);
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_LT(regions[0].score, 0.1f);
  ExpectQuadNear(regions[0].quad, quad, 1.0f);
}

TEST(EastPostprocess, QuadWithAnEdgeUnderMinEdgeIsDropped) {
  EastMaps m = Maps();
  const Quad thin = Rotated({128, 102}, 60, 4, 0);  // 60 x 4 px
  Paint(m, Rotated({128, 102}, 60, 8, 0), thin, 0.9f);
  EXPECT_TRUE(Detect(m).empty());
  EastParams params;
  params.min_edge = 3.0f;
  const auto regions = Detect(m, params);
  ASSERT_EQ(regions.size(), 1u);
  ExpectQuadNear(regions[0].quad, thin, 1.0f);
  // The edge is measured in destination pixels: a 60 x 20 quad is 30 x 10
  // at half size, kept, and 8 x 2 at an eighth, dropped.
  EastMaps big = Maps();
  const Quad box = Rotated({128, 128}, 60, 20, 0);
  Paint(big, box, 0.9f);
  EXPECT_EQ(Detect(big, EastParams{}, {128, 128}).size(), 1u);
  EXPECT_TRUE(Detect(big, EastParams{}, {32, 32}).empty());
}

// Corners are truncated as PaddleOCR's astype(int32) does, before the edge check: x 36.35..40.99 is 36..40, an
// edge of 4 px, dropped (rounding made it 36..41, 5 px, kept: a box PaddleOCR does not give).
TEST(EastPostprocess, CornersAreTruncatedBeforeTheEdgeCheck) {
  EastMaps m = Maps();
  const Quad narrow = {cv::Point2f(36.35f, 17.58f), cv::Point2f(40.99f, 17.58f), cv::Point2f(40.99f, 34.08f),
                       cv::Point2f(36.35f, 34.08f)};
  Encode(m, 9, 6, narrow, 0.95f);
  EastParams params;
  params.cover_threshold = 0.0f;
  EXPECT_TRUE(Detect(m, params).empty());
  params.min_edge = 4.0f;
  const auto regions = Detect(m, params);
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_EQ(regions[0].quad[0], cv::Point2f(36, 17));
  EXPECT_EQ(regions[0].quad[2], cv::Point2f(40, 34));
}

TEST(EastPostprocess, EmptyAndQuietMapsGiveNothing) {
  EXPECT_TRUE(EastPostprocess(cv::Mat(), {}, EastParams{}, kInput, kInput).empty());
  EXPECT_TRUE(Detect(Maps()).empty());
  EastMaps m = Maps();
  Paint(m, Rotated({128, 128}, 100, 40, 0), 0.8f);  // not > 0.8
  EXPECT_TRUE(Detect(m).empty());
}

TEST(EastPostprocess, NonFiniteValuesAreIgnored) {
  EastMaps m = Maps();
  const Quad quad = Rotated({128, 128}, 120, 40, 15);
  Paint(m, quad, 0.95f);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  m.score.at<float>(32, 32) = nan;       // inside: counts as 0
  m.score.at<float>(31, 20) = inf;       // inside: counts as 0, proposes nothing
  m.score.at<float>(2, 2) = inf;         // outside
  m.score.at<float>(60, 60) = -inf;
  m.geometry[3].at<float>(32, 40) = nan;  // this pixel proposes nothing
  m.geometry[6].at<float>(33, 36) = inf;
  m.geometry[0].at<float>(33, 25) = 1e30f;
  const auto regions = Detect(m);
  ASSERT_EQ(regions.size(), 1u);
  ExpectQuadNear(regions[0].quad, quad, 1.0f);
  EXPECT_TRUE(std::isfinite(regions[0].score));
  EXPECT_GT(regions[0].score, 0.6f);
}

TEST(EastPostprocess, QuadCrossingTheBorderIsClamped) {
  EastMaps m = Maps();
  const Quad quad = Rotated({20, 250}, 100, 40, 0);  // spills left and below
  Paint(m, quad, 0.9f);
  const auto regions = Detect(m);
  ASSERT_EQ(regions.size(), 1u);
  for (const auto& p : regions[0].quad) {
    EXPECT_GE(p.x, 0); EXPECT_LE(p.x, 255);
    EXPECT_GE(p.y, 0); EXPECT_LE(p.y, 255);
  }
  EXPECT_EQ(regions[0].quad[0], cv::Point2f(0, 230));
  EXPECT_EQ(regions[0].quad[1], cv::Point2f(70, 230));
  EXPECT_EQ(regions[0].quad[2], cv::Point2f(70, 255));
  EXPECT_EQ(regions[0].quad[3], cv::Point2f(0, 255));
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

TEST(EastPostprocess, InvalidParamsAreRejected) {
  const EastMaps m = Maps();
  auto with = [&](auto change) {
    EastParams params;
    change(params);
    return CodeOf([&] { Detect(m, params); });
  };
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(with([&](EastParams& p) { p.score_threshold = nan; }), ErrorCode::kInvalidOption);
  EXPECT_EQ(with([&](EastParams& p) { p.score_threshold = -0.1f; }), ErrorCode::kInvalidOption);
  EXPECT_EQ(with([&](EastParams& p) { p.cover_threshold = std::numeric_limits<float>::infinity(); }), ErrorCode::kInvalidOption);
  EXPECT_EQ(with([&](EastParams& p) { p.nms_threshold = nan; }), ErrorCode::kInvalidOption);
  EXPECT_EQ(with([&](EastParams& p) { p.nms_threshold = 1.5f; }), ErrorCode::kInvalidOption);
  EXPECT_EQ(with([&](EastParams& p) { p.stride = 0; }), ErrorCode::kInvalidOption);
  EXPECT_EQ(with([&](EastParams& p) { p.min_edge = -1; }), ErrorCode::kInvalidOption);
  EXPECT_EQ(CodeOf([&] { Detect(m, EastParams{}, {0, 10}); }), ErrorCode::kInvalidOption);
  EXPECT_EQ(CodeOf([&] { EastPostprocess(m.score, m.geometry, EastParams{}, {10, -1}, kInput); }),
            ErrorCode::kInvalidOption);
  // Invalid options are reported even for an empty map.
  EXPECT_EQ(CodeOf([&] { EastPostprocess(cv::Mat(), {}, EastParams{}, kInput, {0, 0}); }),
            ErrorCode::kInvalidOption);
}

TEST(EastPostprocess, MismatchedMapsAreRejected) {
  EastMaps seven = Maps();
  seven.geometry.pop_back();
  EXPECT_EQ(CodeOf([&] { Detect(seven); }), ErrorCode::kModelShape);
  EastMaps resized = Maps();
  resized.geometry[5] = cv::Mat::zeros(10, 10, CV_32FC1);
  EXPECT_EQ(CodeOf([&] { Detect(resized); }), ErrorCode::kModelShape);
  EastMaps doubles = Maps();
  doubles.score.convertTo(doubles.score, CV_64F);
  EXPECT_EQ(CodeOf([&] { Detect(doubles); }), ErrorCode::kInternal);
  EastMaps geometry_doubles = Maps();
  geometry_doubles.geometry[2].convertTo(geometry_doubles.geometry[2], CV_64F);
  EXPECT_EQ(CodeOf([&] { Detect(geometry_doubles); }), ErrorCode::kInternal);
}

}  // namespace
}  // namespace ocr::detect
