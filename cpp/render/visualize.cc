#include "render/visualize.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "core/error.h"
#include "core/types.h"

namespace ocr::render {
namespace {

constexpr int kShift = 4;  // sub-pixel bits of OpenCV's polygon drawing
constexpr float kShiftScale = float(1 << kShift);
// A CJK font's ideographic em box sits 0.88 em above and 0.12 em below the
// baseline; centring that box centres both CJK and Latin text well.
constexpr float kEmAboveBaseline = 0.88f;

struct Geometry {
  std::vector<cv::Point2f> points;  // clamped to the image
  bool quad = false;
  float width = 0, height = 0;      // text box size (quad: mean side lengths)
  cv::Rect bounds;                  // pixel bounds, inside the image
};

float Dist(cv::Point2f a, cv::Point2f b) { return static_cast<float>(Length(a.x - b.x, a.y - b.y)); }

bool LineGeometry(const VisLine& line, size_t index, cv::Size size, Geometry* g) {
  for (const cv::Point2f& p : line.polygon) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) {
      throw ocr::Error(ocr::ErrorCode::kInvalidOption,
                       "lines[" + std::to_string(index) + "].polygon: coordinates must be finite numbers");
    }
  }
  if (line.polygon.size() < 3) return false;
  g->points.clear();
  for (const cv::Point2f& p : line.polygon) {
    g->points.emplace_back(std::clamp(p.x, 0.0f, float(size.width)), std::clamp(p.y, 0.0f, float(size.height)));
  }
  float x0 = g->points[0].x, x1 = x0, y0 = g->points[0].y, y1 = y0;
  for (const cv::Point2f& p : g->points) {
    x0 = std::min(x0, p.x), x1 = std::max(x1, p.x), y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
  }
  const cv::Rect2f box(x0, y0, x1 - x0, y1 - y0);
  g->bounds = cv::Rect(cv::Point(int(std::floor(x0)), int(std::floor(y0))), cv::Point(int(std::ceil(x1)), int(std::ceil(y1)))) &
              cv::Rect(0, 0, size.width, size.height);
  if (g->bounds.width < 2 || g->bounds.height < 2 || cv::contourArea(g->points) < 2.0) return false;
  g->quad = g->points.size() == 4;
  if (g->quad) {
    const auto& p = g->points;
    g->width = 0.5f * (Dist(p[0], p[1]) + Dist(p[3], p[2]));
    g->height = 0.5f * (Dist(p[0], p[3]) + Dist(p[1], p[2]));
  } else {
    g->width = box.width;
    g->height = box.height;
  }
  return g->width >= 2 && g->height >= 2;
}

std::vector<cv::Point> Fixed(const std::vector<cv::Point2f>& points) {
  std::vector<cv::Point> out;
  for (const cv::Point2f& p : points) out.emplace_back(int(std::lround(p.x * kShiftScale)), int(std::lround(p.y * kShiftScale)));
  return out;
}

// dst = dst * (1 - c) + ink * c over the overlap of `coverage` placed at (x, y).
void BlendInk(const cv::Mat& coverage, cv::Vec3b ink, int x, int y, cv::Mat* dst) {
  const cv::Rect r = cv::Rect(x, y, coverage.cols, coverage.rows) & cv::Rect(0, 0, dst->cols, dst->rows);
  for (int row = r.y; row < r.y + r.height; ++row) {
    const uint8_t* c = coverage.ptr<uint8_t>(row - y) + (r.x - x);
    cv::Vec3b* d = dst->ptr<cv::Vec3b>(row) + r.x;
    for (int col = 0; col < r.width; ++col) {
      const int a = c[col];
      if (a == 0) continue;
      for (int k = 0; k < 3; ++k) d[col][k] = uint8_t((d[col][k] * (255 - a) + ink[k] * a + 127) / 255);
    }
  }
}

// Pastes `src` into `dst` at (x, y), clipped, keeping the larger coverage.
void PasteMax(const cv::Mat& src, int x, int y, cv::Mat* dst) {
  const cv::Rect r = cv::Rect(x, y, src.cols, src.rows) & cv::Rect(0, 0, dst->cols, dst->rows);
  if (r.empty()) return;
  cv::Mat target = (*dst)(r);
  cv::max(src(cv::Rect(r.x - x, r.y - y, r.width, r.height)), target, target);
}

