// Tests of cpp/image: header probe, decode policy (EXIF, alpha, depth,
// pixel limit, truncation), ReadFile and FromPixels. Every input is made in
// memory with cv::imencode, libtiff or by hand.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <tiffio.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/error.h"
#include "image/decode.h"
#include "image/header.h"

namespace ocr::image {
namespace {

using Bytes = std::vector<uint8_t>;

// ------------------------------------------------------------------ helpers

// A 40x20 (w x h) image whose four quadrants have distinct colours, so any
// rotation or flip is visible.
cv::Mat Quadrants(int width = 40, int height = 20) {
  cv::Mat image(height, width, CV_8UC3);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const bool right = x >= width / 2;
      const bool bottom = y >= height / 2;
      image.at<cv::Vec3b>(y, x) = right ? (bottom ? cv::Vec3b(255, 255, 255) : cv::Vec3b(0, 0, 255))
                                        : (bottom ? cv::Vec3b(0, 255, 0) : cv::Vec3b(255, 0, 0));
    }
  }
  return image;
}

Bytes Encode(const std::string& ext, const cv::Mat& image, std::vector<int> params = {}) {
  std::vector<uchar> out;
  EXPECT_TRUE(cv::imencode(ext, image, out, params)) << ext;
  return Bytes(out.begin(), out.end());
}

ImageInfo Probe(const Bytes& b) { return ProbeImage(b.data(), b.size()); }

cv::Mat Decode(const Bytes& b, bool exif = true, int64_t max_pixels = kDefaultMaxPixels) {
  DecodeOptions options;
  options.apply_exif_orientation = exif;
  options.max_pixels = max_pixels;
  return DecodeImage(b.data(), b.size(), options);
}

// Runs `fn` and returns the ocr::Error code it throws; fails if it throws
// nothing or anything else.
template <typename Fn>
Error Catch(Fn fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "non-ocr exception: " << e.what();
    return Error(ErrorCode::kInternal, e.what());
  }
  ADD_FAILURE() << "no exception";
  return Error(ErrorCode::kInternal, "no exception");
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

double MaxDiff(const cv::Mat& a, const cv::Mat& b) {
  if (a.size() != b.size() || a.type() != b.type()) return 1e9;
  return cv::norm(a, b, cv::NORM_INF);
}

void Put16(Bytes* b, uint32_t v, bool le) {
  if (le) {
    b->push_back(uint8_t(v)), b->push_back(uint8_t(v >> 8));
  } else {
    b->push_back(uint8_t(v >> 8)), b->push_back(uint8_t(v));
  }
}
void Put32(Bytes* b, uint32_t v, bool le) {
  if (le) {
    Put16(b, v & 0xFFFF, true), Put16(b, v >> 16, true);
  } else {
    Put16(b, v >> 16, false), Put16(b, v & 0xFFFF, false);
  }
}
void PutTag(Bytes* b, const char* tag) { b->insert(b->end(), tag, tag + 4); }
void Append(Bytes* b, const Bytes& more) {
  b->reserve(b->size() + more.size());  // also quiets a GCC 12 -Warray-bounds false positive
  b->insert(b->end(), more.begin(), more.end());
}

// A TIFF structure with one IFD0 entry: Orientation = `orientation`.
Bytes ExifBlob(int orientation, bool le) {
  Bytes b;
  if (le) {
    b = {'I', 'I', 42, 0};
  } else {
    b = {'M', 'M', 0, 42};
  }
  Put32(&b, 8, le);                      // IFD0 offset.
  Put16(&b, 1, le);                      // One entry.
  Put16(&b, 0x0112, le);                 // Orientation.
  Put16(&b, 3, le);                      // SHORT.
  Put32(&b, 1, le);                      // Count.
  Put16(&b, uint32_t(orientation), le);  // Value, left-justified.
  Put16(&b, 0, le);
  Put32(&b, 0, le);  // No next IFD.
  return b;
}

// A JPEG with an APP1 Exif segment inserted right after SOI.
Bytes JpegWithExif(const Bytes& jpeg, int orientation, bool le = false) {
  Bytes app1 = {0xFF, 0xE1};
  Bytes payload = {'E', 'x', 'i', 'f', 0, 0};
  Append(&payload, ExifBlob(orientation, le));
  Put16(&app1, uint32_t(payload.size() + 2), false);
  Append(&app1, payload);
  Bytes out(jpeg.begin(), jpeg.begin() + 2);
  Append(&out, app1);
  out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
  return out;
}

uint32_t Crc32(const uint8_t* data, size_t size) {
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < size; ++i) {
    crc ^= data[i];
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
  }
  return ~crc;
}

Bytes PngChunk(const char* type, const Bytes& data) {
  Bytes chunk;
  Put32(&chunk, uint32_t(data.size()), false);
  PutTag(&chunk, type);
  Append(&chunk, data);
  Put32(&chunk, Crc32(chunk.data() + 4, chunk.size() - 4), false);
  return chunk;
}

// Inserts a chunk right after IHDR (offset 33).
Bytes PngWithChunk(const Bytes& png, const char* type, const Bytes& data) {
  Bytes out(png.begin(), png.begin() + 33);
  Append(&out, PngChunk(type, data));
  out.insert(out.end(), png.begin() + 33, png.end());
  return out;
}

void PatchPngSize(Bytes* png, uint32_t width, uint32_t height) {
  Bytes be;
  Put32(&be, width, false);
  Put32(&be, height, false);
  std::copy(be.begin(), be.end(), png->begin() + 16);
  Bytes crc;
  Put32(&crc, Crc32(png->data() + 12, 17), false);
  std::copy(crc.begin(), crc.end(), png->begin() + 29);
}

// Offset of the first SOFn marker of a JPEG made by imencode.
size_t FindSof(const Bytes& jpeg) {
  for (size_t i = 2; i + 1 < jpeg.size(); ++i) {
    if (jpeg[i] == 0xFF && (jpeg[i + 1] == 0xC0 || jpeg[i + 1] == 0xC2)) return i;
  }
  ADD_FAILURE() << "no SOF";
  return 0;
}

// Rewraps a simple-format WebP (VP8/VP8L) as VP8X with the given canvas and
// optional trailing EXIF chunk.
Bytes WebpAsVp8x(const Bytes& webp, uint32_t width, uint32_t height, const Bytes* exif) {
  Bytes image_chunk(webp.begin() + 12, webp.end());
  Bytes body;
  PutTag(&body, "WEBP");
  PutTag(&body, "VP8X");
  Put32(&body, 10, true);
  body.push_back(exif ? 0x08 : 0x00);
  body.insert(body.end(), {0, 0, 0});
  Put32(&body, width - 1, true);
  body.pop_back();  // 24-bit fields.
  Put32(&body, height - 1, true);
  body.pop_back();
  Append(&body, image_chunk);
  if (exif) {
    PutTag(&body, "EXIF");
    Put32(&body, uint32_t(exif->size()), true);
    Append(&body, *exif);
    if (exif->size() & 1) body.push_back(0);
  }
  Bytes out = {'R', 'I', 'F', 'F'};
  Put32(&out, uint32_t(body.size()), true);
  Append(&out, body);
  return out;
}

// An uncompressed 8- or 16-bit RGB TIFF with an Orientation tag, by hand.
// `width`/`height` override the declared size (the pixels stay bgr's).
// `orientation_type`: the Orientation entry's TIFF type (3 SHORT, 4 LONG, 1 BYTE,
// 8 SSHORT); `extra`: {tag, type, value} entries appended after the usual ones
// (duplicates of a tag, say).
struct TiffEntry {
  uint32_t tag, type, value;
};
Bytes HandTiff(const cv::Mat& bgr, int orientation, bool le, uint32_t width = 0,
               uint32_t height = 0, int bits = 8, uint32_t orientation_type = 3,
               const std::vector<TiffEntry>& extra = {}) {
  if (width == 0) width = uint32_t(bgr.cols);
  if (height == 0) height = uint32_t(bgr.rows);
  const uint32_t kEntries = 11 + uint32_t(extra.size());
  const uint32_t bps_offset = 8 + 2 + kEntries * 12 + 4;
  const uint32_t pixel_offset = bps_offset + 6;
  cv::Mat rgb;
  cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
  if (bits == 16) {
    rgb.convertTo(rgb, CV_16UC3, 257);
    if (!le) {  // Byte-swap the samples to big-endian.
      for (uint16_t* p = rgb.ptr<uint16_t>(); p != rgb.ptr<uint16_t>() + rgb.total() * 3; ++p) {
        *p = uint16_t((*p >> 8) | (*p << 8));
      }
    }
  }
  const uint32_t pixel_bytes = uint32_t(rgb.total() * rgb.elemSize());
  Bytes b = le ? Bytes{'I', 'I', 42, 0} : Bytes{'M', 'M', 0, 42};
  Put32(&b, 8, le);
  Put16(&b, kEntries, le);
  auto entry = [&](uint32_t tag, uint32_t type, uint32_t count, uint32_t value) {
    Put16(&b, tag, le);
    Put16(&b, type, le);
    Put32(&b, count, le);
    if ((type == 1 || type == 6) && count == 1) {  // One byte, left-justified.
      b.push_back(uint8_t(value));
      b.insert(b.end(), 3, 0);
    } else if ((type == 3 || type == 8) && count == 1) {
      Put16(&b, value, le);
      Put16(&b, 0, le);
    } else {
      Put32(&b, value, le);
    }
  };
  entry(256, 4, 1, width);         // ImageWidth, LONG.
  entry(257, height > 0xFFFF ? 4 : 3, 1, height);  // ImageLength, SHORT where it fits.
  entry(258, 3, 3, bps_offset);    // BitsPerSample 8,8,8.
  entry(259, 3, 1, 1);             // No compression.
  entry(262, 3, 1, 2);             // RGB.
  entry(273, 4, 1, pixel_offset);  // StripOffsets.
  entry(274, orientation_type, 1, uint32_t(orientation));
  entry(277, 3, 1, 3);            // SamplesPerPixel.
  entry(278, 3, 1, height);       // RowsPerStrip.
  entry(279, 4, 1, pixel_bytes);  // StripByteCounts.
  entry(284, 3, 1, 1);            // Chunky.
  for (const TiffEntry& e : extra) entry(e.tag, e.type, 1, e.value);
  Put32(&b, 0, le);
  for (int i = 0; i < 3; ++i) Put16(&b, uint32_t(bits), le);
  b.insert(b.end(), rgb.data, rgb.data + pixel_bytes);
  return b;
}

