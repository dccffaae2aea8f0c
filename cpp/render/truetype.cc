#include "render/truetype.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/error.h"
#include "image/decode.h"

namespace ocr::render {
namespace {

constexpr uint32_t Tag(char a, char b, char c, char d) {
  return (uint32_t(uint8_t(a)) << 24) | (uint32_t(uint8_t(b)) << 16) | (uint32_t(uint8_t(c)) << 8) | uint32_t(uint8_t(d));
}

// Composite nesting depth and the points + components one glyph may produce:
// a malicious font cannot make Outline() run away.
constexpr int kMaxCompositeDepth = 8;
constexpr size_t kOutlineBudget = size_t{1} << 20;
constexpr size_t kMaxFontBytes = size_t{256} << 20;
constexpr int64_t kMaxRasterPixels = int64_t{64} << 20;
constexpr float kMaxPixelHeight = 2048.0f;

[[noreturn]] void Bad(const std::string& name, const std::string& what) {
  throw ocr::Error(ocr::ErrorCode::kInvalidOption, "font: " + name + ": " + what);
}

std::string TagName(uint32_t tag) {
  std::string s;
  for (int shift = 24; shift >= 0; shift -= 8) {
    const char c = char((tag >> shift) & 0xFF);
    s += (c >= 0x20 && c < 0x7F) ? c : '?';
  }
  return s;
}

// Bounds-checked big-endian reads over the font bytes.
class Reader {
 public:
  Reader(const std::vector<uint8_t>& data, const std::string& name) : data_(data), name_(name) {}
  bool Has(size_t offset, size_t length) const {
    return offset <= data_.size() && length <= data_.size() - offset;
  }
  void Need(size_t offset, size_t length, const char* what) const {
    if (!Has(offset, length)) Bad(name_, std::string(what) + " lies outside the file (truncated or corrupt font)");
  }
  uint8_t U8(size_t o) const {
    Need(o, 1, "data");
    return data_[o];
  }
  uint16_t U16(size_t o) const {
    Need(o, 2, "data");
    return uint16_t((data_[o] << 8) | data_[o + 1]);
  }
  int16_t S16(size_t o) const { return int16_t(U16(o)); }
  uint32_t U32(size_t o) const {
    Need(o, 4, "data");
    return (uint32_t(data_[o]) << 24) | (uint32_t(data_[o + 1]) << 16) | (uint32_t(data_[o + 2]) << 8) | data_[o + 3];
  }

 private:
  const std::vector<uint8_t>& data_;
  const std::string& name_;
};

struct TableRef {
  size_t offset = 0;
  size_t length = 0;
};

// Reads within one glyph's bytes [pos, end); past the end is a malformed glyph.
class GlyphCursor {
 public:
  GlyphCursor(const Reader& r, size_t pos, size_t end, const std::string& name, uint32_t glyph)
      : r_(r), pos_(pos), end_(end), name_(name), glyph_(glyph) {}
  void Need(size_t n) const {
    if (pos_ > end_ || n > end_ - pos_) Bad(name_, "glyph " + std::to_string(glyph_) + ": data runs past its end");
  }
  uint8_t U8() {
    Need(1);
    return r_.U8(pos_++);
  }
  uint16_t U16() {
    Need(2);
    const uint16_t v = r_.U16(pos_);
    pos_ += 2;
    return v;
  }
  int16_t S16() { return int16_t(U16()); }
  void Skip(size_t n) {
    Need(n);
    pos_ += n;
  }
  size_t pos() const { return pos_; }

