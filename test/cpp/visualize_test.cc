// Result visualisation: layout (image + panel), fills, colours, panel text.
#include "render/visualize.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "core/error.h"

namespace ocr::render {
namespace {

const FontChain& Fonts() {
  static const std::string dir = std::string(OCRKIT_FIXTURES_DIR) + "/../../fonts/";
  static const FontChain chain({Font::FromFile(dir + "DejaVuSans.ttf"), Font::FromFile(dir + "DroidSansFallbackFull.ttf")});
  return chain;
}

cv::Mat Grey(int w, int h) { return cv::Mat(h, w, CV_8UC3, cv::Scalar(200, 200, 200)); }

std::vector<VisLine> SampleLines() {
  return {
      {{{20, 20}, {180, 20}, {180, 50}, {20, 50}}, "Hello 中文", 0.9f},
      {{{20, 70}, {180, 80}, {178, 110}, {18, 100}}, "slanted 斜", 0.8f},  // a rotated quad
      {{{220, 20}, {250, 20}, {250, 180}, {220, 180}}, "竖排文字", 0.7f},    // tall: vertical text
      {{{300, 40}, {360, 30}, {380, 60}, {340, 90}, {300, 80}}, "poly", 0.6f},
  };
}

TEST(VisualizeTest, ImageBesidePanelOfTheSameSize) {
  const cv::Mat image = Grey(400, 200);
  const cv::Mat out = DrawOcrResult(image, SampleLines(), Fonts(), VisOptions{});
  EXPECT_EQ(out.cols, 800);
  EXPECT_EQ(out.rows, 200);
  EXPECT_EQ(out.type(), CV_8UC3);
  VisOptions no_panel;
  no_panel.draw_panel = false;
  EXPECT_EQ(DrawOcrResult(image, SampleLines(), Fonts(), no_panel).size(), image.size());
}

// Darkest grey value inside a rectangle of the panel.
int Darkest(const cv::Mat& out, int panel_x, cv::Rect r) {
  cv::Mat grey;
  cv::cvtColor(out(r + cv::Point(panel_x, 0)), grey, cv::COLOR_BGR2GRAY);
  double lo = 0;
  cv::minMaxLoc(grey, &lo);
  return int(lo);
}

TEST(VisualizeTest, PanelHasDarkInkInsideEachBoxAndWhiteElsewhere) {
  const cv::Mat out = DrawOcrResult(Grey(400, 200), SampleLines(), Fonts(), VisOptions{});
  const int w = 400;
  EXPECT_LT(Darkest(out, w, cv::Rect(24, 24, 150, 22)), 80);   // Hello 中文
  EXPECT_LT(Darkest(out, w, cv::Rect(24, 78, 150, 20)), 80);   // slanted
  EXPECT_LT(Darkest(out, w, cv::Rect(223, 24, 24, 150)), 80);  // vertical
  EXPECT_LT(Darkest(out, w, cv::Rect(305, 42, 60, 35)), 80);   // polygon
  // Outside every box the panel stays white.
  const cv::Mat blank = out(cv::Rect(w + 20, 130, 180, 60));
  EXPECT_EQ(cv::countNonZero(blank.reshape(1) != 255), 0);
  // Vertical text: ink spread down the tall box, not one line at its top.
  cv::Mat grey;
  cv::cvtColor(out(cv::Rect(w + 222, 22, 26, 156)), grey, cv::COLOR_BGR2GRAY);
  const cv::Rect ink = cv::boundingRect(grey < 100);
  EXPECT_GT(ink.height, 80);
}

TEST(VisualizeTest, LinesGetDistinctColoursAndTranslucentFills) {
  for (size_t i = 0; i + 1 < 50; ++i) {
    const cv::Vec3b a = LineColor(i, 0), b = LineColor(i + 1, 0);
    EXPECT_GT(cv::norm(cv::Vec3d(a) - cv::Vec3d(b)), 60.0) << i;
  }
  EXPECT_EQ(LineColor(3, 0), LineColor(3, 0));
  EXPECT_NE(LineColor(3, 0), LineColor(3, 1));
  VisOptions options;
  options.draw_indices = false;
  const cv::Mat out = DrawOcrResult(Grey(400, 200), SampleLines(), Fonts(), options);
  const cv::Vec3b in0 = out.at<cv::Vec3b>(35, 100), in1 = out.at<cv::Vec3b>(90, 100);
  EXPECT_NE(in0, in1);
  // 30 % of the line colour over the grey image.
  const cv::Vec3b c0 = LineColor(0, 0);
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(in0[k], 0.3 * c0[k] + 0.7 * 200, 2);
  EXPECT_EQ(out.at<cv::Vec3b>(150, 100), cv::Vec3b(200, 200, 200));  // untouched outside boxes
}

TEST(VisualizeTest, NoLinesGiveTheImageAndABlankPanel) {
  cv::Mat image = Grey(120, 80);
  cv::randu(image, 0, 255);
  const cv::Mat out = DrawOcrResult(image, {}, Fonts(), VisOptions{});
  ASSERT_EQ(out.size(), cv::Size(240, 80));
  EXPECT_EQ(cv::norm(out(cv::Rect(0, 0, 120, 80)), image, cv::NORM_INF), 0);
  EXPECT_EQ(cv::countNonZero(out(cv::Rect(120, 0, 120, 80)).reshape(1) != 255), 0);
}

TEST(VisualizeTest, DegenerateAndInvalidInput) {
  const cv::Mat image = Grey(100, 100);
  // Too few points, a zero-area box and a box outside the image are skipped.
  const std::vector<VisLine> skipped = {{{{10, 10}, {50, 10}}, "two points", 0},
                                        {{{10, 10}, {50, 10}, {90, 10}, {20, 10}}, "flat", 0},
                                        {{{500, 500}, {600, 500}, {600, 550}, {500, 550}}, "outside", 0},
                                        {{}, "", 0}};
  const cv::Mat out = DrawOcrResult(image, skipped, Fonts(), VisOptions{});
  EXPECT_EQ(cv::norm(out(cv::Rect(0, 0, 100, 100)), image, cv::NORM_INF), 0);
  // Huge and negative coordinates are clamped to the image.
  const std::vector<VisLine> wild = {{{{-1e6f, -1e6f}, {1e7f, -5}, {1e7f, 1e7f}, {-3, 1e7f}}, "wild 野", 0}};
  EXPECT_EQ(DrawOcrResult(image, wild, Fonts(), VisOptions{}).size(), cv::Size(200, 100));
  const std::vector<VisLine> nan = {{{{0, 0}, {NAN, 0}, {10, 10}}, "x", 0}};
  EXPECT_THROW(DrawOcrResult(image, nan, Fonts(), VisOptions{}), ocr::Error);
  EXPECT_THROW(DrawOcrResult(cv::Mat(), {}, Fonts(), VisOptions{}), ocr::Error);
  VisOptions bad;
  bad.fill_alpha = 2;
  EXPECT_THROW(DrawOcrResult(image, {}, Fonts(), bad), ocr::Error);
  // Control characters and invalid UTF-8 draw without error.
  const std::vector<VisLine> odd = {{{{10, 10}, {90, 10}, {90, 40}, {10, 40}}, "a\tb\n\xff", 0}};
  EXPECT_NO_THROW(DrawOcrResult(image, odd, Fonts(), VisOptions{}));
}

}  // namespace
}  // namespace ocr::render
