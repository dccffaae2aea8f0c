// Speed of the text-detection post-processors on synthetic 1280x720 maps.
//
// Two scenes of words: "dense" (a document block with touching neighbours,
// headlines, rotated words and a curved word: 289 words) and "sparse" (10
// words of 16-84 px scattered over a photo-like page, some rotated, one
// curved). Each is rendered into the maps each post-processor expects: DB
// probability (1280x720), PSE kernels and PAN text / kernel / embedding maps
// (320x180, downsample 0.25), EAST score and geometry (320x180, stride 4) and
// FCE levels (strides 8, 16, 32). Each post-processor then runs `--warmup`
// times untimed and `--runs` times timed; the table gives the median and p90
// per call and the region count, which must lie in a sane range of the number
// of words (exit code 1 if not).
//
//   postprocess_bench [--scene dense|sparse|both] [--runs 30] [--warmup 3] [--markdown FILE]
//                     [--only NAME] [--dump FILE]
//
// --scene picks the scene(s) (default both; one table each);
// --only runs the post-processors whose name starts with NAME (for profiling);
// --dump writes every region (scene, post-processor, score, quad, polygon) to
// FILE, to check that a speed-up leaves the results unchanged (diff two dumps).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <complex>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <time.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <opencv2/imgproc.hpp>

#include "detect/db.h"
#include "detect/east.h"
#include "detect/fce.h"
#include "detect/pan.h"
#include "detect/pse.h"

namespace {

using ocr::detect::DbParams;
using ocr::detect::EastParams;
using ocr::detect::FceLevel;
using ocr::detect::FceParams;
using ocr::detect::PanParams;
using ocr::detect::PseParams;
using Polygon = std::vector<cv::Point2f>;

const cv::Size kInput(1280, 720);
constexpr int kPseKernels = 7;    // PSENet: 7 kernels, smallest at scale 0.4
constexpr int kFourierDegree = 5;  // FCENet default

// ---------------------------------------------------------------- the scene

// A word: a rotated rectangle, or a band along a circular arc (curved text).
struct Word {
  bool arc = false;
  cv::Point2f centre;  // rectangle centre, or arc circle centre
  float width = 0;     // rectangle width (along the text)
  float height = 0;    // text height (rectangle height or band thickness)
  float degrees = 0;   // rectangle rotation, clockwise on screen
  float radius = 0;    // arc: radius of the band's middle line
  float start = 0;     // arc: start and end angles (degrees, y down)
  float end = 0;

  // Outline inset by `d` px (0 = the word itself).
  Polygon Outline(float d) const {
    if (!arc) return RotatedRect(std::max(width - 2 * d, 1.0f), std::max(height - 2 * d, 1.0f));
    const float half = std::max(height / 2 - d, 0.5f);
    const float trim = static_cast<float>(d / radius * 180 / CV_PI);
    return ArcBand(radius - half, radius + half, start + trim, end - trim);
  }

  // The text centre line thickened to `thickness`, shortened by `d` at both ends.
  Polygon CentreBand(float thickness, float d) const {
    if (!arc) return RotatedRect(std::max(width - 2 * d, 1.0f), thickness);
    const float trim = static_cast<float>(d / radius * 180 / CV_PI);
    return ArcBand(radius - thickness / 2, radius + thickness / 2, start + trim, end - trim);
  }

  // Inset of the PSENet / PANet / DB shrink of ratio r: area (1 - r^2) / perimeter.
  float ShrinkDistance(float ratio) const {
    const Polygon outline = Outline(0);
    const double area = cv::contourArea(outline);
    const double perimeter = cv::arcLength(outline, true);
    return static_cast<float>(area * (1 - ratio * ratio) / perimeter);
  }

 private:
  Polygon RotatedRect(float w, float h) const {
    const double a = degrees * CV_PI / 180;
    const double c = std::cos(a), s = std::sin(a);
    auto at = [&](double dx, double dy) {
      return cv::Point2f(static_cast<float>(centre.x + dx * c - dy * s),
                         static_cast<float>(centre.y + dx * s + dy * c));
    };
    return {at(-w / 2, -h / 2), at(w / 2, -h / 2), at(w / 2, h / 2), at(-w / 2, h / 2)};
  }

