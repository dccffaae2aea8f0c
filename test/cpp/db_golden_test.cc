// DB post-processing held to the reference outputs of scripts/gen-db-golden.py
// (a restatement of PaddleOCR's DBPostProcess run with OpenCV, pyclipper, shapely).
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "detect/db.h"

namespace ocr::detect {
namespace {

const std::string kDir = std::string(OCRKIT_FIXTURES_DIR) + "/db-golden";

struct Expected {
  float score;
  std::vector<cv::Point2f> points;
};

std::vector<Expected> ReadExpected(const std::string& path, cv::Size* dest) {
  std::ifstream in(path);
  std::string line;
  std::vector<Expected> out;
  while (std::getline(in, line)) {
    if (line.rfind("# map", 0) == 0) {
      int mw, mh, dw, dh;
      std::sscanf(line.c_str(), "# map %dx%d -> dest %dx%d", &mw, &mh, &dw, &dh);
      *dest = cv::Size(dw, dh);
      continue;
    }
    std::istringstream fields(line);
    Expected e{};
    fields >> e.score;
    float x, y;
    while (fields >> x >> y) e.points.emplace_back(x, y);
    out.push_back(std::move(e));
  }
  return out;
}

DbParams ParamsFor(const std::string& mode) {
  DbParams p;
  if (mode == "quad-slow") p.score_mode = ScoreMode::kSlow;
  if (mode == "poly-fast") p.box_type = BoxType::kPolygon;
  if (mode == "quad-dilate") p.use_dilation = true;
  return p;
}

bool Close(const std::vector<cv::Point2f>& a, const std::vector<cv::Point2f>& b, float tolerance) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::abs(a[i].x - b[i].x) > tolerance || std::abs(a[i].y - b[i].y) > tolerance) return false;
  }
  return true;
}

class DbGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(DbGolden, MatchesTheReference) {
  const std::string name = GetParam();
  cv::Mat raw = cv::imread(kDir + "/" + name + ".png", cv::IMREAD_UNCHANGED);
  ASSERT_EQ(raw.type(), CV_16UC1) << name;
  cv::Mat prob(raw.size(), CV_32FC1);
  for (int y = 0; y < raw.rows; ++y) {
    for (int x = 0; x < raw.cols; ++x) prob.at<float>(y, x) = raw.at<uint16_t>(y, x) / 65535.0f;
  }
  for (const std::string mode : {"quad-fast", "quad-slow", "poly-fast", "quad-dilate"}) {
    cv::Size dest;
    const auto expected = ReadExpected(kDir + "/" + name + "." + mode + ".txt", &dest);
    const auto regions = DbPostprocess(prob, ParamsFor(mode), dest);
    ASSERT_EQ(regions.size(), expected.size()) << name << " " << mode;
    std::vector<bool> used(expected.size(), false);
    for (const auto& r : regions) {
      bool matched = false;
      for (size_t i = 0; i < expected.size() && !matched; ++i) {
        if (!used[i] && Close(r.polygon, expected[i].points, 1.0f) &&
            std::abs(r.score - expected[i].score) < 1e-3f) {
          used[i] = matched = true;
        }
      }
      EXPECT_TRUE(matched) << name << " " << mode << ": region with score " << r.score << " and first point "
                           << r.polygon[0] << " has no reference match";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Maps, DbGolden,
                         ::testing::Values("blobs", "rotated", "touching", "noise", "curved", "document"));

}  // namespace
}  // namespace ocr::detect