std::u32string Printable(const std::string& text) {
  std::u32string s = DecodeUtf8(text);
  for (char32_t& c : s) {
    if (c < 0x20 || c == 0x7F) c = U' ';
  }
  return s;
}

// The line's text as coverage in a width x height box: one horizontal line
// fitted to the height (shrunk to fit the width), or, for a tall box, the
// characters stacked top to bottom (as PaddleX's draw_vertical).
cv::Mat TextInBox(const FontChain& fonts, const std::u32string& text, float width, float height) {
  const int w = std::max(1, int(std::lround(width))), h = std::max(1, int(std::lround(height)));
  cv::Mat canvas = cv::Mat::zeros(h, w, CV_8UC1);
  if (text.empty()) return canvas;
  const float line_per_em = fonts.line_per_em();
  const float max_em = 2000.0f / line_per_em;
  const bool vertical = height > 2 * width && height > 30 && text.size() > 1;
  if (!vertical) {
    float em = 0.85f * height;
    const float text_width = MeasureText(fonts, text, std::min(em, max_em) * line_per_em);
    if (text_width > 0.96f * width) em *= 0.96f * width / text_width;
    em = std::min(em, max_em);
    if (em * line_per_em < 2.0f) return canvas;
    const TextRaster r = RasterizeText(fonts, text, em * line_per_em);
    const float x = std::min(0.1f * em, std::max(0.0f, width - float(r.coverage.cols)));
    const float baseline = 0.5f * (height - em) + kEmAboveBaseline * em;
    PasteMax(r.coverage, int(std::lround(x)), int(std::lround(baseline)) - r.baseline, &canvas);
    return canvas;
  }
  const float em = std::min({0.85f * width, 0.95f * height / float(text.size()), max_em});
  if (em * line_per_em < 2.0f) return canvas;
  const float top = 0.5f * (height - em * float(text.size()));
  for (size_t k = 0; k < text.size(); ++k) {
    const TextRaster r = RasterizeText(fonts, text.substr(k, 1), em * line_per_em);
    const float baseline = top + float(k) * em + kEmAboveBaseline * em;
    PasteMax(r.coverage, int(std::lround(0.5f * (width - float(r.coverage.cols)))), int(std::lround(baseline)) - r.baseline,
             &canvas);
  }
  return canvas;
}

// Maps the text box onto the panel: warped into a slanted quad, placed
// directly for an upright quad or a polygon's bounding rectangle.
void DrawText(const FontChain& fonts, const VisLine& line, const Geometry& g, cv::Mat* panel) {
  const std::u32string text = Printable(line.text);
  if (text.empty()) return;
  const cv::Mat canvas = TextInBox(fonts, text, g.width, g.height);
  const auto& p = g.points;
  const bool upright = g.quad && std::fabs(p[0].y - p[1].y) < 0.75f && std::fabs(p[3].y - p[2].y) < 0.75f &&
                       std::fabs(p[0].x - p[3].x) < 0.75f && std::fabs(p[1].x - p[2].x) < 0.75f;
  if (!g.quad || upright) {
    const cv::Point origin = g.quad ? cv::Point(int(std::lround(p[0].x)), int(std::lround(p[0].y))) : g.bounds.tl();
    BlendInk(canvas, cv::Vec3b(0, 0, 0), origin.x, origin.y, panel);
    return;
  }
  const cv::Point2f src[4] = {{0, 0}, {float(canvas.cols), 0}, {float(canvas.cols), float(canvas.rows)}, {0, float(canvas.rows)}};
  cv::Point2f dst[4];
  for (int k = 0; k < 4; ++k) dst[k] = p[k] - cv::Point2f(g.bounds.tl());
  const cv::Mat m = cv::getPerspectiveTransform(src, dst);
  if (!cv::checkRange(m)) return;
  cv::Mat warped;
  cv::warpPerspective(canvas, warped, m, g.bounds.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(0));
  BlendInk(warped, cv::Vec3b(0, 0, 0), g.bounds.x, g.bounds.y, panel);
}

// The line's index in white on a box of its colour, just above its first point.
void DrawIndex(const FontChain& fonts, size_t index, cv::Point2f first, cv::Vec3b color, float label_height, cv::Mat* image) {
  const TextRaster r = RasterizeText(fonts, std::to_string(index), label_height);
  const int pad = std::max(1, int(label_height / 8));
  const int w = r.coverage.cols + 2 * pad, h = r.coverage.rows;
  const int x = std::clamp(int(std::lround(first.x)), 0, std::max(0, image->cols - w));
  const int y = std::clamp(int(std::lround(first.y)) - h, 0, std::max(0, image->rows - h));
  cv::rectangle(*image, cv::Rect(x, y, w, h), cv::Scalar(color[0], color[1], color[2]), cv::FILLED);
  BlendInk(r.coverage, cv::Vec3b(255, 255, 255), x + pad, y, image);
}

}  // namespace

