// TrueType reader and rasteriser: the shipped fonts, winding, anti-aliasing,
// and malformed fonts (truncated, garbage, fuzzed headers) failing cleanly.
#include "render/truetype.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <random>

#include <opencv2/imgproc.hpp>

#include "core/error.h"

namespace ocr::render {
namespace {

const std::string kFonts = std::string(OCRKIT_FIXTURES_DIR) + "/../../fonts/";

std::vector<uint8_t> ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

const std::shared_ptr<const Font>& Droid() {
  static const auto font = Font::FromFile(kFonts + "DroidSansFallbackFull.ttf");
  return font;
}
const std::shared_ptr<const Font>& DejaVu() {
  static const auto font = Font::FromFile(kFonts + "DejaVuSans.ttf");
  return font;
}
const FontChain& Chain() {
  static const FontChain chain({DejaVu(), Droid()});
  return chain;
}

// Ink (sum of coverage) of a sub-rectangle.
double Ink(const cv::Mat& m, cv::Rect r) { return cv::sum(m(r & cv::Rect(0, 0, m.cols, m.rows)))[0]; }

TEST(TrueTypeTest, ParsesTheShippedFonts) {
  EXPECT_EQ(Droid()->units_per_em(), 256);
  EXPECT_GT(Droid()->num_glyphs(), 40000);  // CJK
  EXPECT_GT(Droid()->ascent(), 0);
  EXPECT_LT(Droid()->descent(), 0);
  EXPECT_EQ(DejaVu()->units_per_em(), 2048);
  EXPECT_GT(DejaVu()->num_glyphs(), 5000);
}

TEST(TrueTypeTest, CmapLookups) {
  // DejaVu: Latin (format 4 / 12), no CJK; Droid fallback: CJK, no Basic Latin.
  EXPECT_NE(DejaVu()->GlyphIndex(U'A'), 0u);
  EXPECT_NE(DejaVu()->GlyphIndex(U'é'), 0u);
  EXPECT_NE(DejaVu()->GlyphIndex(U'A'), DejaVu()->GlyphIndex(U'B'));
  EXPECT_EQ(DejaVu()->GlyphIndex(U'中'), 0u);
  EXPECT_NE(Droid()->GlyphIndex(U'中'), 0u);
  EXPECT_NE(Droid()->GlyphIndex(U'文'), Droid()->GlyphIndex(U'中'));
  EXPECT_EQ(Droid()->GlyphIndex(U'A'), 0u);
  EXPECT_EQ(Droid()->GlyphIndex(0xFFFF), 0u);
  EXPECT_EQ(Droid()->GlyphIndex(0x10FFFF), 0u);
  // The chain picks the first font that has the glyph.
  EXPECT_EQ(Chain().Find(U'A').font, DejaVu().get());
  EXPECT_EQ(Chain().Find(U'中').font, Droid().get());
  EXPECT_EQ(Chain().Find(0xFFFF).index, 0u);
}

TEST(TrueTypeTest, AdvanceWidths) {
  EXPECT_GT(DejaVu()->AdvanceWidth(DejaVu()->GlyphIndex(U'A')), 0);
  EXPECT_GT(DejaVu()->AdvanceWidth(DejaVu()->GlyphIndex(U'W')), DejaVu()->AdvanceWidth(DejaVu()->GlyphIndex(U'i')));
  EXPECT_EQ(Droid()->AdvanceWidth(Droid()->GlyphIndex(U'中')), 256);  // a full em
  EXPECT_GT(Droid()->AdvanceWidth(uint32_t(Droid()->num_glyphs() - 1)), 0);  // past numberOfHMetrics
  EXPECT_NEAR(MeasureText(Chain(), U"中中", 100), 2 * 100 / Chain().line_per_em(), 0.01);
}

TEST(TrueTypeTest, OutlinesSimpleAndComposite) {
  EXPECT_EQ(DejaVu()->Outline(DejaVu()->GlyphIndex(U'O')).size(), 2u);  // outer + counter
  EXPECT_TRUE(DejaVu()->Outline(DejaVu()->GlyphIndex(U' ')).empty());
  // Ä is a composite in DejaVu (A + dieresis): A's contours plus two dots.
  const auto a = DejaVu()->Outline(DejaVu()->GlyphIndex(U'A'));
  const auto a_umlaut = DejaVu()->Outline(DejaVu()->GlyphIndex(U'Ä'));
  EXPECT_EQ(a_umlaut.size(), a.size() + 2);
  float top_a = -1e9f, top_umlaut = -1e9f;
  for (const auto& c : a) for (const auto& p : c) top_a = std::max(top_a, p.y);
  for (const auto& c : a_umlaut) for (const auto& p : c) top_umlaut = std::max(top_umlaut, p.y);
  EXPECT_GT(top_umlaut, top_a);  // the dots sit above the A
  EXPECT_THROW(DejaVu()->Outline(uint32_t(DejaVu()->num_glyphs())), ocr::Error);
}

TEST(TrueTypeTest, RasterisedAIsSymmetricWithItsApexAtTheTop) {
  const TextRaster r = RasterizeText(Chain(), std::string("A"), 100);
  ASSERT_EQ(r.coverage.rows, 100);
  cv::Rect ink = cv::boundingRect(r.coverage > 0);
  ASSERT_GT(ink.width, 30);
  ASSERT_GT(ink.height, 50);
  EXPECT_LT(ink.y + ink.height, r.baseline + 2);  // sits on the baseline
  const int mid = ink.x + ink.width / 2;
  const double left = Ink(r.coverage, cv::Rect(ink.x, ink.y, mid - ink.x, ink.height));
  const double right = Ink(r.coverage, cv::Rect(mid, ink.y, ink.x + ink.width - mid, ink.height));
  EXPECT_NEAR(left / right, 1.0, 0.12);
  // Apex: the top rows' ink is narrow and centred; the bottom row has two legs.
  const cv::Rect top = cv::boundingRect(r.coverage(cv::Rect(0, ink.y, r.coverage.cols, 3)) > 128);
  EXPECT_LT(top.width, ink.width / 3);
  EXPECT_NEAR(top.x + top.width / 2.0, mid, ink.width * 0.1);
  const cv::Mat bottom = r.coverage.row(ink.y + ink.height - 2);
  int runs = 0;
  for (int x = 1; x < bottom.cols; ++x) runs += bottom.at<uint8_t>(x) > 128 && bottom.at<uint8_t>(x - 1) <= 128;
  EXPECT_EQ(runs, 2);
  // Anti-aliased: partial coverage along the slanted edges.
  EXPECT_GT(cv::countNonZero((r.coverage > 20) & (r.coverage < 235)), 40);
}

TEST(TrueTypeTest, CounterOfOIsEmptyAndCjkHasInk) {
  const TextRaster o = RasterizeText(Chain(), std::string("O"), 100);
  const cv::Rect ink = cv::boundingRect(o.coverage > 0);
  EXPECT_EQ(o.coverage.at<uint8_t>(ink.y + ink.height / 2, ink.x + ink.width / 2), 0);  // the hole
  EXPECT_EQ(o.coverage.at<uint8_t>(ink.y + ink.height / 2, ink.x + 3), 255);           // the stroke
  const TextRaster zh = RasterizeText(Chain(), std::string("中"), 100);
  const double fraction = cv::sum(zh.coverage)[0] / 255.0 / zh.coverage.total();
  EXPECT_GT(fraction, 0.08);
  EXPECT_LT(fraction, 0.5);
  // 中's vertical stroke runs through the middle column over most of the glyph.
  const cv::Rect zh_ink = cv::boundingRect(zh.coverage > 0);
  const int centre = zh_ink.x + zh_ink.width / 2;
  const cv::Mat column = zh.coverage(cv::Rect(centre - 2, 0, 5, zh.coverage.rows));
  cv::Mat column_max;
  cv::reduce(column, column_max, 1, cv::REDUCE_MAX);
  EXPECT_GT(cv::countNonZero(column_max > 200), zh_ink.height * 8 / 10);
}

TEST(TrueTypeTest, MissingGlyphsDrawTheNotdefBoxAndSpacesNothing) {
  const TextRaster missing = RasterizeText(Chain(), std::u32string(1, char32_t(0xFFFF)), 40);
  EXPECT_GT(cv::countNonZero(missing.coverage), 20);
  const TextRaster space = RasterizeText(Chain(), std::string("   "), 40);
  EXPECT_GT(space.coverage.cols, 10);
  EXPECT_EQ(cv::countNonZero(space.coverage), 0);
  EXPECT_EQ(RasterizeText(Chain(), std::string(""), 40).coverage.cols, 0);
  EXPECT_THROW(RasterizeText(Chain(), std::string("x"), 0), ocr::Error);
  EXPECT_THROW(RasterizeText(Chain(), std::string("x"), 5000), ocr::Error);
  EXPECT_THROW(FontChain({}), ocr::Error);
}

TEST(TrueTypeTest, Utf8Decoding) {
  EXPECT_EQ(DecodeUtf8("a中😀"), std::u32string(U"a中😀"));
  EXPECT_EQ(DecodeUtf8("\xff" "a"), std::u32string(U"\uFFFDa"));
  EXPECT_EQ(DecodeUtf8("\xe4\xb8"), std::u32string(U"\uFFFD"));    // truncated
  EXPECT_EQ(DecodeUtf8("\xc0\xaf"), std::u32string(U"\uFFFD"));    // overlong
  EXPECT_EQ(DecodeUtf8("\xed\xa0\x80"), std::u32string(U"\uFFFD"));  // surrogate
}

TEST(TrueTypeTest, FillIsExactAreaNonZero) {
  cv::Mat m = cv::Mat::zeros(6, 6, CV_8UC1);
  FillPolygons({{{1.25f, 1}, {3.75f, 1}, {3.75f, 3}, {1.25f, 3}}}, &m);
  EXPECT_EQ(m.at<uint8_t>(1, 1), 191);  // 3/4 covered
  EXPECT_EQ(m.at<uint8_t>(2, 2), 255);
  EXPECT_EQ(m.at<uint8_t>(2, 3), 191);
  EXPECT_EQ(m.at<uint8_t>(0, 2), 0);
  EXPECT_EQ(m.at<uint8_t>(1, 4), 0);
  // Same direction twice: still one coat (non-zero); opposite direction: a hole.
  cv::Mat twice = cv::Mat::zeros(6, 6, CV_8UC1);
  FillPolygons({{{0, 0}, {4, 0}, {4, 4}, {0, 4}}, {{1, 1}, {3, 1}, {3, 3}, {1, 3}}}, &twice);
  EXPECT_EQ(twice.at<uint8_t>(2, 2), 255);
  cv::Mat hole = cv::Mat::zeros(6, 6, CV_8UC1);
  FillPolygons({{{0, 0}, {4, 0}, {4, 4}, {0, 4}}, {{1, 1}, {1, 3}, {3, 3}, {3, 1}}}, &hole);
  EXPECT_EQ(hole.at<uint8_t>(2, 2), 0);
  EXPECT_EQ(hole.at<uint8_t>(0, 2), 255);
  // Edges outside the image are clipped, never written out of bounds.
  cv::Mat clipped = cv::Mat::zeros(4, 4, CV_8UC1);
  FillPolygons({{{-10, -10}, {20, -5}, {30, 30}, {-5, 20}}}, &clipped);
  EXPECT_EQ(cv::countNonZero(clipped), 16);
}

void ExpectInvalid(std::vector<uint8_t> bytes, const std::string& fragment) {
  try {
    Font::FromBytes(std::move(bytes), "bad.ttf");
    FAIL() << "no error for " << fragment;
  } catch (const ocr::Error& e) {
    EXPECT_EQ(e.code(), ocr::ErrorCode::kInvalidOption);
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).rfind("font: bad.ttf: ", 0), 0u) << e.what();
  }
}

