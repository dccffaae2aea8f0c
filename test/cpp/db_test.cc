// DB post-processing on synthetic probability maps.
#include "detect/db.h"

#include "core/error.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

namespace ocr::detect {
namespace {

cv::Mat Map(int h, int w) { return cv::Mat(h, w, CV_32FC1, cv::Scalar(0.0f)); }

void PaintRotated(cv::Mat& map, cv::Point2f center, cv::Size2f size, float degrees, float value) {
  cv::Point2f pts[4];
  cv::RotatedRect(center, size, degrees).points(pts);
  std::vector<cv::Point> poly;
  for (auto& p : pts) poly.emplace_back(cvRound(p.x), cvRound(p.y));
  cv::fillPoly(map, std::vector<std::vector<cv::Point>>{poly}, cv::Scalar(value));
}

// The quad a painted w x h rectangle becomes: grown by area * ratio / perimeter.
cv::Size2f Grown(cv::Size2f s, float ratio) {
  const float d = s.width * s.height * ratio / (2 * (s.width + s.height));
  return {s.width + 2 * d, s.height + 2 * d};
}

float Side(const Quad& q, int a, int b) { return std::hypot(q[a].x - q[b].x, q[a].y - q[b].y); }

// Twice the signed area: > 0 when clockwise on screen (y down).
double Orientation(const Quad& q) {
  double s = 0;
  for (int i = 0; i < 4; ++i) s += double(q[i].x) * q[(i + 1) % 4].y - double(q[(i + 1) % 4].x) * q[i].y;
  return s;
}

// Every quad is clockwise and starts at the upper point of its left pair.
void ExpectWellOrdered(const std::vector<TextRegion>& regions) {
  for (const auto& r : regions) {
    EXPECT_GT(Orientation(r.quad), 0);
    EXPECT_LE(std::max(r.quad[0].x, r.quad[3].x), std::min(r.quad[1].x, r.quad[2].x) + 1e-3f);
    EXPECT_LE(r.quad[0].y, r.quad[3].y);
    EXPECT_TRUE(std::isfinite(r.score));
  }
}

// Each expected corner has a quad corner within `tolerance` pixels on both axes.
void ExpectCorners(const Quad& q, const cv::RotatedRect& expected, float tolerance, float angle) {
  cv::Point2f want[4];
  expected.points(want);
  for (const auto& w : want) {
    float best = 1e9f;
    for (const auto& p : q) best = std::min(best, std::max(std::abs(p.x - w.x), std::abs(p.y - w.y)));
    EXPECT_LE(best, tolerance) << "corner " << w << " at " << angle << " degrees";
  }
}

TEST(DbPostprocess, EndPaddingLengthensTheGrownQuadAlongItsLongSide) {
  cv::Mat map = Map(200, 300);
  map(cv::Rect(50, 80, 120, 20)).setTo(0.9f);
  const auto plain = DbPostprocess(map, DbParams{}, map.size());
  DbParams p;
  p.end_padding = 0.25f;
  const auto padded = DbPostprocess(map, p, map.size());
  ASSERT_EQ(plain.size(), 1u);
  ASSERT_EQ(padded.size(), 1u);
  const Quad& a = plain[0].quad;
  const Quad& b = padded[0].quad;
  const float height = Side(a, 1, 2);
  // Each end moves out by 0.25 x height (reported corners are rounded to
  // whole pixels); the height and the score stay.
  EXPECT_NEAR(Side(b, 0, 1), Side(a, 0, 1) + 2 * 0.25f * height, 1.0);
  EXPECT_FLOAT_EQ(Side(b, 1, 2), height);
  EXPECT_NEAR(b[0].x, a[0].x - 0.25f * height, 0.5);
  EXPECT_NEAR(b[1].x, a[1].x + 0.25f * height, 0.5);
  EXPECT_FLOAT_EQ(b[0].y, a[0].y);
  EXPECT_FLOAT_EQ(b[2].y, a[2].y);
  EXPECT_FLOAT_EQ(padded[0].score, plain[0].score);
  ExpectWellOrdered(padded);
}

TEST(DbPostprocess, EndPaddingFollowsARotatedLineAndStaysInTheImage) {
  cv::Mat map = Map(240, 320);
  PaintRotated(map, {160, 120}, {200, 24}, 20.0f, 0.9f);
  DbParams p;
  p.end_padding = 0.5f;
  const auto plain = DbPostprocess(map, DbParams{}, map.size());
  const auto padded = DbPostprocess(map, p, map.size());
  ASSERT_EQ(plain.size(), 1u);
  ASSERT_EQ(padded.size(), 1u);
  const Quad& a = plain[0].quad;
  const Quad& b = padded[0].quad;
  // Lengthened along the line's direction: TL moved away from TR, by half the height.
  const cv::Point2f along = (a[1] - a[0]) / Side(a, 0, 1);
  const cv::Point2f moved = a[0] - b[0];
  EXPECT_NEAR(moved.dot(along), 0.5f * Side(a, 1, 2), 1.0);   // rounding to whole pixels
  EXPECT_NEAR(std::abs(moved.cross(along)), 0.0f, 1.0);
  ExpectWellOrdered(padded);
  // A line at the image edge: padded corners are clamped into the image.
  cv::Mat edge = Map(100, 200);
  edge(cv::Rect(0, 40, 150, 16)).setTo(0.9f);
  p.end_padding = 2.0f;
  for (const auto& r : DbPostprocess(edge, p, edge.size())) {
    for (const auto& c : r.quad) {
      EXPECT_GE(c.x, 0);
      EXPECT_LE(c.x, 199);
    }
  }
}

TEST(DbPostprocess, MergeGapJoinsTheWordsOfOneLineBeforeEndPadding) {
  // Two words on one line, 6 px apart (0.3 x their 20 px height before unclipping), and a line below.
  cv::Mat map = Map(200, 300);
  map(cv::Rect(40, 60, 100, 20)).setTo(0.9f);
  map(cv::Rect(146, 60, 40, 20)).setTo(0.7f);
  map(cv::Rect(40, 120, 150, 20)).setTo(0.8f);
  const auto plain = DbPostprocess(map, DbParams{}, map.size());
  ASSERT_EQ(plain.size(), 3u);
  DbParams p;
  p.merge_gap = 1.0f;
  const auto merged = DbPostprocess(map, p, map.size());
  ASSERT_EQ(merged.size(), 2u);
  ExpectWellOrdered(merged);
  const auto line = std::find_if(merged.begin(), merged.end(), [](const TextRegion& r) { return r.quad[0].y < 100; });
  ASSERT_NE(line, merged.end());
  // It holds both words' grown boxes; its score is their mean weighted by area, between the two.
  float left = 1e9f, right = -1e9f;
  for (const auto& r : plain) {
    if (r.quad[0].y > 100) continue;
    for (const auto& c : r.quad) left = std::min(left, c.x), right = std::max(right, c.x);
  }
  EXPECT_NEAR(line->quad[0].x, left, 1.0);
  EXPECT_NEAR(line->quad[1].x, right, 1.0);
  EXPECT_GT(line->score, 0.7f);
  EXPECT_LT(line->score, 0.9f);
  // End padding lengthens the merged box, not each word.
  p.end_padding = 0.25f;
  const auto padded = DbPostprocess(map, p, map.size());
  ASSERT_EQ(padded.size(), 2u);
  const auto padded_line = std::find_if(padded.begin(), padded.end(), [](const TextRegion& r) { return r.quad[0].y < 100; });
  const float height = Side(line->quad, 1, 2);
  EXPECT_NEAR(Side(padded_line->quad, 0, 1), Side(line->quad, 0, 1) + 2 * 0.25f * height, 1.0);
  // Polygons are never merged.
  p = DbParams{};
  p.merge_gap = 1.0f;
  p.box_type = BoxType::kPolygon;
  EXPECT_EQ(DbPostprocess(map, p, map.size()).size(), 3u);
}

TEST(DbPostprocess, AxisAlignedRectangleGivesItsGrownQuad) {
  cv::Mat map = Map(200, 300);
  map(cv::Rect(50, 80, 120, 20)).setTo(0.9f);
  const auto regions = DbPostprocess(map, DbParams{}, map.size());
  ASSERT_EQ(regions.size(), 1u);
  const auto& q = regions[0].quad;
  // The contour spans pixel centres 50..169 x 80..99: a 119 x 19 rectangle.
  const cv::Size2f grown = Grown({119, 19}, 1.5f);
  EXPECT_NEAR(Side(q, 0, 1), grown.width, 1.0);
  EXPECT_NEAR(Side(q, 1, 2), grown.height, 1.0);
  EXPECT_NEAR(q[0].x, 50 - (grown.width - 119) / 2, 1.0);
  EXPECT_NEAR(q[0].y, 80 - (grown.height - 19) / 2, 1.0);
  EXPECT_NEAR(regions[0].score, 0.9f, 1e-4);
  EXPECT_EQ(regions[0].polygon.size(), 4u);
}

TEST(DbPostprocess, RotatedRectanglesGiveRotatedQuads) {
  for (float angle : {10.f, 30.f, 45.f, 80.f, -20.f}) {
    cv::Mat map = Map(400, 400);
    PaintRotated(map, {200, 200}, {200, 30}, angle, 1.0f);
    // The painted blob's own rotated rectangle (pixel centres of its outline).
    cv::Mat binary;
    map.convertTo(binary, CV_8UC1, 255);
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(binary, contours, cv::RETR_LIST, cv::CHAIN_APPROX_SIMPLE);
    ASSERT_EQ(contours.size(), 1u);
    const cv::RotatedRect blob = cv::minAreaRect(contours[0]);
    const float long_side = std::max(blob.size.width, blob.size.height);
    const float short_side = std::min(blob.size.width, blob.size.height);
    const cv::Size2f grown = Grown({long_side, short_side}, 1.5f);

    const auto regions = DbPostprocess(map, DbParams{}, map.size());
    ASSERT_EQ(regions.size(), 1u) << angle;
    const auto& q = regions[0].quad;
    const float a = Side(q, 0, 1), b = Side(q, 1, 2);
    EXPECT_NEAR(std::max(a, b), grown.width, 1.5) << angle;
    EXPECT_NEAR(std::min(a, b), grown.height, 1.5) << angle;
    cv::Point2f centre = (q[0] + q[1] + q[2] + q[3]) / 4;
    EXPECT_NEAR(centre.x, blob.center.x, 1.0) << angle;
    EXPECT_NEAR(centre.y, blob.center.y, 1.0) << angle;
    // Long side along the painted direction (mod 180 degrees).
    const cv::Point2f dir = std::max(a, b) == a ? q[1] - q[0] : q[2] - q[1];
    const double got = std::fmod(std::atan2(dir.y, dir.x) * 180 / M_PI + 360, 180);
    const double want = std::fmod(angle + 360, 180);
    EXPECT_NEAR(std::min(std::abs(got - want), 180 - std::abs(got - want)), 0, 1.5) << angle;
    // The analytic offset rectangle. Like pyclipper under PaddleOCR, the quad's
    // corners are truncated to integers before the offset (distance from the
    // unrounded quad), which can move a corner by up to 1 px toward 0.
    cv::Point2f corners[4];
    blob.points(corners);
    std::vector<cv::Point2f> truncated;
    for (const auto& c : corners) truncated.emplace_back(std::trunc(c.x), std::trunc(c.y));
    const cv::RotatedRect base = cv::minAreaRect(truncated);
    const float d = (Grown(blob.size, 1.5f).width - blob.size.width) / 2;
    const cv::RotatedRect offset(base.center, {base.size.width + 2 * d, base.size.height + 2 * d}, base.angle);
    ExpectCorners(q, offset, 1.0f, angle);
    ExpectWellOrdered(regions);
  }
}

TEST(DbPostprocess, EmptyAndAllZeroMapsGiveNothing) {
  EXPECT_TRUE(DbPostprocess(cv::Mat(), DbParams{}, {10, 10}).empty());
  EXPECT_TRUE(DbPostprocess(Map(64, 64), DbParams{}, {64, 64}).empty());
  EXPECT_TRUE(DbPostprocess(Map(1, 1), DbParams{}, {1, 1}).empty());
  cv::Mat one(1, 1, CV_32FC1, cv::Scalar(1.0f));
  EXPECT_TRUE(DbPostprocess(one, DbParams{}, {1, 1}).empty());  // below the minimum size
}

TEST(DbPostprocess, AllOnesMapGivesOneRegionClampedToTheImage) {
  cv::Mat map(64, 96, CV_32FC1, cv::Scalar(1.0f));
  const auto regions = DbPostprocess(map, DbParams{}, {960, 640});
  ASSERT_EQ(regions.size(), 1u);
  for (const auto& p : regions[0].quad) {
    EXPECT_GE(p.x, 0); EXPECT_LE(p.x, 959);
    EXPECT_GE(p.y, 0); EXPECT_LE(p.y, 639);
  }
  EXPECT_EQ(regions[0].quad[0], cv::Point2f(0, 0));
  EXPECT_EQ(regions[0].quad[2], cv::Point2f(959, 639));
}

TEST(DbPostprocess, NonFiniteValuesCountAsZero) {
  cv::Mat map = Map(100, 200);
  map(cv::Rect(20, 20, 100, 20)).setTo(0.8f);
  map.at<float>(30, 50) = std::numeric_limits<float>::quiet_NaN();
  map.at<float>(5, 5) = std::numeric_limits<float>::infinity();
  map.at<float>(90, 190) = -std::numeric_limits<float>::infinity();
  const auto regions = DbPostprocess(map, DbParams{}, map.size());
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_TRUE(std::isfinite(regions[0].score));
  EXPECT_NEAR(regions[0].score, 0.8f, 0.01f);
  cv::Mat nan_map(50, 50, CV_32FC1, cv::Scalar(std::numeric_limits<float>::quiet_NaN()));
  EXPECT_TRUE(DbPostprocess(nan_map, DbParams{}, nan_map.size()).empty());
}

TEST(DbPostprocess, LowScoresAndSmallBlobsAreDropped) {
  cv::Mat map = Map(100, 200);
  map(cv::Rect(10, 10, 100, 20)).setTo(0.5f);  // above thresh, below box threshold 0.6
  map(cv::Rect(150, 60, 2, 2)).setTo(1.0f);    // short side < 3
  EXPECT_TRUE(DbPostprocess(map, DbParams{}, map.size()).empty());
  DbParams lenient;
  lenient.box_threshold = 0.4f;
  EXPECT_EQ(DbPostprocess(map, lenient, map.size()).size(), 1u);
}

TEST(DbPostprocess, MaxCandidatesBoundsTheContoursConsidered) {
  cv::Mat map = Map(200, 200);
  for (int i = 0; i < 5; ++i) map(cv::Rect(10, 10 + 35 * i, 150, 15)).setTo(1.0f);
  EXPECT_EQ(DbPostprocess(map, DbParams{}, map.size()).size(), 5u);
  DbParams few;
  few.max_candidates = 2;
  EXPECT_EQ(DbPostprocess(map, few, map.size()).size(), 2u);
}

TEST(DbPostprocess, DilationJoinsBlobsOnePixelApart) {
  cv::Mat map = Map(60, 200);
  map(cv::Rect(10, 20, 60, 15)).setTo(1.0f);
  map(cv::Rect(71, 20, 60, 15)).setTo(1.0f);  // one empty column between them
  EXPECT_EQ(DbPostprocess(map, DbParams{}, map.size()).size(), 2u);
  DbParams dilate;
  dilate.use_dilation = true;
  EXPECT_EQ(DbPostprocess(map, dilate, map.size()).size(), 1u);
}

TEST(DbPostprocess, SlowScoreFollowsTheContour) {
  cv::Mat map = Map(200, 200);
  PaintRotated(map, {100, 100}, {150, 20}, 45, 1.0f);
  DbParams slow;
  slow.score_mode = ScoreMode::kSlow;
  const auto regions = DbPostprocess(map, slow, map.size());
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_GT(regions[0].score, 0.95f);
}

TEST(DbPostprocess, PolygonModeFollowsACurvedBand) {
  cv::Mat map = Map(300, 400);
  cv::ellipse(map, {200, 300}, {150, 150}, 0, 200, 340, cv::Scalar(1.0f), 24);
  DbParams poly;
  poly.box_type = BoxType::kPolygon;
  const auto regions = DbPostprocess(map, poly, map.size());
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_GT(regions[0].polygon.size(), 4u);
  for (const auto& p : regions[0].polygon) {
    EXPECT_GE(p.x, 0); EXPECT_LT(p.x, 400);
    EXPECT_GE(p.y, 0); EXPECT_LT(p.y, 300);
  }
  // The arc's middle (top, near y = 150) lies inside the polygon.
  EXPECT_GE(cv::pointPolygonTest(regions[0].polygon, cv::Point2f(200, 152), false), 0);
}

TEST(DbPostprocess, ScalesToTheDestinationPerAxis) {
  cv::Mat map = Map(100, 100);
  map(cv::Rect(20, 40, 60, 10)).setTo(1.0f);
  const auto small = DbPostprocess(map, DbParams{}, map.size());
  const auto big = DbPostprocess(map, DbParams{}, {400, 200});
  ASSERT_EQ(small.size(), 1u);
  ASSERT_EQ(big.size(), 1u);
  for (int k = 0; k < 4; ++k) {
    EXPECT_NEAR(big[0].quad[k].x, std::min(small[0].quad[k].x * 4, 399.f), 4.0);
    EXPECT_NEAR(big[0].quad[k].y, std::min(small[0].quad[k].y * 2, 199.f), 2.0);
  }
}

TEST(DbPostprocess, RegionTouchingTheBorderIsKeptAndClamped) {
  cv::Mat map = Map(100, 100);
  map(cv::Rect(0, 0, 50, 12)).setTo(1.0f);
  const auto regions = DbPostprocess(map, DbParams{}, map.size());
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_EQ(regions[0].quad[0], cv::Point2f(0, 0));
}

TEST(DbPostprocess, WrongMapTypeThrows) {
  cv::Mat map(10, 10, CV_8UC1, cv::Scalar(0));
  EXPECT_THROW(DbPostprocess(map, DbParams{}, map.size()), ocr::Error);
}

TEST(DbPostprocess, WrongMapTypeIsAnInternalError) {
  try {
    DbPostprocess(cv::Mat(4, 4, CV_64FC1, cv::Scalar(0.5)), DbParams{}, {4, 4});
    FAIL() << "no throw";
  } catch (const ocr::Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInternal);
  }
}

TEST(DbPostprocess, InvalidParamsAreInvalidOptions) {
  const cv::Mat map = Map(8, 8);
  auto code_of = [&](DbParams p, cv::Size dest) {
    try {
      DbPostprocess(map, p, dest);
    } catch (const ocr::Error& e) {
      return e.code();
    }
    return ErrorCode::kInternal;  // no throw: reported as a mismatch below
  };
  DbParams p;
  p.threshold = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(code_of(p, {8, 8}), ErrorCode::kInvalidOption);
  p = DbParams{};
  p.box_threshold = std::numeric_limits<float>::infinity();
  EXPECT_EQ(code_of(p, {8, 8}), ErrorCode::kInvalidOption);
  p = DbParams{};
  p.unclip_ratio = 0;
  EXPECT_EQ(code_of(p, {8, 8}), ErrorCode::kInvalidOption);
  p = DbParams{};
  p.max_candidates = -1;
  EXPECT_EQ(code_of(p, {8, 8}), ErrorCode::kInvalidOption);
  p = DbParams{};
  p.min_size = -1;
  EXPECT_EQ(code_of(p, {8, 8}), ErrorCode::kInvalidOption);
  p = DbParams{};
  p.end_padding = -0.1f;
  EXPECT_EQ(code_of(p, {8, 8}), ErrorCode::kInvalidOption);
  p.end_padding = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(code_of(p, {8, 8}), ErrorCode::kInvalidOption);
  p = DbParams{};
  p.merge_gap = -1.0f;
  EXPECT_EQ(code_of(p, {8, 8}), ErrorCode::kInvalidOption);
  p.merge_gap = std::numeric_limits<float>::infinity();
  EXPECT_EQ(code_of(p, {8, 8}), ErrorCode::kInvalidOption);
  EXPECT_EQ(code_of(DbParams{}, {0, 8}), ErrorCode::kInvalidOption);
  EXPECT_EQ(code_of(DbParams{}, {8, -1}), ErrorCode::kInvalidOption);
  DbParams none;
  none.max_candidates = 0;
  EXPECT_NO_THROW(DbPostprocess(map, none, {8, 8}));
}

TEST(DbPostprocess, NonFiniteEverywhereGivesNothing) {
  const float inf = std::numeric_limits<float>::infinity();
  for (float v : {inf, -inf, std::numeric_limits<float>::quiet_NaN()}) {
    cv::Mat big(40, 60, CV_32FC1, cv::Scalar(v));
    EXPECT_TRUE(DbPostprocess(big, DbParams{}, big.size()).empty()) << v;
    cv::Mat one(1, 1, CV_32FC1, cv::Scalar(v));
    EXPECT_TRUE(DbPostprocess(one, DbParams{}, {1, 1}).empty()) << v;
    // Inside a text region, a non-finite pixel lowers the score like a 0 would.
    cv::Mat map = Map(60, 120);
    map(cv::Rect(10, 20, 100, 20)).setTo(1.0f);
    map(cv::Rect(50, 25, 10, 10)).setTo(v);
    DbParams polygon;
    polygon.box_type = BoxType::kPolygon;
    for (const DbParams& p : {DbParams{}, polygon}) {
      const auto regions = DbPostprocess(map, p, map.size());
      ASSERT_EQ(regions.size(), 1u) << v;
      EXPECT_NEAR(regions[0].score, 1.0f - 100.0f / (100 * 20), 0.02f) << v;
      for (const auto& pt : regions[0].polygon) EXPECT_TRUE(std::isfinite(pt.x) && std::isfinite(pt.y));
    }
  }
}

TEST(DbPostprocess, NonContinuousMapView) {
  cv::Mat big = Map(100, 200);
  big(cv::Rect(60, 30, 100, 20)).setTo(0.9f);
  const cv::Mat view = big(cv::Rect(50, 0, 150, 100));  // not continuous
  ASSERT_FALSE(view.isContinuous());
  const auto regions = DbPostprocess(view, DbParams{}, view.size());
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_NEAR(regions[0].score, 0.9f, 1e-4);
}

// A page-like 960 x 960 map with `lines` soft text lines (about 50 regions).
cv::Mat PageMap(int lines) {
  cv::Mat map = Map(960, 960);
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> jitter(-1.5f, 1.5f);
  for (int i = 0; i < lines; ++i) {
    const int column = i % 2, row = i / 2;
    const cv::Point2f centre(240.0f + 480 * column, 20.0f + 37 * row);
    PaintRotated(map, centre, {380.0f + 20 * jitter(rng), 16}, jitter(rng), 0.9f);
  }
  cv::GaussianBlur(map, map, {0, 0}, 1.5);
  return map;
}

TEST(DbPostprocess, PageWithFiftyLines) {
  const cv::Mat map = PageMap(50);
  const auto regions = DbPostprocess(map, DbParams{}, {1920, 1920});
  EXPECT_EQ(regions.size(), 50u);
  ExpectWellOrdered(regions);
}

// Timing (not run by default): ./db_test --gtest_also_run_disabled_tests --gtest_filter='*Timing*'
TEST(DbPostprocess, DISABLED_Timing960x960With50Lines) {
  const cv::Mat map = PageMap(50);
  DbParams polygon;
  polygon.box_type = BoxType::kPolygon;
  DbParams slow;
  slow.score_mode = ScoreMode::kSlow;
  for (const auto& [name, params] : {std::pair{"quad/fast", DbParams{}}, std::pair{"quad/slow", slow},
                                     std::pair{"poly/fast", polygon}}) {
    std::vector<double> ms;
    size_t found = 0;
    for (int i = 0; i < 200; ++i) {
      const auto start = std::chrono::steady_clock::now();
      found = DbPostprocess(map, params, {1920, 1920}).size();
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(ms.begin(), ms.end());
    std::printf("DbPostprocess 960x960, %zu regions, %s: median %.3f ms, p90 %.3f ms, min %.3f ms\n", found,
                name, ms[ms.size() / 2], ms[ms.size() * 9 / 10], ms[0]);
  }
}

}  // namespace
}  // namespace ocr::detect
