// Joining the pieces of one text line (detect/line_merge.h).
#include "detect/line_merge.h"

#include <algorithm>
#include <cmath>
#include <random>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

namespace ocr::detect {
namespace {

Quad Box(float x, float y, float w, float h) { return {{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}}; }

// A w x h box centred at c, its reading direction turned by `degrees` (clockwise on screen, y down).
Quad Turned(cv::Point2f c, float w, float h, float degrees) {
  const float a = degrees * static_cast<float>(CV_PI) / 180.0f;
  const cv::Point2f u(std::cos(a), std::sin(a)), n(-u.y, u.x);
  return {c - u * (w / 2) - n * (h / 2), c + u * (w / 2) - n * (h / 2), c + u * (w / 2) + n * (h / 2),
          c - u * (w / 2) + n * (h / 2)};
}

void ExpectQuad(const Quad& got, const Quad& want, float tolerance = 1e-3f) {
  for (int k = 0; k < 4; ++k) {
    EXPECT_NEAR(got[k].x, want[k].x, tolerance) << "corner " << k;
    EXPECT_NEAR(got[k].y, want[k].y, tolerance) << "corner " << k;
  }
}

TEST(MergeLineQuads, TwoWordsOfOneLineBecomeOneBoxHoldingBoth) {
  // "Lift" (100 x 40) and "2" (30 x 40), 12 px (0.3 x height) apart.
  const auto groups = MergeLineQuads({Box(10, 20, 100, 40), Box(122, 22, 30, 40)}, 1.0f);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].members, (std::vector<size_t>{0, 1}));
  ExpectQuad(groups[0].quad, Box(10, 20, 142, 42));
}

TEST(MergeLineQuads, NothingJoinsWithoutAGapOrAcrossAWideOne) {
  const std::vector<Quad> quads = {Box(10, 20, 100, 40), Box(122, 20, 30, 40)};
  for (float gap : {0.0f, -1.0f, std::nanf("")}) {
    const auto groups = MergeLineQuads(quads, gap);
    ASSERT_EQ(groups.size(), 2u);
    ExpectQuad(groups[0].quad, quads[0]);
    ExpectQuad(groups[1].quad, quads[1]);
  }
  // 12 px is 0.3 x the height: joined under 0.31, not under 0.29.
  EXPECT_EQ(MergeLineQuads(quads, 0.31f).size(), 1u);
  EXPECT_EQ(MergeLineQuads(quads, 0.29f).size(), 2u);
  // Two columns 2 heights apart stay apart at 1.
  EXPECT_EQ(MergeLineQuads({Box(10, 20, 100, 40), Box(190, 20, 100, 40)}, 1.0f).size(), 2u);
}

TEST(MergeLineQuads, LinesAboveOneAnotherStayApart) {
  // A paragraph: the same x range, one line height apart, and a line offset by 0.6 x its height.
  EXPECT_EQ(MergeLineQuads({Box(10, 20, 300, 30), Box(10, 52, 300, 30)}, 1.0f).size(), 2u);
  EXPECT_EQ(MergeLineQuads({Box(10, 20, 100, 30), Box(115, 38, 100, 30)}, 1.0f).size(), 2u);
  // Within half the height it is the same line.
  EXPECT_EQ(MergeLineQuads({Box(10, 20, 100, 30), Box(115, 32, 100, 30)}, 1.0f).size(), 1u);
}

TEST(MergeLineQuads, HeightsMustBeAlike) {
  // A heading beside small print, centred on one line: 3x the height does not join, 2x does.
  EXPECT_EQ(MergeLineQuads({Box(10, 0, 300, 90), Box(320, 30, 100, 30)}, 1.0f).size(), 2u);
  EXPECT_EQ(MergeLineQuads({Box(10, 0, 300, 60), Box(320, 15, 100, 30)}, 1.0f).size(), 1u);
}

TEST(MergeLineQuads, ASingleCharacterNeedsALineToJoin) {
  // Two lone characters (taller than wide) side by side: neither is a line, nothing joins.
  EXPECT_EQ(MergeLineQuads({Box(10, 20, 25, 40), Box(40, 20, 25, 40)}, 1.0f).size(), 2u);
  // A line then joins them all, transitively: the third only touches the second.
  const auto groups = MergeLineQuads({Box(10, 20, 25, 40), Box(40, 20, 25, 40), Box(70, 20, 100, 40)}, 0.5f);
  ASSERT_EQ(groups.size(), 2u);  // the first is 0.125 x 40 from the second, but the second is no line
  EXPECT_EQ(groups[1].members, (std::vector<size_t>{1, 2}));
}