// A 24-bit BMP with a 12-byte BITMAPCOREHEADER.
Bytes CoreBmp(const cv::Mat& bgr) {
  const uint32_t row = uint32_t((bgr.cols * 3 + 3) & ~3);
  Bytes b = {'B', 'M'};
  Put32(&b, 14 + 12 + row * uint32_t(bgr.rows), true);
  Put32(&b, 0, true);
  Put32(&b, 14 + 12, true);
  Put32(&b, 12, true);
  Put16(&b, uint32_t(bgr.cols), true);
  Put16(&b, uint32_t(bgr.rows), true);
  Put16(&b, 1, true);
  Put16(&b, 24, true);
  for (int y = bgr.rows - 1; y >= 0; --y) {  // Bottom-up.
    const uint8_t* p = bgr.ptr<uint8_t>(y);
    b.insert(b.end(), p, p + bgr.cols * 3);
    b.resize(b.size() + (row - bgr.cols * 3), 0);
  }
  return b;
}

struct Sample {
  std::string name;
  Bytes bytes;
  ImageFormat format;
};

// One small valid file of each format.
std::vector<Sample> Samples() {
  const cv::Mat image = Quadrants();
  return {
      {"jpeg", Encode(".jpg", image), ImageFormat::kJpeg},
      {"png", Encode(".png", image), ImageFormat::kPng},
      {"webp", Encode(".webp", image), ImageFormat::kWebp},
      {"webp-lossless", Encode(".webp", image, {cv::IMWRITE_WEBP_QUALITY, 101}),
       ImageFormat::kWebp},
      {"tiff", Encode(".tiff", image), ImageFormat::kTiff},
      {"tiff-be", HandTiff(image, 1, false), ImageFormat::kTiff},
      {"bmp", Encode(".bmp", image), ImageFormat::kBmp},
      {"bmp-core", CoreBmp(image), ImageFormat::kBmp},
  };
}

// ------------------------------------------------------------------ probe

TEST(ProbeImage, ReadsFormatAndSizeOfEveryFormat) {
  for (const Sample& s : Samples()) {
    SCOPED_TRACE(s.name);
    const ImageInfo info = Probe(s.bytes);
    EXPECT_EQ(info.format, s.format);
    EXPECT_EQ(info.width, 40);
    EXPECT_EQ(info.height, 20);
    EXPECT_EQ(info.exif_orientation, 1);
    EXPECT_FALSE(info.has_alpha);
    const cv::Mat decoded = Decode(s.bytes);
    EXPECT_EQ(decoded.type(), CV_8UC3);
    EXPECT_EQ(decoded.cols, 40);
    EXPECT_EQ(decoded.rows, 20);
    EXPECT_TRUE(decoded.isContinuous());
    // Quadrant centres (lossy formats ring near the edges).
    for (const cv::Point p :
         {cv::Point(5, 5), cv::Point(34, 5), cv::Point(5, 14), cv::Point(34, 14)}) {
      EXPECT_LE(cv::norm(cv::Vec3d(decoded.at<cv::Vec3b>(p)),
                         cv::Vec3d(Quadrants().at<cv::Vec3b>(p)), cv::NORM_INF),
                40)
          << p;
    }
    if (s.name != "jpeg" && s.name != "webp") {
      EXPECT_EQ(MaxDiff(decoded, Quadrants()), 0);
    }
  }
}

TEST(ProbeImage, GreySixteenBitAndAlphaVariants) {
  cv::Mat grey;
  cv::cvtColor(Quadrants(), grey, cv::COLOR_BGR2GRAY);
  cv::Mat bgra;
  cv::cvtColor(Quadrants(), bgra, cv::COLOR_BGR2BGRA);
  bgra.at<cv::Vec4b>(0, 0)[3] = 0;  // libwebp flags alpha only when it is used.
  cv::Mat deep;
  Quadrants().convertTo(deep, CV_16UC3, 257);
  struct Case {
    const char* name;
    Bytes bytes;
    ImageFormat format;
    bool alpha;
  };
  const std::vector<Case> cases = {
      {"grey jpeg", Encode(".jpg", grey), ImageFormat::kJpeg, false},
      {"grey png", Encode(".png", grey), ImageFormat::kPng, false},
      {"16-bit png", Encode(".png", deep), ImageFormat::kPng, false},
      {"rgba png", Encode(".png", bgra), ImageFormat::kPng, true},
      {"rgba webp", Encode(".webp", bgra, {cv::IMWRITE_WEBP_QUALITY, 101}), ImageFormat::kWebp,
       true},
      {"rgba tiff", Encode(".tiff", bgra), ImageFormat::kTiff, true},
      {"grey tiff", Encode(".tiff", grey), ImageFormat::kTiff, false},
      {"16-bit tiff", Encode(".tiff", deep), ImageFormat::kTiff, false},
      {"grey bmp", Encode(".bmp", grey), ImageFormat::kBmp, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const ImageInfo info = Probe(c.bytes);
    EXPECT_EQ(info.format, c.format);
    EXPECT_EQ(info.width, 40);
    EXPECT_EQ(info.height, 20);
    EXPECT_EQ(info.has_alpha, c.alpha);
    const cv::Mat decoded = Decode(c.bytes);
    EXPECT_EQ(decoded.type(), CV_8UC3);
    EXPECT_EQ(decoded.size(), cv::Size(40, 20));
  }
}

// A TIFF as libtiff writes it: `samples` are 8-bit planes in stored order (grey[, alpha] or R, G, B[, alpha]),
// written as they are (scaled to 16 bits where asked); `extra`: the ExtraSamples value (-1: no tag).
struct TiffLayout {
  bool tiled, separate;
  uint16_t compression, bits;
  uint32_t tile = 16;
  bool big_endian = false;
};
Bytes LibtiffImage(const std::vector<cv::Mat>& samples, uint16_t photometric, int extra, const TiffLayout& l) {
  char path[] = "/tmp/ocrkit-image-test-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) throw std::runtime_error("mkstemp");
  close(fd);
  TIFF* tif = TIFFOpen(path, l.big_endian ? "wb" : "wl");
  if (!tif) throw std::runtime_error("TIFFOpen");
  const int w = samples[0].cols, h = samples[0].rows, n = int(samples.size());
  TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, uint32_t(w));
  TIFFSetField(tif, TIFFTAG_IMAGELENGTH, uint32_t(h));
  TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, l.bits);
  TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, uint16_t(n));
  if (extra >= 0) {
    const uint16_t kind = uint16_t(extra);
    TIFFSetField(tif, TIFFTAG_EXTRASAMPLES, uint16_t(1), &kind);
  }
  TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, photometric);
  TIFFSetField(tif, TIFFTAG_PLANARCONFIG, l.separate ? PLANARCONFIG_SEPARATE : PLANARCONFIG_CONTIG);
  TIFFSetField(tif, TIFFTAG_COMPRESSION, l.compression);
  auto fill = [&](std::vector<uint8_t>& buffer, int x0, int y0, int bw, int bh, int plane) {
    const int per = l.separate ? 1 : n;
    buffer.assign(size_t(bw) * bh * per * l.bits / 8, 0);
    for (int y = 0; y < bh; ++y) {
      for (int x = 0; x < bw; ++x) {
        for (int k = 0; k < per; ++k) {
          const int px = std::min(x0 + x, w - 1), py = std::min(y0 + y, h - 1);
          const uint32_t v = samples[size_t(l.separate ? plane : k)].at<uint8_t>(py, px);
          const size_t at = (size_t(y) * bw + x) * per + k;
          if (l.bits == 16) {
            const uint16_t v16 = uint16_t(v * 257);
            std::memcpy(buffer.data() + at * 2, &v16, 2);
          } else {
            buffer[at] = uint8_t(v);
          }
        }
      }
    }
  };
  std::vector<uint8_t> buffer;
  const int planes = l.separate ? n : 1;
  if (l.tiled) {
    TIFFSetField(tif, TIFFTAG_TILEWIDTH, l.tile);
    TIFFSetField(tif, TIFFTAG_TILELENGTH, l.tile);
    const int t = int(l.tile);
    for (int p = 0; p < planes; ++p) {
      for (int y = 0; y < h; y += t) {
        for (int x = 0; x < w; x += t) {
          fill(buffer, x, y, t, t, p);
          TIFFWriteTile(tif, buffer.data(), uint32_t(x), uint32_t(y), 0, uint16_t(p));
        }
      }
    }
  } else {
    TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, uint32_t(7));
    for (int p = 0; p < planes; ++p) {
      for (int y = 0; y < h; ++y) {
        fill(buffer, 0, y, w, 1, p);
        TIFFWriteScanline(tif, buffer.data(), uint32_t(y), uint16_t(p));
      }
    }
  }
  TIFFClose(tif);
  std::ifstream in(path, std::ios::binary);
  Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(path);
  return bytes;
}

