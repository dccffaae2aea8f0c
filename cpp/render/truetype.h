// A small TrueType (glyf outlines) reader and anti-aliasing rasteriser, written
// for the result visualisation: enough of the format to draw Latin and CJK text
// with the shipped DroidSansFallbackFull.ttf or another .ttf a user gives.
//
// Reads: the table directory, head (unitsPerEm, indexToLocFormat), maxp
// (numGlyphs), hhea/hmtx (ascent, descent, line gap, advance widths), cmap
// (format 12, else format 4; Unicode subtables), loca and glyf (simple glyphs
// with quadratic contours and implied on-curve points; composite glyphs with
// offsets, point matching and scale / x-y scale / 2x2 transforms).
// Not read: CFF outlines (.otf), collections (.ttc), kerning, hinting
// instructions, vertical metrics, complex shaping (one glyph per code point).
//
// Every read is bounds-checked: a malformed font throws ocr::Error
// kInvalidOption (message "font: ..."), never reads outside its bytes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace ocr::render {

// One outline point in font units (y up); on_curve false = quadratic control.
struct OutlinePoint {
  float x = 0;
  float y = 0;
  bool on_curve = true;
};
using Contour = std::vector<OutlinePoint>;

class Font {
 public:
  // Parses (and keeps a copy of) the font bytes. `name` only labels errors.
  static std::shared_ptr<const Font> FromBytes(std::vector<uint8_t> bytes, const std::string& name = "font");
  // Reads and parses a .ttf file: kFileNotFound / kFileRead for the file,
  // kInvalidOption for its contents.
  static std::shared_ptr<const Font> FromFile(const std::string& path);

  int units_per_em() const { return units_per_em_; }
  int num_glyphs() const { return num_glyphs_; }
  int ascent() const { return ascent_; }    // font units above the baseline (> 0)
  int descent() const { return descent_; }  // font units below, <= 0
  int line_gap() const { return line_gap_; }

  // Glyph of a Unicode code point; 0 (.notdef) when the font has none.
  uint32_t GlyphIndex(char32_t code_point) const;
  // Advance width in font units (glyphs past numberOfHMetrics use the last).
  int AdvanceWidth(uint32_t glyph) const;
  // Contours in font units, composites resolved; empty for blank glyphs.
  // Throws kInvalidOption for a malformed glyph or glyph >= num_glyphs().
  std::vector<Contour> Outline(uint32_t glyph) const;

  // Parses; use FromBytes (public for std::make_shared).
  Font(std::vector<uint8_t> bytes, std::string name);

 private:
  void AppendOutline(uint32_t glyph, int depth, std::vector<Contour>* out, size_t* budget) const;
  void AppendComposite(uint32_t glyph, size_t offset, size_t end, int depth, std::vector<Contour>* out,
                       size_t* budget) const;
  uint32_t LookupFormat4(char32_t cp) const;
  uint32_t LookupFormat12(char32_t cp) const;

  std::vector<uint8_t> data_;
  std::string name_;
  int units_per_em_ = 0;
  int num_glyphs_ = 0;
  int ascent_ = 0, descent_ = 0, line_gap_ = 0;
  int num_hmetrics_ = 0;
  bool long_loca_ = false;
  size_t hmtx_ = 0, loca_ = 0, glyf_ = 0, glyf_size_ = 0;
  size_t cmap_subtable_ = 0;
  int cmap_format_ = 0;
};

// Fonts tried in order for each character: the first that has a glyph for
// it draws it (the first font's .notdef when none has). Line metrics (ascent,
// descent) come from the first font; every font is drawn at the same em size.
class FontChain {
 public:
  struct Glyph {
    const Font* font = nullptr;
    uint32_t index = 0;
  };
  // Non-empty, no null entries (kInvalidOption otherwise).
  explicit FontChain(std::vector<std::shared_ptr<const Font>> fonts);
  const Font& primary() const { return *fonts_.front(); }
  Glyph Find(char32_t code_point) const;
  // Line height (ascent - descent of the first font) per em.
  float line_per_em() const;

 private:
  std::vector<std::shared_ptr<const Font>> fonts_;
};

// Decodes UTF-8 into code points; invalid sequences become U+FFFD.
std::u32string DecodeUtf8(const std::string& text);

// Text laid out on one line at a size: `pixel_height` is the line height
// (the first font's ascent - descent) in pixels, the baseline at
// round(ascent * scale).
struct TextRaster {
  cv::Mat coverage;  // CV_8UC1, 0 = none, 255 = full ink; rows = line height
  int baseline = 0;  // row of the baseline
};

// Width in pixels of `text` (sum of advances) at `pixel_height`.
float MeasureText(const FontChain& fonts, const std::u32string& text, float pixel_height);

// Rasterises `text` left to right (no kerning, no shaping) with exact-area
// anti-aliasing. pixel_height must be in (0, 2048]; the result is at most 64
// megapixels (kInvalidOption otherwise). Ink outside the line box (beyond the
// first font's ascent/descent or left of the origin) is clipped. An empty
// string gives a 0-column raster.
TextRaster RasterizeText(const FontChain& fonts, const std::u32string& text, float pixel_height);
TextRaster RasterizeText(const FontChain& fonts, const std::string& utf8, float pixel_height);

// Fills closed polylines (pixel coordinates, y down) into an existing
// CV_8UC1 coverage image with the non-zero rule and exact-area coverage
// (max-combined with what is there). Exposed for tests.
void FillPolygons(const std::vector<std::vector<cv::Point2f>>& polygons, cv::Mat* coverage);

}  // namespace ocr::render