  Polygon ArcBand(float inner, float outer, float from, float to) const {
    constexpr int kSteps = 16;
    Polygon band;
    auto at = [&](float r, float deg) {
      const double a = deg * CV_PI / 180;
      return cv::Point2f(static_cast<float>(centre.x + r * std::cos(a)),
                         static_cast<float>(centre.y + r * std::sin(a)));
    };
    for (int i = 0; i <= kSteps; ++i) band.push_back(at(outer, from + (to - from) * i / kSteps));
    for (int i = kSteps; i >= 0; --i) band.push_back(at(inner, from + (to - from) * i / kSteps));
    return band;
  }
};

// A curved word: a band `height` px thick along the circle of `radius` around
// `centre`, from angle `start` to `end` (degrees, y down).
Word ArcWord(cv::Point2f centre, float radius, float height, float start, float end) {
  Word word;
  word.arc = true;
  word.centre = centre;
  word.radius = radius;
  word.height = height;
  word.start = start;
  word.end = end;
  return word;
}

struct Scene {
  std::string name;
  std::vector<Word> words;
  int lines = 0;
};

// Words of one horizontal line from x0 to x1; about 1 gap in 5 is 0 (touching words).
void AddLine(Scene& scene, std::mt19937& rng, float x0, float x1, float y, float height,
             float min_width, float max_width, float min_gap, float max_gap) {
  std::uniform_real_distribution<float> width(min_width, max_width), gap(min_gap, max_gap), u(0, 1);
  float x = x0;
  while (true) {
    const float w = width(rng);
    if (x + w > x1) break;
    Word word;
    word.centre = {x + w / 2, y + height / 2};
    word.width = w;
    word.height = height;
    scene.words.push_back(word);
    x += w + (u(rng) < 0.2f ? 0.0f : gap(rng));
  }
  ++scene.lines;
}

Scene MakeDenseScene() {
  std::mt19937 rng(20261202);
  std::uniform_real_distribution<float> u(0, 1);
  Scene scene;
  scene.name = "dense";
  // Left: a document block, 27 lines of 16-18 px text.
  for (int i = 0; i < 27; ++i) {
    AddLine(scene, rng, 32, 820, 36 + 24.0f * i, 16 + 2 * u(rng), 24, 110, 6, 12);
  }
  // Right, top: two large headlines and four sub-heads.
  AddLine(scene, rng, 860, 1250, 36, 52, 90, 200, 16, 28);
  AddLine(scene, rng, 860, 1250, 104, 52, 90, 200, 16, 28);
  for (int i = 0; i < 4; ++i) AddLine(scene, rng, 860, 1250, 176 + 48.0f * i, 30, 60, 150, 12, 20);
  // Right, middle: eight rotated words (+-15 degrees) in two columns.
  for (int r = 0; r < 4; ++r) {
    for (int c = 0; c < 2; ++c) {
      Word word;
      word.centre = {960.0f + 190 * c, 390.0f + 64 * r};
      word.width = 70 + 60 * u(rng);
      word.height = 24 + 6 * u(rng);
      word.degrees = (u(rng) < 0.5f ? -1 : 1) * (5 + 10 * u(rng));
      scene.words.push_back(word);
      ++scene.lines;
    }
  }
  // Right, bottom: one curved word (an arc band 30 px thick).
  scene.words.push_back(ArcWord({1050, 820}, 160, 30, 235, 305));
  ++scene.lines;
  return scene;
}

// A photo-like page: 10 single-line signs and labels far apart, as in
// test/fixtures/images/photo-a-1280x720.jpg (one 84 px sign, headings of
// 29-48 px, small 16-23 px labels, rotations of up to 10 degrees, one curved
// word); the rest of the page is background.
Scene MakeSparseScene() {
  struct Rect {
    float x, y, width, height, degrees;
  };
  const Rect rects[] = {
      {315, 418, 362, 48, 0},   {842, 347, 375, 41, 10},  {760, 510, 315, 84, 0},
      {358, 225, 203, 19, -10}, {476, 55, 178, 29, 5},    {196, 195, 190, 22, -10},
      {1095, 170, 169, 30, -5}, {1138, 525, 123, 23, -10}, {200, 640, 140, 16, 0},
  };
  Scene scene;
  scene.name = "sparse";
  for (const Rect& r : rects) {
    Word word;
    word.centre = {r.x, r.y};
    word.width = r.width;
    word.height = r.height;
    word.degrees = r.degrees;
    scene.words.push_back(word);
    ++scene.lines;
  }
  scene.words.push_back(ArcWord({1000, 900}, 262, 36, 250, 290));  // a band 36 px thick, x 904-1096, y 620-672
  ++scene.lines;
  return scene;
}

// ---------------------------------------------------------------- rendering

// Fills polygons (input pixels) scaled by 1 / stride into `map` (any depth),
// with 4 bits of sub-pixel precision.
void Fill(cv::Mat& map, const Polygon& polygon, float stride, const cv::Scalar& value) {
  std::vector<cv::Point> points;
  for (const cv::Point2f& p : polygon) {
    points.emplace_back(cvRound(p.x / stride * 16), cvRound(p.y / stride * 16));
  }
  cv::fillPoly(map, std::vector<std::vector<cv::Point>>{points}, value, cv::LINE_8, 4);
}

// Fraction of each map pixel covered by the union of the polygons: rendered
// at input resolution, then area-averaged down to `map_size`.
cv::Mat Coverage(const std::vector<Polygon>& polygons, float stride, cv::Size map_size) {
  const cv::Size fine(cvRound(map_size.width * stride), cvRound(map_size.height * stride));
  cv::Mat mask = cv::Mat::zeros(fine, CV_8UC1);
  for (const Polygon& p : polygons) Fill(mask, p, 1.0f, cv::Scalar(255));
  cv::Mat coarse, out;
  cv::resize(mask, coarse, map_size, 0, 0, cv::INTER_AREA);
  coarse.convertTo(out, CV_32F, 1.0 / 255);
  return out;
}

// Map pixel -> 1 + index of the last word whose polygon covers it (0: none).
cv::Mat WordIndex(const std::vector<Polygon>& polygons, float stride, cv::Size map_size) {
  cv::Mat index = cv::Mat::zeros(map_size, CV_32SC1);
  for (size_t i = 0; i < polygons.size(); ++i) {
    Fill(index, polygons[i], stride, cv::Scalar(static_cast<double>(i + 1)));
  }
  return index;
}

// Logit of a coverage: -gain at 0, +gain at 1, 0 at half coverage, plus noise.
cv::Mat Logits(const cv::Mat& coverage, float gain, std::mt19937& rng) {
  std::uniform_real_distribution<float> noise(-0.5f, 0.5f);
  cv::Mat out(coverage.size(), CV_32FC1);
  for (int y = 0; y < out.rows; ++y) {
    for (int x = 0; x < out.cols; ++x) {
      out.at<float>(y, x) = gain * (2 * coverage.at<float>(y, x) - 1) + noise(rng);
    }
  }
  return out;
}

template <typename F>
std::vector<Polygon> Outlines(const std::vector<Word>& words, F outline) {
  std::vector<Polygon> polygons;
  for (const Word& w : words) polygons.push_back(outline(w));
  return polygons;
}

cv::Size MapSize(float stride) {
  return {static_cast<int>(std::ceil(kInput.width / stride)),
          static_cast<int>(std::ceil(kInput.height / stride))};
}

// DB: probability of the text shrunk at ratio 0.4, softened and noisy.
cv::Mat DbMap(const Scene& scene, std::mt19937& rng) {
  auto shrunk = Outlines(scene.words, [](const Word& w) { return w.Outline(w.ShrinkDistance(0.4f)); });
  cv::Mat prob = Coverage(shrunk, 1.0f, kInput);
  cv::GaussianBlur(prob, prob, cv::Size(5, 5), 1.0);
  std::uniform_real_distribution<float> noise(0.0f, 0.04f);
  for (int y = 0; y < prob.rows; ++y) {
    float* row = prob.ptr<float>(y);
    for (int x = 0; x < prob.cols; ++x) row[x] = std::min(0.01f + 0.95f * row[x] + noise(rng), 1.0f);
  }
  return prob;
}

// PSE: 7 kernel logit maps, kernel i shrunk at ratio 1 - 0.6 i / 6.
std::vector<cv::Mat> PseMaps(const Scene& scene, std::mt19937& rng) {
  std::vector<cv::Mat> maps;
  for (int i = 0; i < kPseKernels; ++i) {
    const float ratio = 1.0f - 0.6f * i / (kPseKernels - 1);
    auto polygons = Outlines(scene.words, [&](const Word& w) { return w.Outline(w.ShrinkDistance(ratio)); });
    maps.push_back(Logits(Coverage(polygons, 4, MapSize(4)), 6, rng));
  }
  return maps;
}

// PAN: text and kernel (ratio 0.5) logits, 4 embedding channels: each word
// its own vector (>= 5 apart from the two words before it) plus noise.
std::vector<cv::Mat> PanMaps(const Scene& scene, std::mt19937& rng) {
  const cv::Size size = MapSize(4);
  auto full = Outlines(scene.words, [](const Word& w) { return w.Outline(0); });
  auto kernel = Outlines(scene.words, [](const Word& w) { return w.Outline(w.ShrinkDistance(0.5f)); });
  std::vector<cv::Mat> maps = {Logits(Coverage(full, 4, size), 6, rng),
                               Logits(Coverage(kernel, 4, size), 6, rng)};
  constexpr int kDims = 4;
  std::uniform_real_distribution<float> component(-6, 6);
  std::normal_distribution<float> noise(0, 0.25f);
  std::vector<cv::Vec4f> vectors;
  for (size_t i = 0; i < scene.words.size(); ++i) {
    cv::Vec4f v;
    bool apart = false;
    while (!apart) {
      for (int d = 0; d < kDims; ++d) v[d] = component(rng);
      apart = true;
      for (size_t back = 1; back <= 2 && back <= i; ++back) apart &= cv::norm(v - vectors[i - back]) >= 5;
    }
    vectors.push_back(v);
  }
  const cv::Mat index = WordIndex(full, 4, size);
  for (int d = 0; d < kDims; ++d) {
    cv::Mat e(size, CV_32FC1);
    for (int y = 0; y < size.height; ++y) {
      for (int x = 0; x < size.width; ++x) {
        const int w = index.at<int>(y, x);
        e.at<float>(y, x) = (w > 0 ? vectors[w - 1][d] : 0.0f) + noise(rng);
      }
    }
    maps.push_back(e);
  }
  return maps;
}

struct EastMaps {
  cv::Mat score;
  std::vector<cv::Mat> geometry;
};

// EAST: score = coverage of the word inset by a quarter of its height; every
// pixel of the word proposes its min-area quad (corner offsets, +-1 px noise).
EastMaps MakeEastMaps(const Scene& scene, std::mt19937& rng) {
  constexpr int kStride = 4;
  const cv::Size size = MapSize(kStride);
  auto full = Outlines(scene.words, [](const Word& w) { return w.Outline(0); });
  auto inner = Outlines(scene.words, [](const Word& w) { return w.Outline(0.25f * w.height); });
  EastMaps m;
  m.score = 0.98f * Coverage(inner, kStride, size);
  std::vector<std::array<cv::Point2f, 4>> quads;
  for (const Polygon& p : full) {
    std::array<cv::Point2f, 4> q;
    cv::minAreaRect(p).points(q.data());
    quads.push_back(q);
  }
  const cv::Mat index = WordIndex(full, kStride, size);
  std::normal_distribution<float> noise(0, 1.0f);
  for (int c = 0; c < 8; ++c) m.geometry.push_back(cv::Mat::zeros(size, CV_32FC1));
  for (int y = 0; y < size.height; ++y) {
    for (int x = 0; x < size.width; ++x) {
      const int w = index.at<int>(y, x);
      if (w == 0) continue;
      for (int i = 0; i < 4; ++i) {
        m.geometry[2 * i].at<float>(y, x) = kStride * x - quads[w - 1][i].x + noise(rng);
        m.geometry[2 * i + 1].at<float>(y, x) = kStride * y - quads[w - 1][i].y + noise(rng);
      }
    }
  }
  return m;
}

// c_-k .. c_k of the outline sampled at 256 points evenly along its length.
std::vector<std::complex<double>> FourierCoefficients(const Polygon& outline) {
  constexpr int kSamples = 256;
  std::vector<double> cumulative = {0};
  for (size_t i = 0; i < outline.size(); ++i) {
    cumulative.push_back(cumulative.back() + cv::norm(outline[(i + 1) % outline.size()] - outline[i]));
  }
  std::vector<std::complex<double>> z;
  size_t edge = 0;
  for (int j = 0; j < kSamples; ++j) {
    const double s = cumulative.back() * j / kSamples;
    while (cumulative[edge + 1] < s) ++edge;
    const double t = (s - cumulative[edge]) / (cumulative[edge + 1] - cumulative[edge]);
    const cv::Point2f a = outline[edge], b = outline[(edge + 1) % outline.size()];
    z.emplace_back(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y));
  }
  std::vector<std::complex<double>> c;
  for (int m = -kFourierDegree; m <= kFourierDegree; ++m) {
    std::complex<double> sum = 0;
    for (int j = 0; j < kSamples; ++j) sum += z[j] * std::polar(1.0, -2 * CV_PI * m * j / kSamples);
    c.push_back(sum / double(kSamples));
  }
  return c;
}

