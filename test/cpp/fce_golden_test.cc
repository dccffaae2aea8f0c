// FCE post-processing held to the reference outputs of scripts/gen-fce-golden.py
// (a restatement of MMOCR 1.x FCEPostprocessor / PaddleOCR FCEPostProcess run
// with numpy, OpenCV and shapely) on synthetic multi-level head outputs.
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "detect/fce.h"

namespace ocr::detect {
namespace {

const std::string kDir = std::string(OCRKIT_FIXTURES_DIR) + "/fce-golden";

struct Expected {
  float score = 0;
  std::vector<cv::Point2f> points;
};

struct Case {
  cv::Size input, dest;
  FceParams params;
  std::vector<FceLevel> levels;
};

// One level: float32 little-endian planes of height x width, in the head's
// channel order (text bg, text fg, center bg, center fg, 2k+1 x, 2k+1 y).
FceLevel ReadLevel(const std::string& path, int scale, int width, int height, int degree) {
  const int terms = 2 * degree + 1;
  const int planes = 4 + 2 * terms;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::vector<float> data(static_cast<size_t>(planes) * width * height);
  in.read(reinterpret_cast<char*>(data.data()), static_cast<std::streamsize>(data.size() * sizeof(float)));
  EXPECT_EQ(in.gcount(), static_cast<std::streamsize>(data.size() * sizeof(float))) << path;
  auto plane = [&](int i) {
    return cv::Mat(height, width, CV_32FC1, data.data() + static_cast<size_t>(i) * width * height).clone();
  };
  FceLevel level;
  level.scale = scale;
  level.text_region = {plane(0), plane(1)};
  level.center_region = {plane(2), plane(3)};
  for (int t = 0; t < terms; ++t) level.fourier_x.push_back(plane(4 + t));
  for (int t = 0; t < terms; ++t) level.fourier_y.push_back(plane(4 + terms + t));
  return level;
}

Case ReadCase(const std::string& name) {
  std::ifstream in(kDir + "/" + name + ".txt");
  EXPECT_TRUE(in.good()) << name;
  Case c;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string key;
    fields >> key;
    if (key == "input") {
      fields >> c.input.width >> c.input.height;
    } else if (key == "dest") {
      fields >> c.dest.width >> c.dest.height;
    } else if (key == "params") {
      fields >> c.params.fourier_degree >> c.params.num_points >> c.params.score_threshold >>
          c.params.nms_threshold >> c.params.alpha >> c.params.beta;
    } else if (key == "level") {
      int scale, width, height;
      std::string file;
      fields >> scale >> width >> height >> file;
      c.levels.push_back(ReadLevel(kDir + "/" + file, scale, width, height, c.params.fourier_degree));
    }
  }
  return c;
}

std::vector<Expected> ReadExpected(const std::string& name) {
  std::ifstream in(kDir + "/" + name + ".expected.txt");
  EXPECT_TRUE(in.good()) << name;
  std::vector<Expected> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    Expected e;
    fields >> e.score;
    float x, y;
    while (fields >> x >> y) e.points.emplace_back(x, y);
    out.push_back(std::move(e));
  }
  return out;
}

bool Matches(const TextRegion& got, const Expected& want) {
  if (std::abs(got.score - want.score) > 1e-4f || got.polygon.size() != want.points.size()) return false;
  for (size_t j = 0; j < want.points.size(); ++j) {
    if (std::abs(got.polygon[j].x - want.points[j].x) > 0.5f ||
        std::abs(got.polygon[j].y - want.points[j].y) > 0.5f) {
      return false;
    }
  }
  return true;
}

class FceGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(FceGolden, MatchesTheReference) {
  const std::string name = GetParam();
  const Case c = ReadCase(name);
  const auto expected = ReadExpected(name);
  ASSERT_FALSE(expected.empty()) << name;
  ASSERT_EQ(c.levels.size(), 3u) << name;
  const auto regions = FcePostprocess(c.levels, c.params, c.input, c.dest);
  ASSERT_EQ(regions.size(), expected.size()) << name;
  // Each region must match a distinct reference region: score within 1e-4,
  // every point within 0.5 px. Order is not compared: two regions that do
  // not overlap may score within that tolerance of each other ("overlap").
  std::vector<bool> used(expected.size(), false);
  for (size_t i = 0; i < regions.size(); ++i) {
    const auto& got = regions[i];
    ASSERT_EQ(got.polygon.size(), static_cast<size_t>(c.params.num_points)) << name;
    bool matched = false;
    for (size_t e = 0; e < expected.size() && !matched; ++e) {
      matched = !used[e] && Matches(got, expected[e]);
      if (matched) used[e] = true;
    }
    EXPECT_TRUE(matched) << name << ": region " << i << " (score " << got.score << ", first point "
                         << got.polygon[0] << ") has no reference match; reference region " << i
                         << " has score " << expected[i].score << ", first point " << expected[i].points[0];
  }
}

INSTANTIATE_TEST_SUITE_P(Sets, FceGolden, ::testing::Values("straight", "curved", "overlap"));

}  // namespace
}  // namespace ocr::detect