// The largest difference of `decoded` (BGR) from `expected` (BGR), over every pixel and channel.
double WorstDiff(const cv::Mat& decoded, const cv::Mat& expected) {
  if (decoded.size() != expected.size() || decoded.type() != expected.type()) return 1e9;
  return MaxDiff(decoded, expected);
}

// OpenCV 4.6's TIFF reader drops the alpha of grey + alpha (black ink drawn on transparent black read as a black
// page); it is read as PNG's grey + alpha is: composited on white.
TEST(DecodeImage, GreyAlphaTiffIsCompositedOnWhite) {
  cv::Mat grey(20, 40, CV_8UC1, cv::Scalar(0)), alpha(20, 40, CV_8UC1, cv::Scalar(0));
  cv::rectangle(alpha, {5, 5, 10, 10}, cv::Scalar(255), cv::FILLED);  // opaque black ink
  grey(cv::Rect(20, 0, 20, 20)).setTo(200);
  alpha(cv::Rect(20, 0, 10, 20)).setTo(128);  // half-transparent light grey
  cv::Mat expected(grey.size(), CV_8UC3);  // straight alpha over white
  for (int y = 0; y < 20; ++y) {
    for (int x = 0; x < 40; ++x) {
      const int a = alpha.at<uint8_t>(y, x), g = grey.at<uint8_t>(y, x);
      expected.at<cv::Vec3b>(y, x) = cv::Vec3b::all(uint8_t((g * a + 255 * (255 - a) + 127) / 255));
    }
  }
  for (bool big_endian : {false, true}) {
    for (uint16_t bits : {uint16_t(8), uint16_t(16)}) {
      SCOPED_TRACE(std::string(big_endian ? "MM " : "II ") + std::to_string(bits) + "-bit");
      TiffLayout layout{false, false, COMPRESSION_NONE, bits};
      layout.big_endian = big_endian;
      const Bytes tiff = LibtiffImage({grey, alpha}, PHOTOMETRIC_MINISBLACK, EXTRASAMPLE_UNASSALPHA, layout);
      ASSERT_EQ(tiff.at(0), big_endian ? 'M' : 'I');
      const ImageInfo info = Probe(tiff);
      EXPECT_EQ(info.format, ImageFormat::kTiff);
      EXPECT_TRUE(info.has_alpha);
      EXPECT_TRUE(info.tiff_grey_alpha);
      EXPECT_LE(WorstDiff(Decode(tiff), expected), 1.0);
    }
  }
  // Cut short: the usual error, nothing on stderr.
  Bytes cut = LibtiffImage({grey, alpha}, PHOTOMETRIC_MINISBLACK, EXTRASAMPLE_UNASSALPHA, {false, false, COMPRESSION_NONE, 8});
  cut.resize(cut.size() - 300);
  const Error e = Catch([&] { Decode(cut); });
  EXPECT_EQ(e.code(), ErrorCode::kInvalidImage);
  EXPECT_TRUE(Contains(e.what(), "TIFF")) << e.what();
}

TEST(DecodeImage, GreyAlphaTiffOfEveryLayoutLibtiffWrites) {
  cv::Mat grey(37, 45, CV_8UC1, cv::Scalar(0)), alpha(37, 45, CV_8UC1, cv::Scalar(0));  // tiles overhang both sides
  cv::putText(alpha, "Ab", {2, 30}, cv::FONT_HERSHEY_SIMPLEX, 1.0, cv::Scalar(255), 3);
  grey(cv::Rect(30, 0, 15, 37)).setTo(180);
  alpha(cv::Rect(30, 0, 15, 20)).setTo(255);
  alpha(cv::Rect(30, 20, 15, 17)).setTo(100);
  cv::Mat expected(grey.size(), CV_8UC3);  // straight alpha over white
  for (int y = 0; y < grey.rows; ++y) {
    for (int x = 0; x < grey.cols; ++x) {
      const int a = alpha.at<uint8_t>(y, x), g = grey.at<uint8_t>(y, x);
      expected.at<cv::Vec3b>(y, x) = cv::Vec3b::all(uint8_t((g * a + 255 * (255 - a) + 127) / 255));
    }
  }
  for (bool tiled : {false, true}) {
    for (bool separate : {false, true}) {
      for (bool white_is_zero : {false, true}) {
        for (bool associated : {false, true}) {
          for (uint16_t compression : {uint16_t(COMPRESSION_NONE), uint16_t(COMPRESSION_LZW), uint16_t(COMPRESSION_ADOBE_DEFLATE)}) {
            for (uint16_t bits : {uint16_t(8), uint16_t(16)}) {
              SCOPED_TRACE(::testing::Message() << "tiled " << tiled << " separate " << separate << " white-is-zero "
                                                << white_is_zero << " associated " << associated << " compression "
                                                << compression << " bits " << bits);
              // As stored: premultiplied grey where associated; on white-is-zero, the darkness (premultiplied too).
              cv::Mat stored(grey.size(), CV_8UC1);
              for (int y = 0; y < grey.rows; ++y) {
                for (int x = 0; x < grey.cols; ++x) {
                  const int a = alpha.at<uint8_t>(y, x), g = grey.at<uint8_t>(y, x);
                  const int v = white_is_zero ? 255 - g : g;
                  stored.at<uint8_t>(y, x) = uint8_t(associated ? (v * a + 127) / 255 : v);
                }
              }
              const Bytes tiff = LibtiffImage({stored, alpha},
                                              white_is_zero ? PHOTOMETRIC_MINISWHITE : PHOTOMETRIC_MINISBLACK,
                                              associated ? EXTRASAMPLE_ASSOCALPHA : EXTRASAMPLE_UNASSALPHA,
                                              {tiled, separate, compression, bits});
              EXPECT_LE(WorstDiff(Decode(tiff), expected), 2.0);  // premultiplied samples are rounded once more
            }
          }
        }
      }
    }
  }
  // A second grey sample not declared as alpha is not composited (libtiff's RGBA reader ignores it too).
  const Bytes unspecified = LibtiffImage({grey, alpha}, PHOTOMETRIC_MINISBLACK, EXTRASAMPLE_UNSPECIFIED,
                                         {false, false, COMPRESSION_NONE, 8});
  cv::Mat grey_bgr;
  cv::cvtColor(grey, grey_bgr, cv::COLOR_GRAY2BGR);
  EXPECT_EQ(WorstDiff(Decode(unspecified), grey_bgr), 0.0);
}

// OpenCV 4.6's colour path fails on valid tiled TIFFs (16 x 16 uncompressed tiles, through TIFFReadRGBATile):
// they were refused as corrupt. libtiff's samples read them.
TEST(DecodeImage, TiledTiffOpenCvFailsOnIsReadWithLibtiff) {
  const cv::Mat bgr = Quadrants(45, 37);
  std::vector<cv::Mat> bgr_planes;
  cv::split(bgr, bgr_planes);
  const std::vector<cv::Mat> rgb = {bgr_planes[2], bgr_planes[1], bgr_planes[0]};
  const cv::Mat opaque(bgr.size(), CV_8UC1, cv::Scalar(255));
  cv::Mat grey, grey_bgr;
  cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
  cv::cvtColor(grey, grey_bgr, cv::COLOR_GRAY2BGR);
  for (uint16_t bits : {uint16_t(8), uint16_t(16)}) {
    for (bool separate : {false, true}) {
      for (uint32_t tile : {16u, 32u}) {
        SCOPED_TRACE(::testing::Message() << bits << "-bit, separate " << separate << ", tiles " << tile);
        const TiffLayout layout{true, separate, COMPRESSION_NONE, bits, tile};
        EXPECT_EQ(WorstDiff(Decode(LibtiffImage(rgb, PHOTOMETRIC_RGB, -1, layout)), bgr), 0.0);
        EXPECT_EQ(WorstDiff(Decode(LibtiffImage({rgb[0], rgb[1], rgb[2], opaque}, PHOTOMETRIC_RGB,
                                                 EXTRASAMPLE_UNASSALPHA, layout)), bgr), 0.0);
        EXPECT_EQ(WorstDiff(Decode(LibtiffImage({grey}, PHOTOMETRIC_MINISBLACK, -1, layout)), grey_bgr), 0.0);
      }
    }
  }
  // Damaged tile data still fails as an invalid image (libtiff's reason), not a crash or a partial page.
  Bytes cut = LibtiffImage(rgb, PHOTOMETRIC_RGB, -1, {true, false, COMPRESSION_NONE, 8, 16});
  cut.resize(cut.size() / 2);
  const Error e = Catch([&] { Decode(cut); });
  EXPECT_EQ(e.code(), ErrorCode::kInvalidImage) << e.what();
}

