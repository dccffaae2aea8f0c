// The TrueType reader (render/truetype.h) on arbitrary bytes: user fonts
// reach it through visualize's font option. Parsing, the character map, the
// advance widths and glyph outlines either work or throw ocr::Error.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "render/truetype.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::shared_ptr<const ocr::render::Font> font;
  try {
    font = ocr::render::Font::FromBytes(std::vector<uint8_t>(data, data + size), "fuzz.ttf");
  } catch (const ocr::Error&) {
    return 0;
  }
  std::vector<uint32_t> glyphs;
  for (char32_t cp : {U'A', U'g', U'0', U' ', U'\u4e2d', U'\U0001F600'}) glyphs.push_back(font->GlyphIndex(cp));
  for (int g = 0; g < std::min(font->num_glyphs(), 16); ++g) glyphs.push_back(static_cast<uint32_t>(g));
  for (uint32_t glyph : glyphs) {
    (void)font->AdvanceWidth(glyph);
    try {
      (void)font->Outline(glyph);
    } catch (const ocr::Error&) {
    }
  }
  return 0;
}