 private:
  const Reader& r_;
  size_t pos_, end_;
  const std::string& name_;
  uint32_t glyph_;
};

float F2Dot14(int16_t v) { return float(v) / 16384.0f; }

}  // namespace

std::shared_ptr<const Font> Font::FromBytes(std::vector<uint8_t> bytes, const std::string& name) {
  return std::make_shared<const Font>(std::move(bytes), name);
}

std::shared_ptr<const Font> Font::FromFile(const std::string& path) {
  std::vector<uint8_t> bytes = ocr::image::ReadFile(path);
  if (bytes.size() > kMaxFontBytes) Bad(path, "larger than 256 MiB");
  return FromBytes(std::move(bytes), path);
}

Font::Font(std::vector<uint8_t> bytes, std::string name) : data_(std::move(bytes)), name_(std::move(name)) {
  const Reader r(data_, name_);
  if (data_.size() < 12) Bad(name_, "too short for a TrueType table directory (" + std::to_string(data_.size()) + " bytes)");
  const uint32_t signature = r.U32(0);
  if (signature == Tag('O', 'T', 'T', 'O')) Bad(name_, "CFF outlines (OpenType .otf) are not supported; give a TrueType (glyf) font");
  if (signature == Tag('t', 't', 'c', 'f')) Bad(name_, "font collections (.ttc) are not supported; give a single .ttf");
  if (signature != 0x00010000u && signature != Tag('t', 'r', 'u', 'e')) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%08X", signature);
    Bad(name_, std::string("not a TrueType font (signature ") + hex + ")");
  }
  const uint16_t num_tables = r.U16(4);
  r.Need(12, size_t{16} * num_tables, "the table directory");
  auto find = [&](uint32_t tag, size_t min_length) {
    for (uint16_t i = 0; i < num_tables; ++i) {
      const size_t rec = 12 + size_t{16} * i;
      if (r.U32(rec) != tag) continue;
      TableRef t{r.U32(rec + 8), r.U32(rec + 12)};
      if (!r.Has(t.offset, t.length)) Bad(name_, "table '" + TagName(tag) + "' lies outside the file (truncated font?)");
      if (t.length < min_length) Bad(name_, "table '" + TagName(tag) + "' is too short");
      return t;
    }
    Bad(name_, "missing table '" + TagName(tag) + "' (a TrueType font with glyf outlines is needed)");
  };

  const TableRef head = find(Tag('h', 'e', 'a', 'd'), 54);
  units_per_em_ = r.U16(head.offset + 18);
  if (units_per_em_ < 16 || units_per_em_ > 16384) Bad(name_, "head.unitsPerEm " + std::to_string(units_per_em_) + " is outside [16, 16384]");
  const int16_t loca_format = r.S16(head.offset + 50);
  if (loca_format != 0 && loca_format != 1) Bad(name_, "head.indexToLocFormat " + std::to_string(loca_format) + " is not 0 or 1");
  long_loca_ = loca_format == 1;

  const TableRef maxp = find(Tag('m', 'a', 'x', 'p'), 6);
  num_glyphs_ = r.U16(maxp.offset + 4);
  if (num_glyphs_ < 1) Bad(name_, "maxp.numGlyphs is 0");

  const TableRef hhea = find(Tag('h', 'h', 'e', 'a'), 36);
  ascent_ = r.S16(hhea.offset + 4);
  descent_ = r.S16(hhea.offset + 6);
  line_gap_ = r.S16(hhea.offset + 8);
  if (descent_ > 0) descent_ = -descent_;  // some fonts store it positive
  if (ascent_ <= 0 || ascent_ - descent_ <= 0) {  // unusable metrics: 80/20 of the em
    ascent_ = units_per_em_ * 4 / 5;
    descent_ = -(units_per_em_ - ascent_);
  }
  num_hmetrics_ = r.U16(hhea.offset + 34);
  if (num_hmetrics_ < 1) Bad(name_, "hhea.numberOfHMetrics is 0");
  const TableRef hmtx = find(Tag('h', 'm', 't', 'x'), size_t{4} * num_hmetrics_);
  hmtx_ = hmtx.offset;