// FCE: words go to the level of their height (<= 24 px: stride 8, <= 48 px:
// 16, else 32). Text region = the word, centre region = its centre line
// (0.3 of the height, at least 1.5 map pixels thick); every word pixel holds
// the word's Fourier coefficients (noise 0.05 map px).
std::vector<FceLevel> FceLevels(const Scene& scene, std::mt19937& rng) {
  std::vector<FceLevel> levels;
  std::normal_distribution<float> noise(0, 0.05f);
  for (int scale : {8, 16, 32}) {
    std::vector<Word> words;
    for (const Word& w : scene.words) {
      const int level = w.height <= 24 ? 8 : w.height <= 48 ? 16 : 32;
      if (level == scale) words.push_back(w);
    }
    const cv::Size size = MapSize(static_cast<float>(scale));
    auto full = Outlines(words, [](const Word& w) { return w.Outline(0); });
    auto centre = Outlines(words, [&](const Word& w) {
      return w.CentreBand(std::max(0.3f * w.height, 1.5f * scale), 0.15f * w.height);
    });
    FceLevel level;
    level.scale = scale;
    const cv::Mat zero = cv::Mat::zeros(size, CV_32FC1);
    level.text_region = {zero.clone(), Logits(Coverage(full, scale, size), 6, rng)};
    level.center_region = {zero.clone(), Logits(Coverage(centre, scale, size), 6, rng)};
    std::vector<std::vector<std::complex<double>>> coefficients;
    for (const Polygon& p : full) coefficients.push_back(FourierCoefficients(p));
    const cv::Mat index = WordIndex(full, static_cast<float>(scale), size);
    for (int t = 0; t < 2 * kFourierDegree + 1; ++t) {
      cv::Mat fx = zero.clone(), fy = zero.clone();
      for (int y = 0; y < size.height; ++y) {
        for (int x = 0; x < size.width; ++x) {
          const int w = index.at<int>(y, x);
          if (w == 0) continue;
          std::complex<double> v = coefficients[w - 1][t] / double(scale);
          if (t == kFourierDegree) v -= std::complex<double>(x, y);
          fx.at<float>(y, x) = static_cast<float>(v.real()) + noise(rng);
          fy.at<float>(y, x) = static_cast<float>(v.imag()) + noise(rng);
        }
      }
      level.fourier_x.push_back(fx);
      level.fourier_y.push_back(fy);
    }
    levels.push_back(std::move(level));
  }
  return levels;
}