TEST(TrueTypeTest, TruncatedAndGarbageFontsThrowInvalidOption) {
  const std::vector<uint8_t> full = ReadBytes(kFonts + "DroidSansFallbackFull.ttf");
  ASSERT_GT(full.size(), 1000000u);
  ExpectInvalid({}, "too short");
  ExpectInvalid(std::vector<uint8_t>(full.begin(), full.begin() + 11), "too short");
  ExpectInvalid(std::vector<uint8_t>(full.begin(), full.begin() + 100), "outside the file");
  ExpectInvalid(std::vector<uint8_t>(full.begin(), full.begin() + 1000), "outside the file");
  ExpectInvalid(std::vector<uint8_t>(full.begin(), full.begin() + full.size() / 2), "outside the file");
  std::mt19937 rng(7);
  std::vector<uint8_t> garbage(4096);
  for (auto& b : garbage) b = uint8_t(rng());
  ExpectInvalid(garbage, "not a TrueType font");
  std::vector<uint8_t> otf = full;
  std::memcpy(otf.data(), "OTTO", 4);
  ExpectInvalid(otf, "CFF outlines");
  std::vector<uint8_t> ttc = full;
  std::memcpy(ttc.data(), "ttcf", 4);
  ExpectInvalid(ttc, "collections");
  try {
    Font::FromFile(kFonts + "no-such-font.ttf");
    FAIL();
  } catch (const ocr::Error& e) {
    EXPECT_EQ(e.code(), ocr::ErrorCode::kFileNotFound);
  }
}