// Tiles are decoded whole: a layout whose tiles together hold far more than the image (16-pixel-wide tiles a
// megabyte tall over a one-row image, every tile pointing at the same PackBits run) is refused before any tile
// is decoded; it decoded 256 x 1 MB here, and a 267 KB file of this shape took 38 s (found by fuzzing).
TEST(DecodeImage, TiffTilesHoldingFarMoreThanTheImageAreRefused) {
  const uint32_t width = 4096, tile_width = 16, tile_height = (4 * width + (1u << 20)) / tile_width;
  const uint32_t tiles = width / tile_width;
  Bytes runs;  // PackBits: 0x81 0x00 is 128 zero bytes; the tile's 1 MB of zeros, shared by every tile.
  for (uint32_t i = 0; i < tile_width * tile_height / 128; ++i) runs.insert(runs.end(), {0x81, 0x00});
  const uint32_t kEntries = 10, data_at = 8, ifd_at = data_at + uint32_t(runs.size());
  const uint32_t offsets_at = ifd_at + 2 + kEntries * 12 + 4, counts_at = offsets_at + 4 * tiles;
  Bytes b{'I', 'I', 42, 0};
  Put32(&b, ifd_at, true);
  b.insert(b.end(), runs.begin(), runs.end());
  Put16(&b, kEntries, true);
  auto entry = [&](uint32_t tag, uint32_t type, uint32_t count, uint32_t value) {
    Put16(&b, tag, true);
    Put16(&b, type, true);
    Put32(&b, count, true);
    Put32(&b, value, true);  // SHORTs below are single and little-endian: left-justified as they are
  };
  entry(256, 4, 1, width);                // ImageWidth
  entry(257, 4, 1, 1);                    // ImageLength
  entry(258, 3, 1, 8);                    // BitsPerSample
  entry(259, 3, 1, COMPRESSION_PACKBITS);
  entry(262, 3, 1, PHOTOMETRIC_MINISBLACK);
  entry(277, 3, 1, 1);                    // SamplesPerPixel
  entry(322, 4, 1, tile_width);
  entry(323, 4, 1, tile_height);
  entry(324, 4, tiles, offsets_at);       // TileOffsets
  entry(325, 4, tiles, counts_at);        // TileByteCounts
  Put32(&b, 0, true);
  for (uint32_t i = 0; i < tiles; ++i) Put32(&b, data_at, true);
  for (uint32_t i = 0; i < tiles; ++i) Put32(&b, uint32_t(runs.size()), true);
  const Error e = Catch([&] { Decode(b); });
  EXPECT_EQ(e.code(), ErrorCode::kInvalidImage) << e.what();
  EXPECT_NE(std::string(e.what()).find("tiles of 16x66560 for a 4096x1 image"), std::string::npos) << e.what();

  // Tiles overhanging a small or thin image as writers lay them out (256 x 256) still decode.
  for (const cv::Size size : {cv::Size(10, 10), cv::Size(2000, 10)}) {
    SCOPED_TRACE(::testing::Message() << size);
    const cv::Mat bgr = Quadrants(size.width, size.height);
    std::vector<cv::Mat> planes;
    cv::split(bgr, planes);
    const cv::Mat opaque(bgr.size(), CV_8UC1, cv::Scalar(255));
    const Bytes rgba = LibtiffImage({planes[2], planes[1], planes[0], opaque}, PHOTOMETRIC_RGB,
                                    EXTRASAMPLE_UNASSALPHA, {true, true, COMPRESSION_ADOBE_DEFLATE, 16, 256});
    EXPECT_EQ(WorstDiff(Decode(rgba), bgr), 0.0);
  }
}

TEST(ProbeImage, BmpTopDownReportsAbsoluteHeight) {
  Bytes bmp = Encode(".bmp", Quadrants());
  const int32_t negative = -20;
  std::memcpy(bmp.data() + 22, &negative, 4);  // Little-endian host.
  EXPECT_EQ(Probe(bmp).height, 20);
  cv::Mat flipped;
  cv::flip(Quadrants(), flipped, 0);  // Stored rows now read top-down.
  EXPECT_EQ(MaxDiff(Decode(bmp), flipped), 0);
}

TEST(DecodeImage, BmpCutInItsPixelRowsIsInvalidImage) {
  // OpenCV's BMP reader would run off the end (and report it on stderr); the header says how long the data must be.
  for (const Bytes& full : {Encode(".bmp", Quadrants()), CoreBmp(Quadrants())}) {
    EXPECT_EQ(Probe(full).min_bytes, full.size());
    const Bytes cut(full.begin(), full.end() - 7);
    EXPECT_EQ(Probe(cut).width, 40);  // the header alone is whole
    const Error e = Catch([&] { Decode(cut); });
    EXPECT_EQ(e.code(), ErrorCode::kInvalidImage);
    EXPECT_TRUE(Contains(e.what(), "truncated BMP")) << e.what();
    EXPECT_TRUE(Contains(e.what(), std::to_string(cut.size()))) << e.what();
  }
  // OpenCV reads the last row's padding too: 3 columns of 24 bits are 9 bytes in a 12-byte stride.
  const Bytes odd = Encode(".bmp", cv::Mat(2, 3, CV_8UC3, cv::Scalar(10, 20, 30)));
  EXPECT_EQ(Decode(odd).size(), cv::Size(3, 2));
  EXPECT_EQ(Catch([&] { Decode(Bytes(odd.begin(), odd.end() - 3)); }).code(), ErrorCode::kInvalidImage);
}

TEST(ProbeImage, JpegWithFillBytesCommentAndProgressive) {
  const Bytes plain = Encode(".jpg", Quadrants());
  // SOI, fill bytes, COM segment, then the rest.
  Bytes jpeg = {0xFF, 0xD8, 0xFF, 0xFF, 0xFF, 0xFE, 0x00, 0x07, 'h', 'e', 'l', 'l', 'o'};
  jpeg.insert(jpeg.end(), plain.begin() + 2, plain.end());
  EXPECT_EQ(Probe(jpeg).width, 40);
  EXPECT_EQ(Decode(jpeg).size(), cv::Size(40, 20));
  const Bytes progressive = Encode(".jpg", Quadrants(), {cv::IMWRITE_JPEG_PROGRESSIVE, 1});
  EXPECT_EQ(Probe(progressive).height, 20);
  const JpegStream stream = ReadJpegStream(progressive.data(), progressive.size());
  EXPECT_TRUE(stream.end_of_image);
  EXPECT_EQ(stream.scans, 10);  // libjpeg's default progression for YCbCr.
  EXPECT_EQ(ReadJpegStream(plain.data(), plain.size()).scans, 1);
  EXPECT_EQ(Decode(progressive).size(), cv::Size(40, 20));
}

// A progressive JPEG padded with copies of its last scan, each a pass over the
// image for libjpeg: over kMaxJpegScans it is refused before decoding.
TEST(DecodeImage, JpegWithThousandsOfScansIsRefusedBeforeDecoding) {
  const Bytes progressive = Encode(".jpg", Quadrants(), {cv::IMWRITE_JPEG_PROGRESSIVE, 1});
  size_t last_sos = 0;
  for (size_t i = 0; i + 1 < progressive.size(); ++i) {
    if (progressive[i] == 0xFF && progressive[i + 1] == 0xDA) last_sos = i;
  }
  ASSERT_GT(last_sos, 0u);
  const Bytes scan(progressive.begin() + long(last_sos), progressive.end() - 2);  // Up to EOI.
  for (const int copies : {kMaxJpegScans - 10, kMaxJpegScans - 9, 4000}) {
    SCOPED_TRACE(copies);
    Bytes jpeg(progressive.begin(), progressive.end() - 2);
    for (int i = 0; i < copies; ++i) Append(&jpeg, scan);
    Append(&jpeg, {0xFF, 0xD9});
    const JpegStream stream = ReadJpegStream(jpeg.data(), jpeg.size());
    EXPECT_TRUE(stream.end_of_image);
    EXPECT_EQ(stream.scans, 10 + copies);
    if (stream.scans <= kMaxJpegScans) {
      // At the limit the scans reach libjpeg, which reads the repeated refinement as it may:
      // an image or a typed error, not the limit's.
      try {
        Decode(jpeg);
      } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kInvalidImage);
        EXPECT_FALSE(Contains(e.what(), "scans, more than")) << e.what();
      }
      continue;
    }
    const Error e = Catch([&] { Decode(jpeg); });
    EXPECT_EQ(e.code(), ErrorCode::kInvalidImage);
    EXPECT_TRUE(Contains(e.what(), std::to_string(stream.scans) + " scans")) << e.what();
  }
}

// Huffman-coded data holds at least one bit per 8x8 block: a frame header
// announcing more blocks than that is refused, not decoded as grey padding.
TEST(DecodeImage, JpegAnnouncingMoreBlocksThanItsDataCanHoldIsRefused) {
  const Bytes small = Encode(".jpg", cv::Mat(8, 8, CV_8UC3, cv::Scalar(128, 128, 128)));
  const JpegStream stream = ReadJpegStream(small.data(), small.size());
  ASSERT_GT(stream.entropy_bytes, 0u);
  EXPECT_LT(stream.entropy_bytes, 16u);
  EXPECT_FALSE(stream.arithmetic);
  Bytes bomb = small;
  const size_t sof = FindSof(bomb);
  for (const size_t at : {sof + 5, sof + 7}) {  // Height, then width: 10000.
    bomb[at] = 10000 >> 8;
    bomb[at + 1] = 10000 & 0xFF;
  }
  EXPECT_EQ(Probe(bomb).width, 10000);
  const Error e = Catch([&] { Decode(bomb, true, int64_t{1} << 27); });
  EXPECT_EQ(e.code(), ErrorCode::kInvalidImage);
  EXPECT_TRUE(Contains(e.what(), "needs at least 195313 bytes of coded data")) << e.what();
  // The cheapest real encodings stay above the bound: flat grey, progressive, optimised tables (~2 bits a block).
  const cv::Mat flat(2000, 2000, CV_8UC1, cv::Scalar(128));
  for (const bool progressive : {false, true}) {
    const Bytes lean = Encode(".jpg", flat, {cv::IMWRITE_JPEG_QUALITY, 5, cv::IMWRITE_JPEG_OPTIMIZE, 1,
                                             cv::IMWRITE_JPEG_PROGRESSIVE, progressive ? 1 : 0});
    const uint64_t blocks = 250 * 250;
    EXPECT_GE(ReadJpegStream(lean.data(), lean.size()).entropy_bytes * 8, blocks) << progressive;
    EXPECT_EQ(Decode(lean).size(), cv::Size(2000, 2000));
  }
  // Arithmetic coding (SOF9) may spend less than a bit on a block: not held to the bound.
  Bytes arithmetic = bomb;
  arithmetic[sof + 1] = 0xC9;
  EXPECT_TRUE(ReadJpegStream(arithmetic.data(), arithmetic.size()).arithmetic);
}