  const TableRef loca = find(Tag('l', 'o', 'c', 'a'), (size_t(num_glyphs_) + 1) * (long_loca_ ? 4 : 2));
  loca_ = loca.offset;
  const TableRef glyf = find(Tag('g', 'l', 'y', 'f'), 0);
  glyf_ = glyf.offset;
  glyf_size_ = glyf.length;

  // cmap: a Unicode format 12 subtable (full range), else a format 4 one (BMP).
  const TableRef cmap = find(Tag('c', 'm', 'a', 'p'), 4);
  const uint16_t num_subtables = r.U16(cmap.offset + 2);
  if (!r.Has(cmap.offset + 4, size_t{8} * num_subtables) || size_t{8} * num_subtables + 4 > cmap.length) {
    Bad(name_, "the cmap subtable list runs past the cmap table");
  }
  size_t best4 = 0, best12 = 0;
  for (uint16_t i = 0; i < num_subtables; ++i) {
    const size_t rec = cmap.offset + 4 + size_t{8} * i;
    const uint16_t platform = r.U16(rec), encoding = r.U16(rec + 2);
    const size_t sub = cmap.offset + size_t{r.U32(rec + 4)};
    const bool unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
    if (!unicode || !r.Has(sub, 2) || sub >= cmap.offset + cmap.length) continue;
    const uint16_t format = r.U16(sub);
    if (format == 12 && best12 == 0 && r.Has(sub, 16)) {
      const uint64_t groups = r.U32(sub + 12);
      if (r.Has(sub + 16, size_t(std::min<uint64_t>(groups * 12, SIZE_MAX / 2)))) best12 = sub;
    } else if (format == 4 && best4 == 0 && r.Has(sub, 14)) {
      const uint16_t seg_x2 = r.U16(sub + 6);
      if (seg_x2 >= 2 && seg_x2 % 2 == 0 && r.Has(sub + 14, size_t{4} * seg_x2 + 2)) best4 = sub;
    }
  }
  if (best12 != 0) {
    cmap_subtable_ = best12;
    cmap_format_ = 12;
  } else if (best4 != 0) {
    cmap_subtable_ = best4;
    cmap_format_ = 4;
  } else {
    Bad(name_, "no usable Unicode cmap subtable (format 4 or 12)");
  }
}

uint32_t Font::GlyphIndex(char32_t code_point) const {
  const uint32_t g = cmap_format_ == 12 ? LookupFormat12(code_point) : LookupFormat4(code_point);
  return g < uint32_t(num_glyphs_) ? g : 0;
}

uint32_t Font::LookupFormat4(char32_t cp) const {
  if (cp > 0xFFFF) return 0;
  const Reader r(data_, name_);
  const size_t sub = cmap_subtable_;
  const size_t seg_x2 = r.U16(sub + 6), segs = seg_x2 / 2;
  const size_t ends = sub + 14, starts = ends + seg_x2 + 2, deltas = starts + seg_x2, ranges = deltas + seg_x2;
  size_t lo = 0, hi = segs;  // first segment whose end >= cp
  while (lo < hi) {
    const size_t mid = (lo + hi) / 2;
    if (r.U16(ends + 2 * mid) < cp) lo = mid + 1;
    else hi = mid;
  }
  if (lo == segs) return 0;
  const uint16_t start = r.U16(starts + 2 * lo);
  if (cp < start) return 0;
  const uint16_t delta = r.U16(deltas + 2 * lo);
  const uint16_t range_offset = r.U16(ranges + 2 * lo);
  if (range_offset == 0) return (uint32_t(cp) + delta) & 0xFFFF;
  const size_t at = ranges + 2 * lo + range_offset + 2 * size_t(cp - start);
  if (!r.Has(at, 2)) return 0;
  const uint16_t g = r.U16(at);
  return g == 0 ? 0 : (uint32_t(g) + delta) & 0xFFFF;
}