// ---------------------------------------------------------------- timing

struct Result {
  std::string name, maps;
  size_t regions = 0;
  double median = 0, p90 = 0, cpu_median = 0;
  double min_expected = 0, max_expected = 0;
  bool ok() const { return regions >= min_expected && regions <= max_expected; }
};

double Percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const size_t i = static_cast<size_t>(std::ceil(q * v.size())) - 1;
  return v[std::min(i, v.size() - 1)];
}

// CPU time of this thread (the post-processors run on one thread: setNumThreads(1)).
// Next to the wall time it shows how much of a slow run was waiting for a core.
double ThreadCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

using Call = std::function<std::vector<ocr::TextRegion>()>;

Result Time(const std::string& name, const std::string& maps, int warmup, int runs, const Call& call) {
  Result r{name, maps};
  for (int i = 0; i < warmup; ++i) r.regions = call().size();
  std::vector<double> ms, cpu_ms;
  for (int i = 0; i < runs; ++i) {
    const double cpu0 = ThreadCpuMs();
    const auto t0 = std::chrono::steady_clock::now();
    r.regions = call().size();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    cpu_ms.push_back(ThreadCpuMs() - cpu0);
  }
  r.median = Percentile(ms, 0.5);
  r.p90 = Percentile(ms, 0.9);
  r.cpu_median = Percentile(cpu_ms, 0.5);
  return r;
}