cv::Vec3b LineColor(size_t index, uint32_t seed) {
  const double hue = std::fmod(0.05 + 0.38196601 * double(seed) + 0.61803399 * double(index % 100003), 1.0) * 6.0;
  const double s = 0.85, v = 0.92;
  const int sector = int(hue) % 6;
  const double f = hue - std::floor(hue);
  const double p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
  double r = v, g = t, b = p;
  switch (sector) {
    case 0: r = v, g = t, b = p; break;
    case 1: r = q, g = v, b = p; break;
    case 2: r = p, g = v, b = t; break;
    case 3: r = p, g = q, b = v; break;
    case 4: r = t, g = p, b = v; break;
    default: r = v, g = p, b = q; break;
  }
  return cv::Vec3b(cv::saturate_cast<uint8_t>(b * 255), cv::saturate_cast<uint8_t>(g * 255), cv::saturate_cast<uint8_t>(r * 255));
}

cv::Mat DrawOcrResult(const cv::Mat& bgr, const std::vector<VisLine>& lines, const FontChain& fonts,
                      const VisOptions& options) {
  if (bgr.empty() || bgr.type() != CV_8UC3) {
    throw ocr::Error(ocr::ErrorCode::kInvalidOption, "DrawOcrResult: the image must be non-empty 8-bit BGR");
  }
  if (!(options.fill_alpha >= 0 && options.fill_alpha <= 1)) {
    throw ocr::Error(ocr::ErrorCode::kInvalidOption, "DrawOcrResult: fill_alpha must be in [0, 1]");
  }
  const cv::Size size = bgr.size();
  std::vector<Geometry> geometry(lines.size());
  std::vector<bool> drawn(lines.size(), false);
  for (size_t i = 0; i < lines.size(); ++i) drawn[i] = LineGeometry(lines[i], i, size, &geometry[i]);

  // Left: translucent fills, then outlines, then index labels on top.
  cv::Mat overlay = bgr.clone();
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!drawn[i]) continue;
    const cv::Vec3b c = LineColor(i, options.color_seed);
    cv::fillPoly(overlay, std::vector<std::vector<cv::Point>>{Fixed(geometry[i].points)}, cv::Scalar(c[0], c[1], c[2]),
                 cv::LINE_AA, kShift);
  }
  cv::Mat left;
  cv::addWeighted(overlay, options.fill_alpha, bgr, 1.0 - options.fill_alpha, 0.0, left);
  const int thickness = std::max(1, int(std::lround(std::max(size.width, size.height) / 600.0)));
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!drawn[i]) continue;
    const cv::Vec3b c = LineColor(i, options.color_seed);
    cv::polylines(left, std::vector<std::vector<cv::Point>>{Fixed(geometry[i].points)}, true, cv::Scalar(c[0], c[1], c[2]),
                  thickness, cv::LINE_AA, kShift);
  }
  if (options.draw_indices) {
    const float label_height = std::clamp(float(std::min(size.width, size.height)) / 40.0f, 12.0f, 48.0f);
    for (size_t i = 0; i < lines.size(); ++i) {
      if (drawn[i]) DrawIndex(fonts, i, geometry[i].points[0], LineColor(i, options.color_seed), label_height, &left);
    }
  }
  if (!options.draw_panel) return left;

  // Right: white panel, each line's text in its box, the box outlined.
  cv::Mat panel(size, CV_8UC3, cv::Scalar(255, 255, 255));
  for (size_t i = 0; i < lines.size(); ++i) {
    if (drawn[i]) DrawText(fonts, lines[i], geometry[i], &panel);
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!drawn[i]) continue;
    const cv::Vec3b c = LineColor(i, options.color_seed);
    cv::polylines(panel, std::vector<std::vector<cv::Point>>{Fixed(geometry[i].points)}, true, cv::Scalar(c[0], c[1], c[2]),
                  thickness, cv::LINE_AA, kShift);
  }
  cv::Mat out;
  cv::hconcat(left, panel, out);
  return out;
}

}  // namespace ocr::render