uint32_t Font::LookupFormat12(char32_t cp) const {
  const Reader r(data_, name_);
  const size_t groups = cmap_subtable_ + 16;
  size_t lo = 0, hi = r.U32(cmap_subtable_ + 12);
  while (lo < hi) {  // first group whose end >= cp
    const size_t mid = lo + (hi - lo) / 2;
    if (r.U32(groups + 12 * mid + 4) < cp) lo = mid + 1;
    else hi = mid;
  }
  if (lo == r.U32(cmap_subtable_ + 12)) return 0;
  const uint32_t start = r.U32(groups + 12 * lo);
  if (cp < start) return 0;
  const uint64_t g = uint64_t(r.U32(groups + 12 * lo + 8)) + (cp - start);
  return g < uint64_t(num_glyphs_) ? uint32_t(g) : 0;
}

int Font::AdvanceWidth(uint32_t glyph) const {
  const Reader r(data_, name_);
  const size_t i = std::min<size_t>(glyph, size_t(num_hmetrics_) - 1);
  return r.U16(hmtx_ + 4 * i);
}

std::vector<Contour> Font::Outline(uint32_t glyph) const {
  if (glyph >= uint32_t(num_glyphs_)) Bad(name_, "glyph " + std::to_string(glyph) + " does not exist");
  std::vector<Contour> out;
  size_t budget = kOutlineBudget;
  AppendOutline(glyph, 0, &out, &budget);
  return out;
}

void Font::AppendOutline(uint32_t glyph, int depth, std::vector<Contour>* out, size_t* budget) const {
  if (depth > kMaxCompositeDepth) Bad(name_, "composite glyphs nested too deep (a cycle?)");
  if (glyph >= uint32_t(num_glyphs_)) Bad(name_, "a composite glyph refers to glyph " + std::to_string(glyph) + ", which does not exist");
  if (*budget == 0) Bad(name_, "glyph " + std::to_string(glyph) + " is too complex");
  --*budget;
  const Reader r(data_, name_);
  const size_t begin = long_loca_ ? size_t{r.U32(loca_ + 4 * size_t{glyph})} : size_t{r.U16(loca_ + 2 * size_t{glyph})} * 2;
  const size_t end = long_loca_ ? size_t{r.U32(loca_ + 4 * size_t{glyph} + 4)} : size_t{r.U16(loca_ + 2 * size_t{glyph} + 2)} * 2;
  if (end == begin) return;  // blank glyph (space)
  if (end < begin || end > glyf_size_) Bad(name_, "glyph " + std::to_string(glyph) + ": loca points outside the glyf table");
  GlyphCursor c(r, glyf_ + begin, glyf_ + end, name_, glyph);
  const int16_t num_contours = c.S16();
  c.Skip(8);  // bounding box
  if (num_contours < 0) {
    AppendComposite(glyph, c.pos(), glyf_ + end, depth, out, budget);
    return;
  }
  std::vector<uint16_t> end_points(static_cast<size_t>(num_contours));
  for (auto& e : end_points) e = c.U16();
  for (size_t i = 1; i < end_points.size(); ++i) {
    if (end_points[i] < end_points[i - 1]) Bad(name_, "glyph " + std::to_string(glyph) + ": contour end points decrease");
  }
  const size_t num_points = end_points.empty() ? 0 : size_t{end_points.back()} + 1;
  if (num_points > *budget) Bad(name_, "glyph " + std::to_string(glyph) + " is too complex");
  *budget -= num_points;
  c.Skip(c.U16());  // hinting instructions
  std::vector<uint8_t> flags(num_points);
  for (size_t i = 0; i < num_points;) {
    const uint8_t f = c.U8();
    flags[i++] = f;
    if (f & 0x08) {
      for (int repeat = c.U8(); repeat > 0 && i < num_points; --repeat) flags[i++] = f;
    }
  }
  std::vector<OutlinePoint> points(num_points);
  auto read_coords = [&](uint8_t short_bit, uint8_t same_bit, bool is_x) {
    int v = 0;
    for (size_t i = 0; i < num_points; ++i) {
      const uint8_t f = flags[i];
      if (f & short_bit) {
        const int d = c.U8();
        v += (f & same_bit) ? d : -d;
      } else if (!(f & same_bit)) {
        v += c.S16();
      }
      (is_x ? points[i].x : points[i].y) = float(v);
      points[i].on_curve = (f & 0x01) != 0;
    }
  };
  read_coords(0x02, 0x10, true);
  read_coords(0x04, 0x20, false);
  size_t first = 0;
  for (uint16_t last : end_points) {
    if (last + size_t{1} > first) out->emplace_back(points.begin() + first, points.begin() + last + 1);
    first = size_t{last} + 1;
  }
}