void Dump(std::FILE* out, const std::string& name, const std::vector<ocr::TextRegion>& regions) {
  for (const ocr::TextRegion& r : regions) {
    std::fprintf(out, "%s score %.9g quad", name.c_str(), r.score);
    for (const cv::Point2f& p : r.quad) std::fprintf(out, " %.9g,%.9g", p.x, p.y);
    std::fprintf(out, " polygon");
    for (const cv::Point2f& p : r.polygon) std::fprintf(out, " %.9g,%.9g", p.x, p.y);
    std::fprintf(out, "\n");
  }
}

std::string Table(const std::vector<Result>& results, size_t words) {
  std::ostringstream out;
  char line[256];
  out << "| post-processor | maps | regions (of " << words << " words) | median ms | p90 ms | CPU median ms |\n";
  out << "|---|---|---:|---:|---:|---:|\n";
  for (const Result& r : results) {
    std::snprintf(line, sizeof line, "| %s | %s | %zu | %.2f | %.2f | %.2f |\n", r.name.c_str(),
                  r.maps.c_str(), r.regions, r.median, r.p90, r.cpu_median);
    out << line;
  }
  return out.str();
}

// Renders the scene's maps, times every post-processor on them (those whose
// name starts with `only`) and returns the results; false if a region count
// is out of range.
bool RunScene(const Scene& scene, int warmup, int runs, const std::string& only, std::FILE* dump_file,
              std::vector<Result>& results) {
  const double words = static_cast<double>(scene.words.size());
  std::mt19937 rng(7);
  const cv::Mat db = DbMap(scene, rng);
  const std::vector<cv::Mat> pse = PseMaps(scene, rng);
  const std::vector<cv::Mat> pan = PanMaps(scene, rng);
  const EastMaps east = MakeEastMaps(scene, rng);
  const std::vector<FceLevel> fce = FceLevels(scene, rng);
  std::printf("scene %s: %zu words on %d lines, input %dx%d, %d timed runs after %d warm-up\n",
              scene.name.c_str(), scene.words.size(), scene.lines, kInput.width, kInput.height, runs, warmup);

  auto run = [&](const std::string& name, const std::string& maps, double lo, double hi, const Call& call) {
    if (name.compare(0, only.size(), only) != 0) return;
    if (dump_file) Dump(dump_file, scene.name + " " + name, call());
    Result r = Time(name, maps, warmup, runs, call);
    r.min_expected = lo * words;
    r.max_expected = hi * words;
    std::printf("%-12s %8.2f ms median %8.2f ms p90 %8.2f ms CPU %5zu regions%s\n", name.c_str(), r.median,
                r.p90, r.cpu_median, r.regions, r.ok() ? "" : "  <-- region count out of range");
    std::fflush(stdout);
    results.push_back(r);
  };
  run("DB (quad)", "1 x 1280x720", 0.9, 1.05,
      [&] { return ocr::detect::DbPostprocess(db, DbParams{}, kInput); });
  run("DB (polygon)", "1 x 1280x720", 0.9, 1.05, [&] {
    DbParams p;
    p.box_type = ocr::detect::BoxType::kPolygon;
    return ocr::detect::DbPostprocess(db, p, kInput);
  });
  run("PSE (quad)", "7 x 320x180", 0.8, 1.05,
      [&] { return ocr::detect::PsePostprocess(pse, PseParams{}, kInput); });
  run("PAN (quad)", "6 x 320x180", 0.8, 1.05,
      [&] { return ocr::detect::PanPostprocess(pan, PanParams{}, kInput); });
  run("EAST", "9 x 320x180", 0.8, 1.1, [&] {
    return ocr::detect::EastPostprocess(east.score, east.geometry, EastParams{}, kInput, kInput);
  });
  run("FCE", "26 x 160x90, 80x45, 40x23", 0.6, 1.1, [&] {
    FceParams p;
    p.fourier_degree = kFourierDegree;
    return ocr::detect::FcePostprocess(fce, p, kInput, kInput);
  });

  bool ok = true;
  for (const Result& r : results) {
    if (!r.ok()) {
      std::fprintf(stderr, "%s scene, %s: %zu regions, expected %.0f..%.0f\n", scene.name.c_str(),
                   r.name.c_str(), r.regions, r.min_expected, r.max_expected);
      ok = false;
    }
  }
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 30, warmup = 3;
  std::string markdown, only, dump, which = "both";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--warmup" && i + 1 < argc) {
      warmup = std::max(0, std::atoi(argv[++i]));
    } else if (arg == "--markdown" && i + 1 < argc) {
      markdown = argv[++i];
    } else if (arg == "--only" && i + 1 < argc) {
      only = argv[++i];
    } else if (arg == "--dump" && i + 1 < argc) {
      dump = argv[++i];
    } else if (arg == "--scene" && i + 1 < argc &&
               (std::string(argv[i + 1]) == "dense" || std::string(argv[i + 1]) == "sparse" ||
                std::string(argv[i + 1]) == "both")) {
      which = argv[++i];
    } else {
      std::fprintf(stderr,
                   "usage: %s [--scene dense|sparse|both] [--runs N] [--warmup N] [--markdown FILE] "
                   "[--only NAME] [--dump FILE]\n",
                   argv[0]);
      return 2;
    }
  }
  cv::setNumThreads(1);  // post-processing runs on one thread of the pipeline