TEST(MergeLineQuads, ARotatedLineStaysRotated) {
  // Three pieces of a line at 20 degrees, 0.25 x height apart, in scrambled order with an unrelated box.
  const cv::Point2f u(std::cos(20 * CV_PI / 180), std::sin(20 * CV_PI / 180));
  const cv::Point2f start(100, 100);
  const Quad a = Turned(start + u * 60, 120, 40, 20);   // [0, 120] along the line
  const Quad b = Turned(start + u * 155, 50, 40, 20);   // [130, 180]
  const Quad c = Turned(start + u * 250, 120, 40, 20);  // [190, 310]
  const auto groups = MergeLineQuads({c, Box(0, 400, 50, 20), a, b}, 0.5f);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].members, (std::vector<size_t>{0, 2, 3}));
  EXPECT_EQ(groups[1].members, (std::vector<size_t>{1}));
  ExpectQuad(groups[0].quad, Turned(start + u * 155, 310, 40, 20), 1e-2f);
}

TEST(MergeLineQuads, OverlappingPiecesJoinAndTheLongestGivesTheDirection) {
  // Pieces that overlap along the line (DB's unclipped boxes can): one box. The 2-degree piece is shorter.
  const auto groups = MergeLineQuads({Turned({200, 50}, 60, 30, 2), Box(40, 35, 150, 30)}, 1.0f);
  ASSERT_EQ(groups.size(), 1u);
  const Quad& q = groups[0].quad;
  EXPECT_NEAR(q[0].y, q[1].y, 1e-3);  // level: the 150 px box's direction
  EXPECT_NEAR(q[0].x, 40, 1e-3);
  EXPECT_GT(q[1].x, 229);
}

TEST(MergeLineQuads, EmptyAndDegenerateInputs) {
  EXPECT_TRUE(MergeLineQuads({}, 1.0f).empty());
  const Quad point = {{{5, 5}, {5, 5}, {5, 5}, {5, 5}}};
  const auto groups = MergeLineQuads({point, point, Box(0, 0, 100, 20)}, 1.0f);
  EXPECT_EQ(groups.size(), 3u);  // a point has no height: never within 0.4 x a line's
}

// Cross product of (b - a) and (p - a): >= 0 when p is on the inner side of a clockwise (y down) edge a -> b.
float Side(cv::Point2f a, cv::Point2f b, cv::Point2f p) { return (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x); }

TEST(MergeLineQuads, RandomQuadsArePartitionedAndEachGroupHoldsItsMembers) {
  std::mt19937 rng(20261206);
  std::uniform_real_distribution<float> pos(0, 600), len(1, 200), high(1, 60), angle(-30, 30), gap(0, 3);
  for (int round = 0; round < 200; ++round) {
    std::vector<Quad> quads;
    const int n = 1 + static_cast<int>(rng() % 40);
    for (int i = 0; i < n; ++i) {
      if (rng() % 10 == 0) {
        const cv::Point2f p(pos(rng), pos(rng));
        quads.push_back({p, p, p, p});  // degenerate
      } else {
        quads.push_back(Turned({pos(rng), pos(rng)}, len(rng), high(rng), angle(rng)));
      }
    }
    const auto groups = MergeLineQuads(quads, gap(rng));
    std::vector<int> seen(quads.size(), 0);
    for (const auto& g : groups) {
      ASSERT_FALSE(g.members.empty());
      EXPECT_TRUE(std::is_sorted(g.members.begin(), g.members.end()));
      for (size_t m : g.members) {
        ASSERT_LT(m, quads.size());
        ++seen[m];
      }
      if (g.members.size() == 1) {
        ExpectQuad(g.quad, quads[g.members[0]]);
        continue;
      }
      for (size_t m : g.members) {
        for (const auto& p : quads[m]) {
          for (int k = 0; k < 4; ++k) {
            const cv::Point2f a = g.quad[k], b = g.quad[(k + 1) % 4];
            EXPECT_GE(Side(a, b, p) / std::max(1e-3f, std::hypot(b.x - a.x, b.y - a.y)), -1e-2f)
                << "round " << round << " member " << m;
          }
        }
      }
    }
    for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], 1) << "quad " << i << " in round " << round;
    // Groups come in the order of their first members.
    for (size_t k = 1; k < groups.size(); ++k) EXPECT_LT(groups[k - 1].members[0], groups[k].members[0]);
  }
}

}  // namespace
}  // namespace ocr::detect