void Font::AppendComposite(uint32_t glyph, size_t offset, size_t end, int depth, std::vector<Contour>* out,
                           size_t* budget) const {
  const Reader r(data_, name_);
  GlyphCursor c(r, offset, end, name_, glyph);
  uint16_t flags = 0;
  do {
    flags = c.U16();
    const uint16_t child = c.U16();
    int arg1 = 0, arg2 = 0;
    const bool xy = (flags & 0x0002) != 0;
    if (flags & 0x0001) {
      arg1 = xy ? c.S16() : c.U16();
      arg2 = xy ? c.S16() : c.U16();
    } else {
      arg1 = xy ? int(int8_t(c.U8())) : c.U8();
      arg2 = xy ? int(int8_t(c.U8())) : c.U8();
    }
    float a = 1, b = 0, cc = 0, d = 1;
    if (flags & 0x0008) {
      a = d = F2Dot14(c.S16());
    } else if (flags & 0x0040) {
      a = F2Dot14(c.S16());
      d = F2Dot14(c.S16());
    } else if (flags & 0x0080) {
      a = F2Dot14(c.S16());
      b = F2Dot14(c.S16());
      cc = F2Dot14(c.S16());
      d = F2Dot14(c.S16());
    }
    std::vector<Contour> part;
    AppendOutline(child, depth + 1, &part, budget);
    for (Contour& contour : part) {
      for (OutlinePoint& p : contour) {
        const float x = p.x, y = p.y;
        p.x = a * x + cc * y;
        p.y = b * x + d * y;
      }
    }
    float dx = 0, dy = 0;
    if (xy) {
      dx = float(arg1);
      dy = float(arg2);
      if (flags & 0x0800) {  // SCALED_COMPONENT_OFFSET (Apple): the offset is transformed too
        dx = a * float(arg1) + cc * float(arg2);
        dy = b * float(arg1) + d * float(arg2);
      }
    } else {  // point matching: point arg1 of what is built so far meets point arg2 of the component
      auto nth = [](const std::vector<Contour>& contours, size_t n) -> const OutlinePoint* {
        for (const Contour& k : contours) {
          if (n < k.size()) return &k[n];
          n -= k.size();
        }
        return nullptr;
      };
      const OutlinePoint* parent = nth(*out, size_t(arg1));
      const OutlinePoint* mine = nth(part, size_t(arg2));
      if (!parent || !mine) Bad(name_, "a composite glyph matches a point that does not exist");
      dx = parent->x - mine->x;
      dy = parent->y - mine->y;
    }
    for (Contour& contour : part) {
      for (OutlinePoint& p : contour) {
        p.x += dx;
        p.y += dy;
      }
      out->push_back(std::move(contour));
    }
  } while (flags & 0x0020);  // MORE_COMPONENTS
}