#ifdef __GLIBC__
  // Keep freed memory in the heap, as in the addon's busy process: otherwise
  // glibc may hand the top of the heap back after each call, and a 1280x720
  // buffer then costs ~700 fresh page faults per call (measured: the sparse
  // scene's DB quad took 6 ms instead of 0.5 ms when run alone).
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif

  std::vector<Scene> scenes;
  if (which != "sparse") scenes.push_back(MakeDenseScene());
  if (which != "dense") scenes.push_back(MakeSparseScene());

  std::FILE* dump_file = dump.empty() ? nullptr : std::fopen(dump.c_str(), "w");
  bool ok = true;
  std::string tables;
  for (const Scene& scene : scenes) {
    std::vector<Result> results;
    ok &= RunScene(scene, warmup, runs, only, dump_file, results);
    char heading[128];
    std::snprintf(heading, sizeof heading, "%s scene: %zu words on %d lines, 1280x720\n\n", scene.name.c_str(),
                  scene.words.size(), scene.lines);
    tables += heading + Table(results, scene.words.size()) + "\n";
    std::printf("\n");
  }
  if (dump_file) std::fclose(dump_file);
  std::printf("%s", tables.c_str());
  if (!markdown.empty()) {
    const std::filesystem::path parent = std::filesystem::path(markdown).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    std::ofstream file(markdown);
    file << tables;
    if (!file) std::fprintf(stderr, "could not write %s\n", markdown.c_str());
  }
  return ok ? 0 : 1;
}