// Valid files the decoders cannot read are named as the variant they are, not as corrupt data.
TEST(ProbeImage, UnreadableVariantsAreUnsupportedFormatNamingTheVariant) {
  const Bytes jpeg = Encode(".jpg", Quadrants());
  const size_t sof = FindSof(jpeg);  // Offset of the SOF0 marker's FF.
  Bytes twelve = jpeg;
  twelve[sof + 4] = 12;  // Sample precision.
  Bytes lossless = jpeg;
  lossless[sof + 1] = 0xC3;
  Bytes animated = WebpAsVp8x(Encode(".webp", Quadrants()), 40, 20, nullptr);
  animated[20] |= 0x02;  // VP8X flags: animation.
  const Bytes float_tiff = HandTiff(Quadrants(), 1, true, 0, 0, 8, 3, {{339, 3, 3}});
  for (const auto& [bytes, variant] : std::vector<std::pair<Bytes, std::string>>{
           {twelve, "12-bit samples"}, {lossless, "lossless coding (SOF3)"}, {animated, "animation"},
           {float_tiff, "floating-point samples"}}) {
    SCOPED_TRACE(variant);
    const Error e = Catch([&] { Probe(bytes); });
    EXPECT_EQ(e.code(), ErrorCode::kUnsupportedFormat);
    EXPECT_TRUE(Contains(e.what(), variant)) << e.what();
  }
}

TEST(ProbeImage, EmptyInputIsInvalidImage) {
  EXPECT_EQ(Catch([] { ProbeImage(nullptr, 0); }).code(), ErrorCode::kInvalidImage);
  const uint8_t one = 0;
  const Error e = Catch([&] { ProbeImage(&one, 0); });
  EXPECT_EQ(e.code(), ErrorCode::kInvalidImage);
  EXPECT_TRUE(Contains(e.what(), "empty")) << e.what();
  EXPECT_EQ(Catch([] { Decode({}); }).code(), ErrorCode::kInvalidImage);
}