std::u32string DecodeUtf8(const std::string& text) {
  std::u32string out;
  out.reserve(text.size());
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  for (size_t i = 0; i < n;) {
    const unsigned char b = s[i];
    int len = 0;
    char32_t cp = 0, min = 0;
    if (b < 0x80) {
      out += char32_t(b);
      ++i;
      continue;
    } else if ((b & 0xE0) == 0xC0) {
      len = 2, cp = b & 0x1F, min = 0x80;
    } else if ((b & 0xF0) == 0xE0) {
      len = 3, cp = b & 0x0F, min = 0x800;
    } else if ((b & 0xF8) == 0xF0) {
      len = 4, cp = b & 0x07, min = 0x10000;
    } else {
      out += U'\uFFFD';
      ++i;
      continue;
    }
    int k = 1;
    for (; k < len && i + k < n && (s[i + k] & 0xC0) == 0x80; ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
    if (k < len) {
      out += U'\uFFFD';
      i += k;
      continue;
    }
    const bool bad = cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF);
    out += bad ? U'\uFFFD' : cp;
    i += len;
  }
  return out;
}

// --- rasteriser -------------------------------------------------------------
namespace {

// Signed-area accumulation (the font-rs method): every edge adds, to the
// cells it crosses, the exact area it sweeps times its direction; a running
// sum along each row then gives the winding-weighted coverage of each pixel,
// and min(1, |sum|) is the non-zero rule with exact-area anti-aliasing.
class Accumulator {
 public:
  Accumulator(int width, int height)
      : w_(width), h_(height), stride_(size_t(width) + 2), cells_(stride_ * size_t(height), 0.0f) {}

  void Line(cv::Point2f p0, cv::Point2f p1) {
    if (!std::isfinite(p0.x) || !std::isfinite(p0.y) || !std::isfinite(p1.x) || !std::isfinite(p1.y)) return;
    const float fw = float(w_);
    p0.x = std::clamp(p0.x, 0.0f, fw);
    p1.x = std::clamp(p1.x, 0.0f, fw);
    if (std::fabs(p0.y - p1.y) < 1e-6f) return;
    float dir = 1.0f;
    if (p0.y > p1.y) {
      std::swap(p0, p1);
      dir = -1.0f;
    }
    const float dxdy = (p1.x - p0.x) / (p1.y - p0.y);
    float x = p0.x;
    if (p0.y < 0) x -= p0.y * dxdy;
    const int y_begin = std::max(0, int(std::floor(std::max(p0.y, -1.0f))));
    const int y_end = std::min(h_, int(std::ceil(std::min(p1.y, float(h_) + 1.0f))));
    for (int y = y_begin; y < y_end; ++y) {
      float* row = &cells_[size_t(y) * stride_];
      const float dy = std::min(float(y + 1), p1.y) - std::max(float(y), p0.y);
      const float x_next = x + dxdy * dy;
      const float d = dy * dir;
      const float x0 = std::clamp(std::min(x, x_next), 0.0f, fw);
      const float x1 = std::clamp(std::max(x, x_next), 0.0f, fw);
      const float x0_floor = std::floor(x0);
      const int x0i = int(x0_floor);
      const float x1_ceil = std::ceil(x1);
      const int x1i = int(x1_ceil);
      if (x1i <= x0i + 1) {
        const float xmf = 0.5f * (x0 + x1) - x0_floor;
        row[x0i] += d - d * xmf;
        row[x0i + 1] += d * xmf;
      } else {
        const float s = 1.0f / (x1 - x0);
        const float x0f = x0 - x0_floor;
        const float a0 = 0.5f * s * (1.0f - x0f) * (1.0f - x0f);
        const float x1f = x1 - x1_ceil + 1.0f;
        const float am = 0.5f * s * x1f * x1f;
        row[x0i] += d * a0;
        if (x1i == x0i + 2) {
          row[x0i + 1] += d * (1.0f - a0 - am);
        } else {
          const float a1 = s * (1.5f - x0f);
          row[x0i + 1] += d * (a1 - a0);
          for (int xi = x0i + 2; xi < x1i - 1; ++xi) row[xi] += d * s;
          const float a2 = a1 + float(x1i - x0i - 3) * s;
          row[x1i - 1] += d * (1.0f - a2 - am);
        }
        row[x1i] += d * am;
      }
      x = x_next;
    }
  }