struct Table {
  size_t offset, length;
};

Table FindTable(const std::vector<uint8_t>& d, const char* tag) {
  const size_t n = size_t(d[4] << 8 | d[5]);
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* rec = &d[12 + 16 * i];
    if (std::memcmp(rec, tag, 4) == 0) {
      auto u32 = [](const uint8_t* p) { return size_t(p[0]) << 24 | size_t(p[1]) << 16 | size_t(p[2]) << 8 | p[3]; };
      return {u32(rec + 8), u32(rec + 12)};
    }
  }
  return {0, 0};
}

// Random byte mutations of the directory, the header tables, the cmap, loca
// and the first glyphs: every outcome is a font or an ocr::Error, and using
// the font (lookups, outlines, rasterising) never crashes (run under ASan).
void Fuzz(const std::string& file, uint32_t seed, int rounds) {
  const std::vector<uint8_t> full = ReadBytes(kFonts + file);
  std::vector<Table> regions = {{0, 12 + 16 * size_t(full[4] << 8 | full[5])}};
  for (const char* tag : {"head", "hhea", "maxp", "hmtx", "cmap", "loca", "glyf"}) {
    const Table t = FindTable(full, tag);
    regions.push_back({t.offset, std::min<size_t>(t.length, 4096)});
  }
  std::mt19937 rng(seed);
  int parsed = 0, rejected = 0;
  std::vector<uint8_t> bytes = full;
  for (int round = 0; round < rounds; ++round) {
    const int mutations = 1 + int(rng() % 8);
    std::vector<std::pair<size_t, uint8_t>> undo;
    for (int k = 0; k < mutations; ++k) {
      const Table& t = regions[rng() % regions.size()];
      const size_t at = t.offset + rng() % std::max<size_t>(t.length, 1);
      undo.emplace_back(at, bytes[at]);
      bytes[at] = (rng() % 4 == 0) ? uint8_t(0xFF) : uint8_t(rng());
    }
    try {
      auto font = Font::FromBytes(bytes, "fuzz.ttf");
      ++parsed;
      FontChain chain({font});
      for (char32_t cp : std::u32string(U"A中é ")) font->AdvanceWidth(font->GlyphIndex(cp));
      try {
        RasterizeText(chain, std::string("AÄé中文0"), 24);
        for (uint32_t g = 0; g < 40 && g < uint32_t(font->num_glyphs()); ++g) font->Outline(g);
      } catch (const ocr::Error& e) {
        EXPECT_EQ(e.code(), ocr::ErrorCode::kInvalidOption);
      }
    } catch (const ocr::Error& e) {
      ++rejected;
      EXPECT_EQ(e.code(), ocr::ErrorCode::kInvalidOption);
    }
    for (auto it = undo.rbegin(); it != undo.rend(); ++it) bytes[it->first] = it->second;
  }
  EXPECT_GT(parsed, 0);
  EXPECT_GT(rejected, 0);
}

TEST(TrueTypeTest, FuzzedHeadersNeverCrash) {
  Fuzz("DejaVuSans.ttf", 1, 300);
  Fuzz("DroidSansFallbackFull.ttf", 2, 200);
}

}  // namespace
}  // namespace ocr::render