TEST(ProbeImage, GarbageIsUnsupportedFormatListingFormats) {
  const Bytes garbage = {'G', 'I', 'F', '8', '9', 'a', 1, 2, 3, 4, 5, 6, 7};
  for (const Bytes& b :
       {garbage, Bytes{0x00}, Bytes{'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'A', 'V', 'E'}}) {
    const Error e = Catch([&] { Probe(b); });
    EXPECT_EQ(e.code(), ErrorCode::kUnsupportedFormat);
    for (const char* name : {"JPEG", "PNG", "WebP", "TIFF", "BMP"}) {
      EXPECT_TRUE(Contains(e.what(), name)) << e.what();
    }
    EXPECT_EQ(Catch([&] { Decode(b); }).code(), ErrorCode::kUnsupportedFormat);
  }
}

TEST(ProbeImage, CutSignatureIsInvalidImage) {
  for (const Bytes& b : {Bytes{0xFF}, Bytes{0xFF, 0xD8}, Bytes{0x89, 'P', 'N'},
                         Bytes{'R', 'I', 'F', 'F', 1}, Bytes{'I', 'I'}, Bytes{'B'}}) {
    EXPECT_EQ(Catch([&] { Probe(b); }).code(), ErrorCode::kInvalidImage);
  }
}

TEST(ProbeImage, ZeroWidthOrHeightIsInvalidImage) {
  Bytes png = Encode(".png", Quadrants());
  PatchPngSize(&png, 0, 20);
  const Error e = Catch([&] { Probe(png); });
  EXPECT_EQ(e.code(), ErrorCode::kInvalidImage);
  EXPECT_TRUE(Contains(e.what(), "image has zero width or height")) << e.what();
  Bytes jpeg = Encode(".jpg", Quadrants());
  const size_t sof = FindSof(jpeg);
  jpeg[sof + 5] = jpeg[sof + 6] = 0;  // Height 0 (DNL) is not supported.
  EXPECT_EQ(Catch([&] { Probe(jpeg); }).code(), ErrorCode::kInvalidImage);
}

TEST(ProbeImage, MalformedHeadersNameTheProblem) {
  Bytes png = Encode(".png", Quadrants());
  png[12] = 'X';  // First chunk no longer IHDR.
  Error e = Catch([&] { Probe(png); });
  EXPECT_EQ(e.code(), ErrorCode::kInvalidImage);
  EXPECT_TRUE(Contains(e.what(), "IHDR")) << e.what();

  Bytes jpeg = Encode(".jpg", Quadrants());
  jpeg.resize(20);  // Cut inside APP0, before SOF.
  e = Catch([&] { Probe(jpeg); });
  EXPECT_EQ(e.code(), ErrorCode::kInvalidImage);
  EXPECT_TRUE(Contains(e.what(), "JPEG")) << e.what();

  const Bytes tiff = {'I', 'I', 42, 0, 0xFF, 0xFF, 0, 0};  // IFD0 past the end.
  e = Catch([&] { Probe(tiff); });
  EXPECT_EQ(e.code(), ErrorCode::kInvalidImage);
  EXPECT_TRUE(Contains(e.what(), "IFD0")) << e.what();
}

// ------------------------------------------------------------------ EXIF

TEST(Exif, JpegOrientationSixRotatesOnlyWhenAsked) {
  const Bytes jpeg = JpegWithExif(Encode(".jpg", Quadrants()), 6);
  const ImageInfo info = Probe(jpeg);
  EXPECT_EQ(info.exif_orientation, 6);
  EXPECT_EQ(info.width, 40);  // Stored size.
  EXPECT_EQ(info.height, 20);
  EXPECT_EQ(Decode(jpeg, true).size(), cv::Size(20, 40));
  EXPECT_EQ(Decode(jpeg, false).size(), cv::Size(40, 20));
  // Rotated 90 degrees clockwise: the stored top-left (blue) is now top-right.
  const cv::Vec3b top_right = Decode(jpeg, true).at<cv::Vec3b>(1, 18);
  EXPECT_GT(top_right[0], 200);
  EXPECT_LT(top_right[2], 60);
}

TEST(Exif, AllJpegOrientationsMatchOpenCv) {
  const Bytes plain = Encode(".jpg", Quadrants());
  for (int orientation = 1; orientation <= 8; ++orientation) {
    for (bool le : {false, true}) {
      SCOPED_TRACE(orientation);
      const Bytes jpeg = JpegWithExif(plain, orientation, le);
      EXPECT_EQ(Probe(jpeg).exif_orientation, orientation);
      const cv::Mat reference = cv::imdecode(cv::Mat(jpeg), cv::IMREAD_COLOR);  // Rotates.
      EXPECT_EQ(MaxDiff(Decode(jpeg), reference), 0);
    }
  }
}

TEST(Exif, OutOfRangeOrMalformedExifIsIgnored) {
  const Bytes plain = Encode(".jpg", Quadrants());
  EXPECT_EQ(Probe(JpegWithExif(plain, 9)).exif_orientation, 1);
  EXPECT_EQ(Probe(JpegWithExif(plain, 0)).exif_orientation, 1);
  Bytes broken = JpegWithExif(plain, 6);
  broken[2 + 4 + 6 + 7] = 0x7F;  // IFD0 offset far past the segment.
  EXPECT_EQ(Probe(broken).exif_orientation, 1);
  EXPECT_EQ(Decode(broken).size(), cv::Size(40, 20));
}

TEST(Exif, PngExifChunkIsHonoured) {
  const Bytes png = PngWithChunk(Encode(".png", Quadrants()), "eXIf", ExifBlob(6, false));
  EXPECT_EQ(Probe(png).exif_orientation, 6);
  cv::Mat expected;
  cv::rotate(Quadrants(), expected, cv::ROTATE_90_CLOCKWISE);
  EXPECT_EQ(MaxDiff(Decode(png, true), expected), 0);
  EXPECT_EQ(MaxDiff(Decode(png, false), Quadrants()), 0);
}

TEST(Exif, PngWithAlphaAndExifIsRotatedToo) {
  cv::Mat bgra;
  cv::cvtColor(Quadrants(), bgra, cv::COLOR_BGR2BGRA);
  const Bytes png = PngWithChunk(Encode(".png", bgra), "eXIf", ExifBlob(8, true));
  cv::Mat expected;
  cv::rotate(Quadrants(), expected, cv::ROTATE_90_COUNTERCLOCKWISE);
  EXPECT_EQ(MaxDiff(Decode(png), expected), 0);
}

TEST(Exif, WebpExifChunkIsHonoured) {
  const Bytes plain = Encode(".webp", Quadrants(), {cv::IMWRITE_WEBP_QUALITY, 101});
  const Bytes exif = ExifBlob(3, true);
  const Bytes webp = WebpAsVp8x(plain, 40, 20, &exif);
  const ImageInfo info = Probe(webp);
  EXPECT_EQ(info.exif_orientation, 3);
  EXPECT_EQ(info.width, 40);
  cv::Mat expected;
  cv::rotate(Quadrants(), expected, cv::ROTATE_180);
  EXPECT_EQ(MaxDiff(Decode(webp, true), expected), 0);
  EXPECT_EQ(MaxDiff(Decode(webp, false), Quadrants()), 0);
}

TEST(Exif, PngAllOrientationsMatchOpenCv) {
  const Bytes plain = Encode(".png", Quadrants());
  for (int orientation = 1; orientation <= 8; ++orientation) {
    SCOPED_TRACE(orientation);
    const Bytes png = PngWithChunk(plain, "eXIf", ExifBlob(orientation, orientation % 2 == 0));
    const cv::Mat reference = cv::imdecode(cv::Mat(png), cv::IMREAD_COLOR);  // Rotates.
    EXPECT_EQ(MaxDiff(Decode(png), reference), 0);
  }
}

// OpenCV 4.6 applies TIFF's Orientation tag even with
// IMREAD_IGNORE_ORIENTATION; our option must still control it.
TEST(Exif, TiffOrientationFollowsTheOptionLikeOtherFormats) {
  for (int bits : {8, 16}) {
    for (bool le : {true, false}) {
      for (int orientation = 1; orientation <= 8; ++orientation) {
        SCOPED_TRACE(testing::Message()
                     << bits << "-bit le=" << le << " orientation " << orientation);
        const Bytes tiff = HandTiff(Quadrants(), orientation, le, 0, 0, bits);
        const ImageInfo info = Probe(tiff);
        EXPECT_EQ(info.exif_orientation, orientation);
        EXPECT_EQ(info.width, 40);
        EXPECT_EQ(info.height, 20);
        cv::Mat expected = Quadrants();
        ApplyExifOrientation(orientation, &expected);
        EXPECT_EQ(MaxDiff(Decode(tiff, true), expected), 0);
        EXPECT_EQ(MaxDiff(Decode(tiff, false), Quadrants()), 0);
      }
    }
  }
}

// libtiff takes a tag's first entry and ignores later duplicates: the probe
// must see the same size, or a file declaring 60000 x 60000 and then 40 x 20
// passes the pixel limit and decodes 3.6 gigapixels.
TEST(ProbeImage, TiffDuplicateTagsFirstEntryWinsAsInLibtiff) {
  for (bool le : {true, false}) {
    SCOPED_TRACE(le);
    const Bytes bomb = HandTiff(Quadrants(), 1, le, 60000, 60000, 8, 3, {{256, 4, 40}, {257, 3, 20}});
    EXPECT_EQ(Probe(bomb).width, 60000);
    EXPECT_EQ(Probe(bomb).height, 60000);
    EXPECT_EQ(Catch([&] { Decode(bomb); }).code(), ErrorCode::kImageTooLarge);
    const Bytes fine = HandTiff(Quadrants(), 1, le, 0, 0, 8, 3, {{256, 4, 60000}, {257, 4, 60000}});
    EXPECT_EQ(Probe(fine).width, 40);
    EXPECT_EQ(MaxDiff(Decode(fine), Quadrants()), 0);
    // Orientation 3, then a duplicate saying 1: 3 holds, applied once.
    const Bytes turned = HandTiff(Quadrants(), 3, le, 0, 0, 8, 3, {{274, 3, 1}});
    EXPECT_EQ(Probe(turned).exif_orientation, 3);
    cv::Mat expected = Quadrants();
    ApplyExifOrientation(3, &expected);
    EXPECT_EQ(MaxDiff(Decode(turned), expected), 0);
    EXPECT_EQ(MaxDiff(Decode(turned, false), Quadrants()), 0);
    // BitsPerSample 8,8,8 then a duplicate saying 32; SampleFormat 1 then 3 (float): the first ones hold.
    const Bytes samples = HandTiff(Quadrants(), 1, le, 0, 0, 8, 3, {{258, 3, 32}, {339, 3, 1}, {339, 3, 3}});
    EXPECT_EQ(MaxDiff(Decode(samples), Quadrants()), 0);
  }
}

// A size entry libtiff might read but this probe does not (a signed or
// multi-valued ImageWidth) is refused rather than guessed at.
TEST(ProbeImage, TiffSizeOfAnotherTypeIsRefused) {
  Bytes tiff = HandTiff(Quadrants(), 1, true);
  ASSERT_EQ(tiff[10], 0);  // IFD0's first entry: ImageWidth (256 = 0x0100), LONG.
  ASSERT_EQ(tiff[11], 1);
  tiff[12] = 9;  // SLONG.
  const Error e = Catch([&] { Probe(tiff); });
  EXPECT_EQ(e.code(), ErrorCode::kInvalidImage);
  EXPECT_TRUE(Contains(e.what(), "ImageWidth")) << e.what();
}

// Orientation as LONG, BYTE or SSHORT (libtiff reads them all): the decoder
// must still see "as stored", or the turn is applied twice.
TEST(Exif, TiffOrientationOfEveryIntegerTypeIsAppliedOnce) {
  for (uint32_t type : {4u, 1u, 8u}) {
    for (bool le : {true, false}) {
      for (int orientation : {2, 3, 6, 8}) {
        SCOPED_TRACE(testing::Message() << "type " << type << " le=" << le << " orientation " << orientation);
        const Bytes tiff = HandTiff(Quadrants(), orientation, le, 0, 0, 8, type);
        EXPECT_EQ(Probe(tiff).exif_orientation, orientation);
        cv::Mat expected = Quadrants();
        ApplyExifOrientation(orientation, &expected);
        EXPECT_EQ(MaxDiff(Decode(tiff, true), expected), 0);
        EXPECT_EQ(MaxDiff(Decode(tiff, false), Quadrants()), 0);
      }
    }
  }
}

// ------------------------------------------------------------------ limits

// OpenCV's decoders assert at 2^30 pixels or a side over 2^20; a maxPixels
// above that must still give the size error, not OpenCV's assertion text.
TEST(PixelLimit, DecoderLimitsAreSizeErrorsWhateverMaxPixelsAllows) {
  Bytes png = Encode(".png", Quadrants());
  PatchPngSize(&png, 40000, 30000);
  Error e = Catch([&] { Decode(png, true, 2'000'000'000); });
  EXPECT_EQ(e.code(), ErrorCode::kImageTooLarge);
  EXPECT_TRUE(Contains(e.what(), "1073741824")) << e.what();
  PatchPngSize(&png, 2'000'000, 1);
  e = Catch([&] { Decode(png, true, 2'000'000'000); });
  EXPECT_EQ(e.code(), ErrorCode::kImageTooLarge);
  EXPECT_TRUE(Contains(e.what(), "1048576")) << e.what();
}

TEST(PixelLimit, HeadersDeclaring60000SquaredAreRefusedBeforeDecoding) {
  std::vector<std::pair<std::string, Bytes>> bombs;
  Bytes jpeg = Encode(".jpg", Quadrants());
  const size_t sof = FindSof(jpeg);
  jpeg[sof + 5] = jpeg[sof + 7] = 0xEA;  // 60000 = 0xEA60.
  jpeg[sof + 6] = jpeg[sof + 8] = 0x60;
  bombs.push_back({"jpeg", jpeg});
  Bytes png = Encode(".png", Quadrants());
  PatchPngSize(&png, 60000, 60000);
  bombs.push_back({"png", png});
  bombs.push_back({"webp", WebpAsVp8x(Encode(".webp", Quadrants()), 60000, 60000, nullptr)});
  bombs.push_back({"tiff", HandTiff(Quadrants(), 1, true, 60000, 60000)});
  Bytes bmp = Encode(".bmp", Quadrants());
  const int32_t size = 60000;
  std::memcpy(bmp.data() + 18, &size, 4);
  std::memcpy(bmp.data() + 22, &size, 4);
  bombs.push_back({"bmp", bmp});
  for (const auto& [name, bytes] : bombs) {
    SCOPED_TRACE(name);
    EXPECT_EQ(Probe(bytes).width, 60000);
    const auto start = std::chrono::steady_clock::now();
    const Error e = Catch([&] { Decode(bytes); });
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(e.code(), ErrorCode::kImageTooLarge);
    EXPECT_TRUE(Contains(e.what(), "60000x60000")) << e.what();
    EXPECT_TRUE(Contains(e.what(), "3600000000")) << e.what();
    EXPECT_TRUE(Contains(e.what(), "100000000")) << e.what();
    EXPECT_LT(ms, 50.0);
  }
}

TEST(PixelLimit, SidesWhoseProductPassesInt64AreRefusedWithoutOverflow) {
  // A TIFF whose header declares two sides over 2^31.5: their product passes int64 (found by CI's fuzzing; UBSan
  // reported the signed multiplication). Refused as too large, the product right in the message.
  const Bytes tiff = HandTiff(Quadrants(), 1, true, 4294967295u, 4294967295u);
  const ImageInfo info = Probe(tiff);
  ASSERT_GT(static_cast<double>(info.width) * static_cast<double>(info.height), 9.3e18);  // > INT64_MAX
  const Error e = Catch([&] { Decode(tiff); });
  EXPECT_EQ(e.code(), ErrorCode::kImageTooLarge);
  const std::string product = std::to_string(static_cast<uint64_t>(info.width) * static_cast<uint64_t>(info.height));
  EXPECT_TRUE(Contains(e.what(), " = " + product + " pixels")) << e.what();
  // The fuzzer's own file: its ImageWidth entry has a count of 1459622655 (libtiff reads one value
  // or fails), now refused as a header the probe does not vouch for.
  std::ifstream in(OCRKIT_FIXTURES_DIR "/../fuzz/regressions/decode-image-pixel-overflow.tif", std::ios::binary);
  const Bytes found((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(Catch([&] { Decode(found); }).code(), ErrorCode::kInvalidImage);
}

TEST(PixelLimit, LimitIsInclusiveAndMustBePositive) {
  const Bytes png = Encode(".png", Quadrants());
  EXPECT_EQ(Decode(png, true, 800).size(), cv::Size(40, 20));
  EXPECT_EQ(Catch([&] { Decode(png, true, 799); }).code(), ErrorCode::kImageTooLarge);
  const Error e = Catch([&] { Decode(png, true, 0); });
  EXPECT_EQ(e.code(), ErrorCode::kInvalidOption);
  EXPECT_TRUE(Contains(e.what(), "maxPixels")) << e.what();
  EXPECT_EQ(Catch([&] { Decode(png, true, -5); }).code(), ErrorCode::kInvalidOption);
}

// ------------------------------------------------------------------ corruption

TEST(Truncation, JpegCutInHalfIsInvalidImage) {
  const Bytes jpeg = Encode(".jpg", Quadrants(200, 100));
  const Bytes half(jpeg.begin(), jpeg.begin() + jpeg.size() / 2);
  EXPECT_EQ(Probe(half).width, 200);  // The header itself is intact.
  EXPECT_FALSE(ReadJpegStream(half.data(), half.size()).end_of_image);
  const Error e = Catch([&] { Decode(half); });
  EXPECT_EQ(e.code(), ErrorCode::kInvalidImage);
  EXPECT_TRUE(Contains(e.what(), "truncated")) << e.what();
  const Bytes no_eoi(jpeg.begin(), jpeg.end() - 2);
  EXPECT_EQ(Catch([&] { Decode(no_eoi); }).code(), ErrorCode::kInvalidImage);
}

TEST(Truncation, JpegTrailingBytesAfterEoiAreAccepted) {
  Bytes jpeg = Encode(".jpg", Quadrants());
  jpeg.resize(jpeg.size() + 100, 0);  // Zero padding.
  EXPECT_EQ(Decode(jpeg).size(), cv::Size(40, 20));
  jpeg.insert(jpeg.end(), {'g', 'a', 'r', 0xFF, 0xD8, 'b'});  // Garbage.
  EXPECT_EQ(Decode(jpeg).size(), cv::Size(40, 20));
}

TEST(Truncation, PngCutAnywhereIsInvalidImage) {
  const Bytes png = Encode(".png", Quadrants(200, 100));
  for (size_t keep : {png.size() / 2, png.size() * 3 / 4, png.size() - 12, png.size() - 1}) {
    SCOPED_TRACE(keep);
    const Bytes cut(png.begin(), png.begin() + keep);
    const Error e = Catch([&] { Decode(cut); });
    EXPECT_EQ(e.code(), ErrorCode::kInvalidImage);
    EXPECT_TRUE(Contains(e.what(), "could not decode PNG image")) << e.what();
  }
}

TEST(Truncation, WebpCutInHalfIsInvalidImage) {
  const Bytes webp = Encode(".webp", Quadrants(200, 100));
  const Bytes cut(webp.begin(), webp.begin() + webp.size() / 2);
  EXPECT_EQ(Catch([&] { Decode(cut); }).code(), ErrorCode::kInvalidImage);
}

// Every prefix up to 300 bytes: the probe returns or throws ocr::Error.
TEST(Robustness, EveryHeaderPrefixReturnsOrThrowsOcrError) {
  for (const Sample& s : Samples()) {
    SCOPED_TRACE(s.name);
    const size_t limit = std::min<size_t>(s.bytes.size(), 300);
    for (size_t n = 0; n <= limit; ++n) {
      // A fresh allocation of exactly n bytes so ASan sees any overread.
      const std::unique_ptr<uint8_t[]> copy(new uint8_t[n ? n : 1]);
      std::memcpy(copy.get(), s.bytes.data(), n);
      try {
        const ImageInfo info = ProbeImage(n ? copy.get() : nullptr, n);
        EXPECT_EQ(info.format, s.format);
      } catch (const Error&) {
      }
    }
  }
}

// Every prefix of a small file through the whole decoder: a result or an
// ocr::Error, and never a partial image for JPEG, PNG and WebP.
TEST(Robustness, EveryPrefixDecodesOrThrowsOcrError) {
  for (const Sample& s : Samples()) {
    SCOPED_TRACE(s.name);
    for (size_t n = 0; n < s.bytes.size(); ++n) {
      const std::unique_ptr<uint8_t[]> copy(new uint8_t[n ? n : 1]);
      std::memcpy(copy.get(), s.bytes.data(), n);
      try {
        const cv::Mat m = DecodeImage(copy.get(), n, DecodeOptions{});
        EXPECT_EQ(m.type(), CV_8UC3);
        if (s.format != ImageFormat::kTiff) {
          ADD_FAILURE() << "prefix " << n << " of " << s.bytes.size() << " decoded";
        }
      } catch (const Error&) {
      }
    }
  }
}

TEST(Robustness, SeededHeaderByteFlipsNeverCrash) {
  std::mt19937 rng(12345);
  cv::Mat bgra;
  cv::cvtColor(Quadrants(), bgra, cv::COLOR_BGR2BGRA);
  std::vector<Sample> samples = Samples();
  samples.push_back(
      {"jpeg-exif", JpegWithExif(Encode(".jpg", Quadrants()), 6), ImageFormat::kJpeg});
  samples.push_back({"png-alpha-exif",
                     PngWithChunk(Encode(".png", bgra), "eXIf", ExifBlob(6, true)),
                     ImageFormat::kPng});
  const Bytes exif = ExifBlob(6, false);
  samples.push_back(
      {"webp-vp8x", WebpAsVp8x(Encode(".webp", Quadrants()), 40, 20, &exif), ImageFormat::kWebp});
  int decoded = 0;
  int failed = 0;
  for (const Sample& s : samples) {
    SCOPED_TRACE(s.name);
    const size_t span = std::min<size_t>(s.bytes.size(), 200);
    for (int round = 0; round < 400; ++round) {
      Bytes b = s.bytes;
      const int flips = 1 + int(rng() % 4);
      for (int i = 0; i < flips; ++i) b[rng() % span] ^= uint8_t(1u << (rng() % 8));
      if (rng() % 4 == 0) b.resize(rng() % (b.size() + 1));
      const std::unique_ptr<uint8_t[]> copy(new uint8_t[b.size() + 1]);
      std::memcpy(copy.get(), b.data(), b.size());
      try {
        ProbeImage(copy.get(), b.size());
      } catch (const Error&) {
      }
      try {
        DecodeOptions options;
        options.max_pixels = 1'000'000;  // Flipped size bits stay cheap.
        const cv::Mat m = DecodeImage(copy.get(), b.size(), options);
        EXPECT_EQ(m.type(), CV_8UC3);
        ++decoded;
      } catch (const Error&) {
        ++failed;
      }
    }
  }
  EXPECT_GT(decoded, 0);
  EXPECT_GT(failed, 0);
}

// ------------------------------------------------------------------ content

TEST(Decode, SixteenBitKeepsHighByte) {
  cv::Mat deep(4, 4, CV_16UC3, cv::Scalar(0x12FF, 0x8001, 0xFFFF));
  const cv::Mat out = Decode(Encode(".png", deep));
  EXPECT_EQ(out.at<cv::Vec3b>(0, 0), cv::Vec3b(0x12, 0x80, 0xFF));
}

TEST(Decode, SixteenBitWithAlphaKeepsHighByteAndComposites) {
  cv::Mat deep(4, 4, CV_16UC4, cv::Scalar(0x12FF, 0x8001, 0xFFFF, 0xFFFF));
  deep.at<cv::Vec4w>(0, 0) = cv::Vec4w(0, 0, 0, 0);
  const cv::Mat out = Decode(Encode(".png", deep));
  EXPECT_EQ(out.at<cv::Vec3b>(1, 1), cv::Vec3b(0x12, 0x80, 0xFF));
  EXPECT_EQ(out.at<cv::Vec3b>(0, 0), cv::Vec3b(255, 255, 255));
}

TEST(Decode, GreyBecomesEqualChannels) {
  cv::Mat grey(3, 5, CV_8UC1, cv::Scalar(77));
  EXPECT_EQ(Decode(Encode(".png", grey)).at<cv::Vec3b>(2, 4), cv::Vec3b(77, 77, 77));
}

TEST(Decode, TransparentDarkTextBecomesDarkOnWhite) {
  // Black "text" (alpha 255) on fully transparent black: the classic trap.
  cv::Mat bgra(10, 10, CV_8UC4, cv::Scalar(0, 0, 0, 0));
  bgra.at<cv::Vec4b>(5, 5) = cv::Vec4b(0, 0, 0, 255);
  bgra.at<cv::Vec4b>(6, 6) = cv::Vec4b(0, 0, 200, 128);
  for (const char* ext : {".png", ".webp", ".tiff"}) {
    SCOPED_TRACE(ext);
    std::vector<int> params;
    if (std::string(ext) == ".webp") params = {cv::IMWRITE_WEBP_QUALITY, 101};
    const cv::Mat out = Decode(Encode(ext, bgra, params));
    EXPECT_EQ(out.at<cv::Vec3b>(0, 0), cv::Vec3b(255, 255, 255));
    EXPECT_EQ(out.at<cv::Vec3b>(5, 5), cv::Vec3b(0, 0, 0));
    // 200 * 128/255 + 255 * 127/255 = 227.4; 255 * 127/255 = 127.
    const cv::Vec3b blend = out.at<cv::Vec3b>(6, 6);
    EXPECT_NEAR(blend[2], 227, 1);
    EXPECT_NEAR(blend[0], 127, 1);
  }
}

TEST(Decode, PalettePngWithTransparencyIsComposited) {
  // Palette PNG, by hand: 2x1, palette {red, green}, tRNS {0, 255}.
  Bytes png = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  Bytes ihdr;
  Put32(&ihdr, 2, false);
  Put32(&ihdr, 1, false);
  ihdr.insert(ihdr.end(), {8, 3, 0, 0, 0});
  Append(&png, PngChunk("IHDR", ihdr));
  Append(&png, PngChunk("PLTE", {255, 0, 0, 0, 255, 0}));
  Append(&png, PngChunk("tRNS", {0, 255}));
  // zlib stream of the raw scanline {filter 0, index 0, index 1}, stored.
  Bytes raw = {0, 0, 1};
  Bytes idat = {0x78, 0x01, 0x01, 3, 0, 0xFC, 0xFF};
  Append(&idat, raw);
  uint32_t a = 1, b = 0;
  for (uint8_t c : raw) a = (a + c) % 65521, b = (b + a) % 65521;
  Put32(&idat, (b << 16) | a, false);
  Append(&png, PngChunk("IDAT", idat));
  Append(&png, PngChunk("IEND", {}));
  EXPECT_TRUE(Probe(png).has_alpha);
  const cv::Mat out = Decode(png);
  EXPECT_EQ(out.at<cv::Vec3b>(0, 0), cv::Vec3b(255, 255, 255));  // Transparent red.
  EXPECT_EQ(out.at<cv::Vec3b>(0, 1), cv::Vec3b(0, 255, 0));
}

// ------------------------------------------------------------------ ReadFile

class ReadFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ocr_image_test_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::remove((dir_ + "/a.png").c_str());
    std::remove((dir_ + "/locked").c_str());
    ::rmdir(dir_.c_str());
  }
  std::string dir_;
};

TEST_F(ReadFileTest, ReadsWholeFile) {
  const Bytes png = Encode(".png", Quadrants());
  std::ofstream(dir_ + "/a.png", std::ios::binary)
      .write(reinterpret_cast<const char*>(png.data()), std::streamsize(png.size()));
  EXPECT_EQ(ReadFile(dir_ + "/a.png"), png);
}

TEST_F(ReadFileTest, MissingFileIsFileNotFoundWithPath) {
  const Error e = Catch([&] { ReadFile(dir_ + "/nope.jpg"); });
  EXPECT_EQ(e.code(), ErrorCode::kFileNotFound);
  EXPECT_TRUE(Contains(e.what(), dir_ + "/nope.jpg")) << e.what();
}

TEST_F(ReadFileTest, DirectoryIsFileRead) {
  const Error e = Catch([&] { ReadFile(dir_); });
  EXPECT_EQ(e.code(), ErrorCode::kFileRead);
  EXPECT_TRUE(Contains(e.what(), "directory")) << e.what();
}

// A FIFO without a writer would block open() and read() for ever, beyond any
// abort; /dev/zero would be read to the 1 GiB limit. Both are refused at once.
TEST_F(ReadFileTest, FifoAndDevicesAreRefusedWithoutBlocking) {
  const std::string fifo = dir_ + "/fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto start = std::chrono::steady_clock::now();
  Error e = Catch([&] { ReadFile(fifo); });
  std::remove(fifo.c_str());
  EXPECT_EQ(e.code(), ErrorCode::kFileRead);
  EXPECT_TRUE(Contains(e.what(), "FIFO")) << e.what();
  e = Catch([&] { ReadFile("/dev/zero"); });
  EXPECT_EQ(e.code(), ErrorCode::kFileRead);
  EXPECT_TRUE(Contains(e.what(), "character device")) << e.what();
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 1.0);
}

// A file whose stated size is 0 (as /proc's are) is still read to its end.
TEST_F(ReadFileTest, FileLargerThanItsStatedSizeIsReadWhole) {
  const std::vector<uint8_t> status = ReadFile("/proc/self/status");
  EXPECT_GT(status.size(), 100u);
  EXPECT_TRUE(Contains(std::string(status.begin(), status.end()), "Name:"));
}

TEST_F(ReadFileTest, UnreadableFileIsFileRead) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads everything";
  const std::string path = dir_ + "/locked";
  std::ofstream(path) << "x";
  ::chmod(path.c_str(), 0);
  const Error e = Catch([&] { ReadFile(path); });
  EXPECT_EQ(e.code(), ErrorCode::kFileRead);
  EXPECT_TRUE(Contains(e.what(), "ermission")) << e.what();
}

// ------------------------------------------------------------------ FromPixels

PixelBuffer Pixels(const Bytes& data, int width, int height, int channels, size_t stride = 0) {
  PixelBuffer px;
  px.data = data.data();
  px.size = data.size();
  px.width = width;
  px.height = height;
  px.channels = channels;
  px.stride = stride ? stride : size_t(width * channels);
  return px;
}

TEST(FromPixels, RgbIsSwappedToBgrAndCopied) {
  const Bytes rgb = {10, 20, 30, 40, 50, 60};
  PixelBuffer px = Pixels(rgb, 2, 1, 3);
  cv::Mat out = FromPixels(px, 100);
  EXPECT_EQ(out.type(), CV_8UC3);
  EXPECT_TRUE(out.isContinuous());
  EXPECT_NE(out.data, rgb.data());
  EXPECT_EQ(out.at<cv::Vec3b>(0, 1), cv::Vec3b(60, 50, 40));
  px.bgr = true;
  out = FromPixels(px, 100);
  EXPECT_NE(out.data, rgb.data());
  EXPECT_EQ(out.at<cv::Vec3b>(0, 1), cv::Vec3b(40, 50, 60));
}

TEST(FromPixels, GreyAndPaddedStride) {
  // 2x2 grey with 3 bytes of padding per row; the last row is unpadded.
  const Bytes grey = {1, 2, 9, 9, 9, 3, 4};
  const cv::Mat out = FromPixels(Pixels(grey, 2, 2, 1, 5), 100);
  EXPECT_EQ(out.size(), cv::Size(2, 2));
  EXPECT_EQ(out.at<cv::Vec3b>(1, 1), cv::Vec3b(4, 4, 4));
  EXPECT_TRUE(out.isContinuous());
}

TEST(FromPixels, RgbaIsCompositedOnWhite) {
  const Bytes rgba = {200, 0, 0, 0, 200, 0, 0, 255, 200, 0, 0, 128};
  PixelBuffer px = Pixels(rgba, 3, 1, 4);
  const cv::Mat out = FromPixels(px, 100);
  EXPECT_EQ(out.at<cv::Vec3b>(0, 0), cv::Vec3b(255, 255, 255));
  EXPECT_EQ(out.at<cv::Vec3b>(0, 1), cv::Vec3b(0, 0, 200));
  EXPECT_NEAR(out.at<cv::Vec3b>(0, 2)[2], 227, 1);
  EXPECT_NEAR(out.at<cv::Vec3b>(0, 2)[0], 127, 1);
  px.bgr = true;
  EXPECT_EQ(FromPixels(px, 100).at<cv::Vec3b>(0, 1), cv::Vec3b(200, 0, 0));
}

TEST(FromPixels, InvalidFieldsAreNamed) {
  const Bytes data(64, 0);
  struct Case {
    PixelBuffer px;
    const char* field;
  };
  PixelBuffer null_data = Pixels(data, 2, 2, 3);
  null_data.data = nullptr;
  PixelBuffer zero_stride = Pixels(data, 2, 2, 3);
  zero_stride.stride = 0;
  PixelBuffer huge_stride = Pixels(data, 2, 3, 3);
  huge_stride.stride = SIZE_MAX / 2 + 1;
  const std::vector<Case> cases = {
      {null_data, "pixels.data"},
      {Pixels(data, 0, 2, 3), "pixels.width"},
      {Pixels(data, 2, -1, 3), "pixels.height"},
      {Pixels(data, 2, 2, 2), "pixels.channels"},
      {Pixels(data, 2, 2, 5), "pixels.channels"},
      {Pixels(data, 4, 2, 3, 11), "pixels.stride"},
      {zero_stride, "pixels.stride"},
      {huge_stride, "pixels.stride"},
      {Pixels(data, 5, 5, 3), "pixels.size"},
      {Pixels(Bytes(17, 0), 3, 2, 3, 10), "pixels.size"},  // Needs 10 + 9 = 19.
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    const Error e = Catch([&] { FromPixels(c.px, 1000); });
    EXPECT_EQ(e.code(), ErrorCode::kInvalidOption);
    EXPECT_TRUE(Contains(e.what(), c.field)) << e.what();
  }
  EXPECT_NO_THROW(FromPixels(Pixels(Bytes(19, 0), 3, 2, 3, 10), 1000));
}

TEST(FromPixels, PixelLimit) {
  const Bytes data(12, 0);
  EXPECT_EQ(Catch([&] { FromPixels(Pixels(data, 2, 2, 3), 3); }).code(), ErrorCode::kImageTooLarge);
  EXPECT_EQ(Catch([&] { FromPixels(Pixels(data, 2, 2, 3), 0); }).code(), ErrorCode::kInvalidOption);
  EXPECT_NO_THROW(FromPixels(Pixels(data, 2, 2, 3), 4));
}

}  // namespace
}  // namespace ocr::image