  // Quadratic Bézier, flattened into lines (more for a stronger bend).
  void Quad(cv::Point2f p0, cv::Point2f p1, cv::Point2f p2) {
    const cv::Point2f dev = p0 - 2.0f * p1 + p2;
    const float dev_sq = dev.dot(dev);
    if (!(dev_sq >= 0.333f)) {
      Line(p0, p2);
      return;
    }
    const int n = std::min(64, 1 + int(std::floor(std::sqrt(std::sqrt(3.0f * dev_sq)))));
    cv::Point2f prev = p0;
    for (int i = 1; i <= n; ++i) {
      const float t = float(i) / float(n);
      const cv::Point2f a = p0 + (p1 - p0) * t, b = p1 + (p2 - p1) * t;
      const cv::Point2f p = a + (b - a) * t;
      Line(prev, p);
      prev = p;
    }
  }

  // One TrueType contour (pixel space): on-curve points joined by lines,
  // off-curve points as quadratic controls, two off-curve points in a row
  // with the implied on-curve point at their midpoint.
  void Contour(const std::vector<OutlinePoint>& pts) {
    const size_t n = pts.size();
    if (n < 2) return;
    auto at = [&](size_t i) { return cv::Point2f(pts[i].x, pts[i].y); };
    cv::Point2f start;
    size_t first = 0, count = n;
    if (pts[0].on_curve) {
      start = at(0);
      first = 1;
      count = n - 1;
    } else if (pts[n - 1].on_curve) {
      start = at(n - 1);
      first = 0;
      count = n - 1;
    } else {
      start = 0.5f * (at(0) + at(n - 1));
    }
    cv::Point2f cur = start, ctrl;
    bool has_ctrl = false;
    auto visit = [&](cv::Point2f q, bool on) {
      if (on) {
        if (has_ctrl) Quad(cur, ctrl, q);
        else Line(cur, q);
        cur = q;
        has_ctrl = false;
      } else if (has_ctrl) {
        const cv::Point2f mid = 0.5f * (ctrl + q);
        Quad(cur, ctrl, mid);
        cur = mid;
        ctrl = q;
      } else {
        ctrl = q;
        has_ctrl = true;
      }
    };
    for (size_t k = 0; k < count; ++k) visit(at(first + k), pts[first + k].on_curve);
    visit(start, true);
  }

  // Writes coverage into `out` (same size, CV_8UC1), keeping the larger value.
  void Resolve(cv::Mat* out) const {
    for (int y = 0; y < h_; ++y) {
      const float* row = &cells_[size_t(y) * stride_];
      uint8_t* dst = out->ptr<uint8_t>(y);
      float acc = 0;
      for (int x = 0; x < w_; ++x) {
        acc += row[x];
        const float v = std::min(1.0f, std::fabs(acc));
        dst[x] = std::max(dst[x], uint8_t(v * 255.0f + 0.5f));
      }
    }
  }

 private:
  int w_, h_;
  size_t stride_;
  std::vector<float> cells_;
};

// A box with a hole, for a .notdef glyph that has no outline of its own.
std::vector<Contour> NotdefBox(const Font& font, int advance) {
  const float em = float(font.units_per_em());
  const float x0 = 0.08f * em, x1 = std::max(x0 + 0.2f * em, std::min(float(advance) - 0.08f * em, 0.6f * em));
  const float y0 = 0, y1 = 0.7f * float(font.ascent()), t = 0.06f * em;
  return {{{x0, y0}, {x0, y1}, {x1, y1}, {x1, y0}},
          {{x0 + t, y0 + t}, {x1 - t, y0 + t}, {x1 - t, y1 - t}, {x0 + t, y1 - t}}};
}

// Pixels per font unit of the first font's line height -> em pixels.
float EmPixels(const FontChain& fonts, float pixel_height) {
  if (!(pixel_height > 0 && pixel_height <= kMaxPixelHeight)) {
    throw ocr::Error(ocr::ErrorCode::kInvalidOption,
                     "text pixel height must be in (0, 2048], received " + std::to_string(pixel_height));
  }
  return pixel_height / fonts.line_per_em();
}

}  // namespace

