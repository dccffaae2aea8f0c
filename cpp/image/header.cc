#include "image/header.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>

#include "core/error.h"

namespace ocr::image {
namespace {

constexpr uint8_t kPngSignature[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
constexpr uint8_t kJpegSignature[3] = {0xFF, 0xD8, 0xFF};
constexpr uint8_t kTiffLe[4] = {'I', 'I', 42, 0};
constexpr uint8_t kTiffBe[4] = {'M', 'M', 0, 42};
constexpr uint8_t kBigTiffLe[4] = {'I', 'I', 43, 0};
constexpr uint8_t kBigTiffBe[4] = {'M', 'M', 0, 43};
constexpr uint8_t kBmpSignature[2] = {'B', 'M'};
constexpr int64_t kMaxPngDimension = 0x7FFFFFFF;  // PNG spec: < 2^31.

[[noreturn]] void ThrowInvalid(const std::string& message) {
  throw Error(ErrorCode::kInvalidImage, message);
}

// A valid file of a variant the decoders cannot read: said as such rather than as
// "corrupt or truncated" data when the decoder gives up on it.
[[noreturn]] void ThrowUnsupportedVariant(const char* format, const std::string& variant) {
  throw Error(ErrorCode::kUnsupportedFormat, std::string("unsupported ") + format + " variant: " + variant);
}

// A bounds-checked window onto the input. Every read names what it reads so
// that a truncated header says which field is missing.
class Bytes {
 public:
  Bytes(const uint8_t* data, size_t size, const char* format)
      : data_(data), size_(size), format_(format) {}

  size_t size() const { return size_; }
  const uint8_t* data() const { return data_; }
  bool Has(size_t offset, size_t count) const { return offset <= size_ && count <= size_ - offset; }
  void Need(size_t offset, size_t count, const char* what) const {
    if (!Has(offset, count)) {
      ThrowInvalid(std::string("truncated ") + format_ + " header: " + what +
                   " lies past the end of the data (" + std::to_string(size_) + " bytes)");
    }
  }
  uint8_t U8(size_t offset, const char* what) const {
    Need(offset, 1, what);
    return data_[offset];
  }
  uint32_t Be16(size_t offset, const char* what) const {
    Need(offset, 2, what);
    return (uint32_t{data_[offset]} << 8) | data_[offset + 1];
  }
  uint32_t Le16(size_t offset, const char* what) const {
    Need(offset, 2, what);
    return uint32_t{data_[offset]} | (uint32_t{data_[offset + 1]} << 8);
  }
  uint32_t Le24(size_t offset, const char* what) const {
    Need(offset, 3, what);
    return uint32_t{data_[offset]} | (uint32_t{data_[offset + 1]} << 8) |
           (uint32_t{data_[offset + 2]} << 16);
  }
  uint32_t Be32(size_t offset, const char* what) const {
    Need(offset, 4, what);
    return (uint32_t{data_[offset]} << 24) | (uint32_t{data_[offset + 1]} << 16) |
           (uint32_t{data_[offset + 2]} << 8) | data_[offset + 3];
  }
  uint32_t Le32(size_t offset, const char* what) const {
    Need(offset, 4, what);
    return uint32_t{data_[offset]} | (uint32_t{data_[offset + 1]} << 8) |
           (uint32_t{data_[offset + 2]} << 16) | (uint32_t{data_[offset + 3]} << 24);
  }
  bool Matches(size_t offset, const void* bytes, size_t count) const {
    return Has(offset, count) && std::memcmp(data_ + offset, bytes, count) == 0;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  const char* format_;
};

// ---------------------------------------------------------------- TIFF IFD0

// The IFD0 tags we need, from a TIFF file or an EXIF blob (a TIFF structure).
struct TiffTags {
  int64_t width = -1;  // -1: tag absent.
  int64_t height = -1;
  // A size tag that is not one SHORT or LONG (libtiff would read some such
  // entries, so the probe cannot vouch for the size): what it is, else "".
  std::string size_tag_problem;
  int orientation = 1;
  size_t orientation_value_at = 0;  // Offset of the tag's value; 0: absent, or 1 (as stored).
  int orientation_value_bytes = 0;  // 1, 2 or 4: the width of that value.
  int samples_per_pixel = 1;
  int photometric = -1;
  int bits_per_sample = 8;  // The first sample's.
  int sample_format = 1;    // 1 unsigned, 2 signed, 3 IEEE float (the first sample's).
};

constexpr uint32_t kTiffByte = 1;
constexpr uint32_t kTiffShort = 3;
constexpr uint32_t kTiffLong = 4;
constexpr uint32_t kTiffSbyte = 6;
constexpr uint32_t kTiffSshort = 8;
constexpr uint32_t kTiffSlong = 9;

// Bytes of one value of an integer TIFF type libtiff reads as a scalar tag
// (BYTE, SHORT, LONG and their signed forms); 0 for any other type.
int TiffIntegerBytes(uint32_t type) {
  switch (type) {
    case kTiffByte:
    case kTiffSbyte:
      return 1;
    case kTiffShort:
    case kTiffSshort:
      return 2;
    case kTiffLong:
    case kTiffSlong:
      return 4;
    default:
      return 0;
  }
}

// Parses IFD0 of the TIFF structure in `tiff` (which starts with II*\0 or
// MM\0*). Returns an empty string on success, else what is wrong.
// As libtiff (OpenCV's TIFF decoder), the first entry of a tag wins and later
// duplicates are ignored: a file listing its width twice must not show this
// probe one size and the decoder another (the pixel limit relies on it).
std::string ParseTiffIfd0(const Bytes& tiff, TiffTags* tags) {
  if (!tiff.Has(0, 8)) return "TIFF header shorter than 8 bytes";
  const bool le = tiff.Matches(0, kTiffLe, 4);
  if (!le && !tiff.Matches(0, kTiffBe, 4)) return "bad TIFF byte-order mark";
  auto u16 = [&](size_t at) { return le ? tiff.Le16(at, "") : tiff.Be16(at, ""); };
  auto u32 = [&](size_t at) { return le ? tiff.Le32(at, "") : tiff.Be32(at, ""); };
  const size_t ifd = u32(4);
  if (!tiff.Has(ifd, 2)) return "IFD0 offset " + std::to_string(ifd) + " is past the end";
  const size_t count = u16(ifd);
  if (!tiff.Has(ifd + 2, count * 12)) {
    return "IFD0 with " + std::to_string(count) + " entries runs past the end";
  }
  bool seen_width = false, seen_height = false, seen_photometric = false, seen_orientation = false,
       seen_samples = false, seen_bits = false, seen_format = false;
  for (size_t i = 0; i < count; ++i) {
    const size_t entry = ifd + 2 + i * 12;
    const uint32_t tag = u16(entry);
    const uint32_t type = u16(entry + 2);
    const uint32_t n = u32(entry + 4);
    bool* seen = nullptr;
    switch (tag) {
      case 256: seen = &seen_width; break;
      case 257: seen = &seen_height; break;
      case 262: seen = &seen_photometric; break;
      case 274: seen = &seen_orientation; break;
      case 277: seen = &seen_samples; break;
      case 258:
      case 339: {
        // BitsPerSample / SampleFormat: one SHORT per sample, the first one here (inline when they fit in 4
        // bytes, else at the offset the field holds). Only to name variants the decoder cannot read.
        bool& seen_sample_tag = tag == 258 ? seen_bits : seen_format;
        if (seen_sample_tag) continue;
        seen_sample_tag = true;
        if (type != kTiffShort || n < 1) continue;
        const size_t at = n <= 2 ? entry + 8 : size_t(u32(entry + 8));
        if (!tiff.Has(at, 2)) continue;
        (tag == 258 ? tags->bits_per_sample : tags->sample_format) = int(u16(at));
        continue;
      }
      default: continue;
    }
    if (*seen) continue;
    *seen = true;
    const bool unsigned_scalar = n == 1 && (type == kTiffShort || type == kTiffLong);
    if (tag == 256 || tag == 257) {
      if (!unsigned_scalar) {
        tags->size_tag_problem = std::string(tag == 256 ? "ImageWidth" : "ImageLength") + " is " +
                                 std::to_string(n) + " value(s) of type " + std::to_string(type) +
                                 ", not one SHORT or LONG";
        continue;
      }
      (tag == 256 ? tags->width : tags->height) = type == kTiffShort ? u16(entry + 8) : u32(entry + 8);
      continue;
    }
    const int bytes = TiffIntegerBytes(type);
    if (n != 1 || bytes == 0) continue;  // libtiff ignores such an entry too.
    // A single value sits left-justified in the 4-byte value field.
    const uint32_t raw = bytes == 1 ? tiff.data()[entry + 8] : bytes == 2 ? u16(entry + 8) : u32(entry + 8);
    const bool is_signed = type == kTiffSbyte || type == kTiffSshort || type == kTiffSlong;
    const bool negative = is_signed && (raw >> (8 * bytes - 1)) != 0;
    const uint32_t value = negative ? 0 : raw;
    if (tag == 274) {
      if (value >= 1 && value <= 8) {
        tags->orientation = int(value);
        tags->orientation_value_at = entry + 8;
        tags->orientation_value_bytes = bytes;
      }
    } else if (unsigned_scalar) {
      (tag == 262 ? tags->photometric : tags->samples_per_pixel) = int(std::min<uint32_t>(value, 0xFFFF));
    }
  }
  return "";
}

// Orientation from an EXIF blob; 1 when the blob is malformed (as libjpeg
// users and OpenCV do, a bad EXIF never fails the image).
int ExifOrientation(const uint8_t* data, size_t size) {
  static constexpr uint8_t kExifPrefix[6] = {'E', 'x', 'i', 'f', 0, 0};
  if (size >= 6 && std::memcmp(data, kExifPrefix, 6) == 0) {
    data += 6;
    size -= 6;
  }
  TiffTags tags;
  if (!ParseTiffIfd0(Bytes(data, size, "EXIF"), &tags).empty()) return 1;
  return tags.orientation;
}

ImageInfo ProbeTiff(const Bytes& b) {
  TiffTags tags;
  const std::string error = ParseTiffIfd0(b, &tags);
  if (!error.empty()) ThrowInvalid("malformed TIFF header: " + error);
  if (!tags.size_tag_problem.empty()) ThrowInvalid("unsupported TIFF header: " + tags.size_tag_problem);
  if (tags.width < 0 || tags.height < 0) {
    ThrowInvalid("malformed TIFF header: IFD0 lacks ImageWidth or ImageLength");
  }
  ImageInfo info;
  info.format = ImageFormat::kTiff;
  info.width = tags.width;
  info.height = tags.height;
  info.exif_orientation = tags.orientation;
  if (tags.sample_format == 3) ThrowUnsupportedVariant("TIFF", "floating-point samples");
  if (tags.bits_per_sample > 16) {
    ThrowUnsupportedVariant("TIFF", std::to_string(tags.bits_per_sample) + "-bit samples");
  }
  // libtiff (and so OpenCV) reads the 4th sample of RGB as alpha, with or
  // without an ExtraSamples tag.
  constexpr int kPhotometricRgb = 2;
  info.tiff_grey_alpha = tags.samples_per_pixel == 2 && (tags.photometric == 0 || tags.photometric == 1);
  info.has_alpha = (tags.samples_per_pixel == 4 && tags.photometric == kPhotometricRgb) || info.tiff_grey_alpha;
  if (info.tiff_grey_alpha && tags.bits_per_sample != 8 && tags.bits_per_sample != 16) {
    ThrowUnsupportedVariant("TIFF", "grey + alpha with " + std::to_string(tags.bits_per_sample) + "-bit samples");
  }
  return info;
}

// ---------------------------------------------------------------- JPEG

bool IsJpegSof(int marker) {
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

bool IsJpegStandalone(int marker) { return marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8); }

// Advances past garbage and fill bytes to the next marker, as libjpeg does;
// returns the marker code, or -1 at the end of the data.
int NextJpegMarker(const uint8_t* data, size_t size, size_t* pos) {
  while (*pos < size) {
    while (*pos < size && data[*pos] != 0xFF) ++*pos;
    while (*pos < size && data[*pos] == 0xFF) ++*pos;
    if (*pos >= size) return -1;
    const int marker = data[(*pos)++];
    if (marker != 0x00) return marker;  // FF 00 outside a scan is garbage.
  }
  return -1;
}

ImageInfo ProbeJpeg(const Bytes& b) {
  ImageInfo info;
  info.format = ImageFormat::kJpeg;
  bool exif_seen = false;
  size_t pos = 2;  // After SOI.
  for (;;) {
    const int marker = NextJpegMarker(b.data(), b.size(), &pos);
    if (marker < 0)
      ThrowInvalid("truncated JPEG header: no frame header (SOFn) before the end of the data");
    if (marker == 0xD9)
      ThrowInvalid("malformed JPEG: end of image (EOI) before any frame header (SOFn)");
    if (marker == 0xDA) ThrowInvalid("malformed JPEG: scan (SOS) before any frame header (SOFn)");
    if (IsJpegStandalone(marker)) continue;
    const size_t length = b.Be16(pos, "JPEG segment length");
    if (length < 2)
      ThrowInvalid("malformed JPEG: segment length " + std::to_string(length) + " < 2");
    b.Need(pos, length, "JPEG segment");
    const uint8_t* payload = b.data() + pos + 2;
    const size_t payload_size = length - 2;
    if (IsJpegSof(marker)) {
      if (payload_size < 6)
        ThrowInvalid("malformed JPEG: frame header (SOFn) shorter than 6 bytes");
      // Lossless (SOF3, 7, 11, 15), hierarchical (SOF5-7, 13-15) and 12-bit JPEGs: libjpeg reads none of them in
      // its 8-bit build.
      if ((marker & 3) == 3) ThrowUnsupportedVariant("JPEG", "lossless coding (SOF" + std::to_string(marker - 0xC0) + ")");
      if (marker == 0xC5 || marker == 0xC6 || marker == 0xCD || marker == 0xCE) {
        ThrowUnsupportedVariant("JPEG", "hierarchical coding (SOF" + std::to_string(marker - 0xC0) + ")");
      }
      if (payload[0] != 8) ThrowUnsupportedVariant("JPEG", std::to_string(payload[0]) + "-bit samples");
      info.height = (uint32_t{payload[1]} << 8) | payload[2];
      info.width = (uint32_t{payload[3]} << 8) | payload[4];
      return info;
    }
    if (marker == 0xE1 && !exif_seen && payload_size >= 6 &&
        std::memcmp(payload, "Exif\0\0", 6) == 0) {
      exif_seen = true;
      info.exif_orientation = ExifOrientation(payload, payload_size);
    }
    pos += length;
  }
}

// ---------------------------------------------------------------- PNG

ImageInfo ProbePng(const Bytes& b) {
  const uint32_t ihdr_length = b.Be32(8, "IHDR chunk length");
  if (!b.Matches(12, "IHDR", 4)) {
    b.Need(12, 4, "IHDR chunk type");
    ThrowInvalid("malformed PNG: first chunk is not IHDR");
  }
  if (ihdr_length != 13)
    ThrowInvalid("malformed PNG: IHDR length " + std::to_string(ihdr_length) + " != 13");
  ImageInfo info;
  info.format = ImageFormat::kPng;
  info.width = b.Be32(16, "IHDR width");
  info.height = b.Be32(20, "IHDR height");
  const uint8_t bit_depth = b.U8(24, "IHDR bit depth");
  const uint8_t color_type = b.U8(25, "IHDR colour type");
  if (info.width > kMaxPngDimension || info.height > kMaxPngDimension) {
    ThrowInvalid("malformed PNG: IHDR width or height exceeds 2^31-1");
  }
  if (color_type > 6 || color_type == 1 || color_type == 5) {
    ThrowInvalid("malformed PNG: invalid IHDR colour type " + std::to_string(color_type));
  }
  if (bit_depth == 0 || bit_depth > 16 || (bit_depth & (bit_depth - 1)) != 0) {
    ThrowInvalid("malformed PNG: invalid IHDR bit depth " + std::to_string(bit_depth));
  }
  bool trns = false;
  bool exif_seen = false;
  // Ancillary chunks before IDAT: tRNS and eXIf. A truncated chunk here ends
  // the scan quietly; the decoder reports the damage.
  for (size_t pos = 8 + 12 + 13; b.Has(pos, 8);) {
    const size_t length = b.Be32(pos, "");
    const uint8_t* type = b.data() + pos + 4;
    if (std::memcmp(type, "IDAT", 4) == 0 || std::memcmp(type, "IEND", 4) == 0) break;
    if (length > kMaxPngDimension || !b.Has(pos + 8, length + 4)) break;
    if (std::memcmp(type, "tRNS", 4) == 0) trns = true;
    if (std::memcmp(type, "eXIf", 4) == 0 && !exif_seen) {
      exif_seen = true;
      info.exif_orientation = ExifOrientation(b.data() + pos + 8, length);
    }
    pos += 12 + length;
  }
  info.has_alpha =
      color_type == 4 || color_type == 6 || (trns && (color_type == 2 || color_type == 3));
  return info;
}

// ---------------------------------------------------------------- WebP

// Orientation from the EXIF chunk that follows a VP8X chunk, if any.
int WebpExifOrientation(const Bytes& b, size_t pos) {
  while (b.Has(pos, 8)) {
    const size_t length = b.Le32(pos + 4, "");
    if (!b.Has(pos + 8, length)) break;
    if (b.Matches(pos, "EXIF", 4)) return ExifOrientation(b.data() + pos + 8, length);
    pos += 8 + length + (length & 1);
  }
  return 1;
}

ImageInfo ProbeWebp(const Bytes& b) {
  ImageInfo info;
  info.format = ImageFormat::kWebp;
  b.Need(12, 8, "first WebP chunk header");
  const size_t p = 20;  // First chunk payload.
  if (b.Matches(12, "VP8 ", 4)) {
    b.Need(p, 10, "VP8 frame header");
    if (b.data()[p] & 1) ThrowInvalid("malformed WebP: VP8 frame is not a key frame");
    if (!b.Matches(p + 3, "\x9D\x01\x2A", 3)) ThrowInvalid("malformed WebP: bad VP8 start code");
    info.width = b.Le16(p + 6, "VP8 width") & 0x3FFF;
    info.height = b.Le16(p + 8, "VP8 height") & 0x3FFF;
  } else if (b.Matches(12, "VP8L", 4)) {
    if (b.U8(p, "VP8L signature") != 0x2F) ThrowInvalid("malformed WebP: bad VP8L signature");
    const uint32_t bits = b.Le32(p + 1, "VP8L size fields");
    if ((bits >> 29) != 0) ThrowInvalid("malformed WebP: unknown VP8L version");
    info.width = (bits & 0x3FFF) + 1;
    info.height = ((bits >> 14) & 0x3FFF) + 1;
    info.has_alpha = (bits >> 28) & 1;
  } else if (b.Matches(12, "VP8X", 4)) {
    const size_t chunk_length = b.Le32(16, "VP8X chunk length");
    const uint8_t flags = b.U8(p, "VP8X flags");
    info.width = int64_t{b.Le24(p + 4, "VP8X canvas width")} + 1;
    info.height = int64_t{b.Le24(p + 7, "VP8X canvas height")} + 1;
    info.has_alpha = (flags & 0x10) != 0;
    if (flags & 0x02) ThrowUnsupportedVariant("WebP", "animation");
    if (flags & 0x08)
      info.exif_orientation = WebpExifOrientation(b, p + chunk_length + (chunk_length & 1));
  } else {
    ThrowInvalid("malformed WebP: first chunk is not VP8, VP8L or VP8X");
  }
  return info;
}

// ---------------------------------------------------------------- BMP

// The bytes an uncompressed BMP's pixel rows end at (each row padded to 4
// bytes, the last one too); 0 for compressed or odd headers.
uint64_t BmpPixelsEnd(const Bytes& b, int64_t width, int64_t height, uint32_t bits, uint32_t compression) {
  constexpr uint32_t kRgb = 0, kBitfields = 3;
  if ((compression != kRgb && compression != kBitfields) || bits == 0 || bits > 32) return 0;
  // Sides <= 2^31 and at most 32 bits: stride * height <= 2^64 - 2^33, plus a 32-bit offset: no overflow.
  const uint64_t stride = (uint64_t(width) * bits + 31) / 32 * 4;
  return uint64_t{b.Le32(10, "BMP pixel data offset")} + stride * uint64_t(height);
}

ImageInfo ProbeBmp(const Bytes& b) {
  ImageInfo info;
  info.format = ImageFormat::kBmp;
  const uint32_t header_size = b.Le32(14, "BMP DIB header size");
  if (header_size == 12) {  // BITMAPCOREHEADER: unsigned 16-bit sizes, never compressed.
    info.width = b.Le16(18, "BMP width");
    info.height = b.Le16(20, "BMP height");
    info.min_bytes = BmpPixelsEnd(b, info.width, info.height, b.Le16(24, "BMP bit count"), 0);
    return info;
  }
  if (header_size < 40 || header_size > 1024) {
    ThrowInvalid("malformed BMP: unsupported DIB header size " + std::to_string(header_size));
  }
  const int32_t width = int32_t(b.Le32(18, "BMP width"));
  const int32_t height = int32_t(b.Le32(22, "BMP height"));
  if (width < 0) ThrowInvalid("malformed BMP: negative width " + std::to_string(width));
  info.width = width;
  info.height = height < 0 ? -int64_t{height} : int64_t{height};  // < 0: top-down.
  info.min_bytes = BmpPixelsEnd(b, info.width, info.height, b.Le16(28, "BMP bit count"), b.Le32(30, "BMP compression"));
  return info;
}

// ---------------------------------------------------------------- dispatch

std::string HexPrefix(const uint8_t* data, size_t size) {
  std::string out;
  char buf[4];
  for (size_t i = 0; i < std::min<size_t>(size, 8); ++i) {
    std::snprintf(buf, sizeof(buf), i ? " %02x" : "%02x", data[i]);
    out += buf;
  }
  return out;
}

// True when data[0, size) is a proper prefix of `signature` (a cut header).
bool IsCutSignature(const uint8_t* data, size_t size, const void* signature, size_t length) {
  return size < length && std::memcmp(data, signature, size) == 0;
}

bool StartsWith(const uint8_t* data, size_t size, const void* prefix, size_t length) {
  return size >= length && std::memcmp(data, prefix, length) == 0;
}

enum class Signature { kJpeg, kPng, kWebp, kTiff, kBmp, kBigTiff, kCut, kUnknown };

// Which parser the first bytes select. kCut: the data stops inside a known
// signature (or inside a RIFF header before its form type).
Signature Sniff(const uint8_t* data, size_t size) {
  if (StartsWith(data, size, kJpegSignature, 3)) return Signature::kJpeg;
  if (StartsWith(data, size, kPngSignature, 8)) return Signature::kPng;
  if (StartsWith(data, size, "RIFF", 4)) {
    if (size < 12) return Signature::kCut;
    if (std::memcmp(data + 8, "WEBP", 4) == 0) return Signature::kWebp;
  }
  if (StartsWith(data, size, kTiffLe, 4) || StartsWith(data, size, kTiffBe, 4)) {
    return Signature::kTiff;
  }
  if (StartsWith(data, size, kBigTiffLe, 4) || StartsWith(data, size, kBigTiffBe, 4)) {
    return Signature::kBigTiff;
  }
  if (StartsWith(data, size, kBmpSignature, 2)) return Signature::kBmp;
  for (const auto& [signature, length] : {std::pair<const void*, size_t>{kJpegSignature, 3},
                                          {kPngSignature, 8},
                                          {"RIFF", 4},
                                          {kTiffLe, 4},
                                          {kTiffBe, 4},
                                          {kBmpSignature, 2}}) {
    if (IsCutSignature(data, size, signature, length)) return Signature::kCut;
  }
  return Signature::kUnknown;
}

}  // namespace

const char* ImageFormatName(ImageFormat format) {
  switch (format) {
    case ImageFormat::kJpeg:
      return "JPEG";
    case ImageFormat::kPng:
      return "PNG";
    case ImageFormat::kWebp:
      return "WebP";
    case ImageFormat::kTiff:
      return "TIFF";
    case ImageFormat::kBmp:
      return "BMP";
  }
  return "unknown";
}

ImageInfo ProbeImage(const uint8_t* data, size_t size) {
  if (data == nullptr || size == 0) ThrowInvalid("empty image data (0 bytes)");
  ImageInfo info;
  switch (Sniff(data, size)) {
    case Signature::kJpeg:
      info = ProbeJpeg(Bytes(data, size, "JPEG"));
      break;
    case Signature::kPng:
      info = ProbePng(Bytes(data, size, "PNG"));
      break;
    case Signature::kWebp:
      info = ProbeWebp(Bytes(data, size, "WebP"));
      break;
    case Signature::kTiff:
      info = ProbeTiff(Bytes(data, size, "TIFF"));
      break;
    case Signature::kBmp:
      info = ProbeBmp(Bytes(data, size, "BMP"));
      break;
    case Signature::kCut:
      ThrowInvalid("truncated image header: only " + std::to_string(size) + " bytes (" +
                   HexPrefix(data, size) + ")");
    case Signature::kBigTiff:
      throw Error(ErrorCode::kUnsupportedFormat,
                  "unsupported image format: BigTIFF; supported formats are JPEG, PNG, WebP, "
                  "classic TIFF and BMP");
    case Signature::kUnknown:
      throw Error(ErrorCode::kUnsupportedFormat,
                  "unsupported image format (first bytes " + HexPrefix(data, size) +
                      "); supported formats are JPEG, PNG, WebP, TIFF and BMP");
  }
  if (info.width == 0 || info.height == 0) {
    ThrowInvalid(std::string(ImageFormatName(info.format)) + " image has zero width or height (" +
                 std::to_string(info.width) + "x" + std::to_string(info.height) + ")");
  }
  return info;
}

JpegStream ReadJpegStream(const uint8_t* data, size_t size) {
  JpegStream stream;
  if (data == nullptr || size < 2 || data[0] != 0xFF || data[1] != 0xD8) return stream;
  size_t pos = 2;
  for (;;) {
    const int marker = NextJpegMarker(data, size, &pos);
    if (marker < 0) return stream;
    if (marker == 0xD9) {
      stream.end_of_image = true;
      return stream;
    }
    if (IsJpegStandalone(marker)) continue;
    if (pos > size || size - pos < 2) return stream;
    const size_t length = (size_t{data[pos]} << 8) | data[pos + 1];
    if (length < 2 || size - pos < length) return stream;
    pos += length;
    if (IsJpegSof(marker)) stream.arithmetic = marker >= 0xC9;
    if (marker != 0xDA) continue;
    ++stream.scans;
    const size_t scan_start = pos;
    // Entropy-coded data: stop at the first FF that starts a real marker
    // (not a stuffed FF 00, a restart marker or a fill byte).
    for (;;) {
      const void* ff = pos < size ? std::memchr(data + pos, 0xFF, size - pos) : nullptr;
      if (ff == nullptr) return stream;
      pos = size_t(static_cast<const uint8_t*>(ff) - data);
      if (pos + 1 >= size) return stream;
      const uint8_t next = data[pos + 1];
      if (next != 0x00 && next != 0xFF && !(next >= 0xD0 && next <= 0xD7)) break;
      ++pos;
    }
    stream.entropy_bytes += pos - scan_start;
  }
}

TiffOrientationField TiffOrientationValue(const uint8_t* data, size_t size) {
  TiffTags tags;
  if (data == nullptr || !ParseTiffIfd0(Bytes(data, size, "TIFF"), &tags).empty()) return {};
  return {tags.orientation_value_at, tags.orientation_value_bytes};
}

}  // namespace ocr::image