FontChain::FontChain(std::vector<std::shared_ptr<const Font>> fonts) : fonts_(std::move(fonts)) {
  if (fonts_.empty()) throw ocr::Error(ocr::ErrorCode::kInvalidOption, "font: at least one font is needed");
  for (const auto& f : fonts_) {
    if (!f) throw ocr::Error(ocr::ErrorCode::kInvalidOption, "font: a font of the chain is missing");
  }
}

FontChain::Glyph FontChain::Find(char32_t code_point) const {
  for (const auto& f : fonts_) {
    const uint32_t g = f->GlyphIndex(code_point);
    if (g != 0) return {f.get(), g};
  }
  return {fonts_.front().get(), 0};
}

float FontChain::line_per_em() const {
  const Font& f = primary();
  return float(f.ascent() - f.descent()) / float(f.units_per_em());
}

float MeasureText(const FontChain& fonts, const std::u32string& text, float pixel_height) {
  const float em = EmPixels(fonts, pixel_height);
  double width = 0;
  for (char32_t cp : text) {
    const FontChain::Glyph g = fonts.Find(cp);
    width += double(g.font->AdvanceWidth(g.index)) * em / g.font->units_per_em();
  }
  return float(width);
}

TextRaster RasterizeText(const FontChain& fonts, const std::u32string& text, float pixel_height) {
  const float em = EmPixels(fonts, pixel_height);
  const int height = std::max(1, int(std::ceil(pixel_height)));
  const double width = std::ceil(double(MeasureText(fonts, text, pixel_height)));
  if (width * double(height) > double(kMaxRasterPixels)) {
    throw ocr::Error(ocr::ErrorCode::kInvalidOption, "text raster would exceed 64 megapixels");
  }
  TextRaster out;
  out.baseline = int(std::lround(float(fonts.primary().ascent()) * em / float(fonts.primary().units_per_em())));
  out.coverage = cv::Mat::zeros(height, int(width), CV_8UC1);
  if (out.coverage.cols == 0) return out;
  Accumulator acc(out.coverage.cols, height);
  float pen = 0;
  for (char32_t cp : text) {
    const FontChain::Glyph g = fonts.Find(cp);
    const float scale = em / float(g.font->units_per_em());
    const int advance = g.font->AdvanceWidth(g.index);
    std::vector<Contour> outline = g.font->Outline(g.index);
    if (g.index == 0 && outline.empty() && cp != U' ') outline = NotdefBox(*g.font, advance);
    for (Contour& contour : outline) {
      for (OutlinePoint& p : contour) {
        p.x = pen + p.x * scale;
        p.y = float(out.baseline) - p.y * scale;
      }
      acc.Contour(contour);
    }
    pen += float(advance) * scale;
  }
  acc.Resolve(&out.coverage);
  return out;
}

TextRaster RasterizeText(const FontChain& fonts, const std::string& utf8, float pixel_height) {
  return RasterizeText(fonts, DecodeUtf8(utf8), pixel_height);
}

void FillPolygons(const std::vector<std::vector<cv::Point2f>>& polygons, cv::Mat* coverage) {
  CV_Assert(coverage && coverage->type() == CV_8UC1);
  if (coverage->empty()) return;
  Accumulator acc(coverage->cols, coverage->rows);
  for (const auto& polygon : polygons) {
    for (size_t i = 0; i < polygon.size(); ++i) acc.Line(polygon[i], polygon[(i + 1) % polygon.size()]);
  }
  acc.Resolve(coverage);
}

}  // namespace ocr::render
