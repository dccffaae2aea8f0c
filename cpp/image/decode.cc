#include "image/decode.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <tiffio.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <system_error>

#include "core/error.h"

namespace ocr::image {
namespace {

[[noreturn]] void Throw(ErrorCode code, const std::string& message) { throw Error(code, message); }

void CheckMaxPixelsOption(int64_t max_pixels, const char* name) {
  if (max_pixels <= 0) {
    Throw(ErrorCode::kInvalidOption,
          std::string(name) + " must be > 0, got " + std::to_string(max_pixels));
  }
}

void CheckPixelLimit(int64_t width, int64_t height, int64_t max_pixels) {
  // Decided without the product: two header fields (each < 2^32) can multiply past int64 (a TIFF declaring
  // 4294967295 x 4294967295; found by CI's fuzzing). Their product does fit in uint64, for the message.
  if (width <= 0 || height <= 0 || height <= max_pixels / width) return;
  const uint64_t pixels = static_cast<uint64_t>(width) * static_cast<uint64_t>(height);
  Throw(ErrorCode::kImageTooLarge, "image is " + std::to_string(width) + "x" + std::to_string(height) + " = " +
                                       std::to_string(pixels) + " pixels, more than the limit of " +
                                       std::to_string(max_pixels) + " pixels");
}

// OpenCV's decoders refuse more than 2^30 pixels or a side over 2^20 (CV_IO_MAX_IMAGE_PIXELS / _WIDTH /
// _HEIGHT) with an assertion; said here first, as the size error it is, whatever maxPixels allows.
void CheckDecoderLimits(int64_t width, int64_t height) {
  constexpr int64_t kMaxSide = int64_t{1} << 20;
  constexpr int64_t kMaxDecodedPixels = int64_t{1} << 30;
  if (width > kMaxSide || height > kMaxSide) {
    Throw(ErrorCode::kImageTooLarge, "image is " + std::to_string(width) + "x" + std::to_string(height) +
                                         ": a side over the decoders' limit of " + std::to_string(kMaxSide) +
                                         " pixels");
  }
  if (height > kMaxDecodedPixels / width) {
    Throw(ErrorCode::kImageTooLarge, "image is " + std::to_string(width) + "x" + std::to_string(height) + " = " +
                                         std::to_string(width * height) +
                                         " pixels, more than the decoders' limit of " +
                                         std::to_string(kMaxDecodedPixels) + " pixels");
  }
}

// 16-bit -> 8-bit keeping the high byte (what libpng's strip_16 does for the
// non-alpha path): (v - 127.5) / 256 is never exactly halfway, so rounding
// yields floor(v / 256).
cv::Mat To8Bit(const cv::Mat& image) {
  if (image.depth() == CV_8U) return image;
  cv::Mat out;
  image.convertTo(out, CV_8U, 1.0 / 256.0, -127.5 / 256.0);
  return out;
}

// Any 8/16-bit 1..4-channel decode result -> CV_8UC3 BGR, alpha on white.
cv::Mat ToBgr(const cv::Mat& decoded) {
  const cv::Mat image = To8Bit(decoded);
  cv::Mat out;
  switch (image.channels()) {
    case 1:
      cv::cvtColor(image, out, cv::COLOR_GRAY2BGR);
      return out;
    case 2: {  // Grey + alpha.
      cv::Mat planes[2];
      cv::split(image, planes);
      cv::Mat bgra;
      cv::merge(std::vector<cv::Mat>{planes[0], planes[0], planes[0], planes[1]}, bgra);
      return CompositeOnWhite(bgra);
    }
    case 3:
      return image;
    case 4:
      return CompositeOnWhite(image);
    default:
      Throw(ErrorCode::kInvalidImage,
            "decoded image has " + std::to_string(image.channels()) + " channels");
  }
}

// libtiff reads from memory through these (a TIFF in a Buffer has no file).
struct TiffSource {
  const uint8_t* data;
  toff_t size;
  toff_t at = 0;
  std::string error;  // libtiff's first error message
};

tmsize_t TiffRead(thandle_t handle, void* buffer, tmsize_t n) {
  auto* source = static_cast<TiffSource*>(handle);
  const toff_t left = source->at < source->size ? source->size - source->at : 0;
  const tmsize_t count = n < 0 ? 0 : static_cast<tmsize_t>(std::min<toff_t>(left, static_cast<toff_t>(n)));
  if (count == 0) return 0;  // at or past the end: no pointer into or past the data is formed
  std::memcpy(buffer, source->data + source->at, static_cast<size_t>(count));
  source->at += static_cast<toff_t>(count);
  return count;
}
tmsize_t TiffWrite(thandle_t, void*, tmsize_t) { return -1; }
toff_t TiffSeek(thandle_t handle, toff_t offset, int whence) {
  auto* source = static_cast<TiffSource*>(handle);
  const toff_t base = whence == SEEK_CUR ? source->at : whence == SEEK_END ? source->size : 0;
  source->at = base + offset;  // past the end reads nothing
  return source->at;
}
int TiffClose(thandle_t) { return 0; }
toff_t TiffSize(thandle_t handle) { return static_cast<TiffSource*>(handle)->size; }
int TiffMap(thandle_t, void**, toff_t*) { return 0; }
void TiffUnmap(thandle_t, void*, toff_t) {}
int TiffQuiet(TIFF*, void* user, const char*, const char* format, va_list args) {
  auto* source = static_cast<TiffSource*>(user);
  if (source && source->error.empty()) {
    char message[256];
    std::vsnprintf(message, sizeof message, format, args);
    source->error = message;
  }
  return 1;  // handled: nothing reaches libtiff's global handler (stderr)
}
int TiffIgnore(TIFF*, void*, const char*, const char*, va_list) { return 1; }

// A TIFF's samples read with libtiff (any compression it reads, strips or tiles, either planar configuration) for
// ToBgr: grey, grey + alpha, BGR or BGRA, 8 or 16 bits, alpha straight. OpenCV 4.6 reads some of these wrongly or
// not at all: it drops the alpha of grey + alpha, and on valid tiled files its colour path fails (16 x 16
// uncompressed tiles, through TIFFReadRGBATile) and its IMREAD_UNCHANGED path returns wrong pixels (16-bit tiles,
// RGBA tiles). libtiff's RGBA reader cannot stand in: it drops the alpha of 16-bit grey and premultiplies only
// some layouts. Empty for a layout it does not read (the caller uses OpenCV's reader); throws for a corrupt file.
cv::Mat DecodeTiffSamples(const uint8_t* data, size_t size, const ImageInfo& info) {
  TiffSource source{data, static_cast<toff_t>(size), 0, {}};
  TIFFOpenOptions* options = TIFFOpenOptionsAlloc();
  TIFFOpenOptionsSetErrorHandlerExtR(options, TiffQuiet, &source);
  TIFFOpenOptionsSetWarningHandlerExtR(options, TiffIgnore, nullptr);
  TIFF* tif = TIFFClientOpenExt("image", "rm", &source, TiffRead, TiffWrite, TiffSeek, TiffClose, TiffSize, TiffMap,
                                TiffUnmap, options);
  TIFFOpenOptionsFree(options);
  auto fail = [&source](const std::string& what) {
    Throw(ErrorCode::kInvalidImage, "could not decode TIFF image: " + (source.error.empty() ? what : source.error));
  };
  if (!tif) fail("not readable");
  struct Closer {
    TIFF* tif;
    ~Closer() { TIFFClose(tif); }
  } closer{tif};
  uint16_t bits = 0, photometric = 0, planar = PLANARCONFIG_CONTIG, spp = 1, format = SAMPLEFORMAT_UINT,
           extra_count = 0;
  uint16_t* extra = nullptr;
  TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bits);
  TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photometric);
  TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &planar);
  TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
  TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &format);
  TIFFGetFieldDefaulted(tif, TIFFTAG_EXTRASAMPLES, &extra_count, &extra);
  const bool grey = photometric == PHOTOMETRIC_MINISBLACK || photometric == PHOTOMETRIC_MINISWHITE;
  const int colours = grey ? 1 : 3;
  if ((bits != 8 && bits != 16) || format != SAMPLEFORMAT_UINT || (!grey && photometric != PHOTOMETRIC_RGB) ||
      (spp != colours && spp != colours + 1)) {
    return cv::Mat();
  }
  const int channels = spp;
  const int width = static_cast<int>(info.width), height = static_cast<int>(info.height);
  uint32_t tiff_width = 0, tiff_height = 0;
  TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &tiff_width);
  TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &tiff_height);
  if (int64_t{tiff_width} != info.width || int64_t{tiff_height} != info.height) {
    fail("libtiff reads a size of " + std::to_string(tiff_width) + "x" + std::to_string(tiff_height));  // the probe's was checked
  }
  const int depth = bits == 8 ? CV_8U : CV_16U;
  const size_t sample = bits / 8;
  // Rows of samples go straight into `blocks`: one interleaved image (contiguous) or one image per plane (separate).
  const bool separate = planar == PLANARCONFIG_SEPARATE;
  const int plane_passes = separate ? channels : 1;
  const int per_pixel = separate ? 1 : channels;
  const size_t pixel_bytes = sample * size_t(per_pixel);
  std::vector<cv::Mat> blocks(static_cast<size_t>(plane_passes));
  for (cv::Mat& block : blocks) block.create(height, width, CV_MAKETYPE(depth, per_pixel));
  if (TIFFIsTiled(tif)) {
    uint32_t tile_width = 0, tile_height = 0;
    TIFFGetField(tif, TIFFTAG_TILEWIDTH, &tile_width);
    TIFFGetField(tif, TIFFTAG_TILELENGTH, &tile_height);
    const tmsize_t tile_size = TIFFTileSize(tif);
    // Every tile is decoded whole, so what the tiles hold together (not only one of them) must stay near the
    // image's size: 16-pixel-wide tiles 5 MB tall over a 1048576 x 1 image passed a per-tile bound and made a
    // 267 KB file decode 65536 x 5 MB (38 s), and more with maxPixels' default. Tiles overhanging a small image
    // (a 256 x 256 tile for a 10 x 10 page) stay within the slack; a giant tile never sizes an allocation.
    const double image_bytes = double(width) * height * channels * sample;
    const double tiles = tile_width == 0 || tile_height == 0
                             ? 0
                             : std::ceil(double(width) / tile_width) * std::ceil(double(height) / tile_height) *
                                   plane_passes;
    if (tile_width == 0 || tile_height == 0 || tile_size <= 0 || tiles * double(tile_size) > 4 * image_bytes + (1 << 24) ||
        double(tile_size) < double(tile_width) * tile_height * pixel_bytes) {
      fail("tiles of " + std::to_string(tile_width) + "x" + std::to_string(tile_height) + " for a " +
           std::to_string(width) + "x" + std::to_string(height) + " image");
    }
    std::vector<uint8_t> buffer(static_cast<size_t>(tile_size));
    for (int p = 0; p < plane_passes; ++p) {
      for (uint32_t y = 0; y < uint32_t(height); y += tile_height) {
        for (uint32_t x = 0; x < uint32_t(width); x += tile_width) {
          if (TIFFReadTile(tif, buffer.data(), x, y, 0, uint16_t(p)) < 0) fail("corrupt or truncated data");
          // Tiles overhang the image's right and bottom edges.
          const size_t cols = std::min<uint32_t>(tile_width, uint32_t(width) - x);
          const uint32_t rows = std::min<uint32_t>(tile_height, uint32_t(height) - y);
          for (uint32_t r = 0; r < rows; ++r) {
            std::memcpy(blocks[size_t(p)].ptr<uint8_t>(int(y + r)) + x * pixel_bytes,
                        buffer.data() + size_t(r) * tile_width * pixel_bytes, cols * pixel_bytes);
          }
        }
      }
    }
  } else {
    // A scanline is exactly a row of the block (libtiff's size for the layout read).
    if (TIFFScanlineSize(tif) != tmsize_t(size_t(width) * pixel_bytes)) fail("bad row size");
    for (int p = 0; p < plane_passes; ++p) {
      for (int y = 0; y < height; ++y) {
        if (TIFFReadScanline(tif, blocks[size_t(p)].ptr<uint8_t>(y), uint32_t(y), uint16_t(p)) < 0) {
          fail("corrupt or truncated data");
        }
      }
    }
  }
  const double max = bits == 8 ? 255.0 : 65535.0;
  // libtiff's rule: RGB's 4th sample is alpha unless declared otherwise; grey's 2nd only when declared alpha.
  const uint16_t kind = extra_count > 0 ? extra[0] : uint16_t(grey ? EXTRASAMPLE_UNSPECIFIED : EXTRASAMPLE_UNASSALPHA);
  const bool alpha = channels > colours && (kind == EXTRASAMPLE_ASSOCALPHA || kind == EXTRASAMPLE_UNASSALPHA ||
                                            (!grey && kind == EXTRASAMPLE_UNSPECIFIED));
  if (!separate && channels == colours + (alpha ? 1 : 0) && photometric != PHOTOMETRIC_MINISWHITE &&
      !(alpha && kind == EXTRASAMPLE_ASSOCALPHA)) {
    // The common case, interleaved samples as ToBgr takes them: only RGB's order to turn, in place.
    if (!grey) cv::cvtColor(blocks[0], blocks[0], alpha ? cv::COLOR_RGBA2BGRA : cv::COLOR_RGB2BGR);
    return blocks[0];
  }
  std::vector<cv::Mat> planes;
  if (separate) {
    planes = std::move(blocks);
  } else {
    cv::split(blocks[0], planes);
    blocks.clear();  // one copy of the pixels at a time
  }
  if (channels > colours) {
    if (!alpha) {
      planes.pop_back();  // not composited
    } else if (kind == EXTRASAMPLE_ASSOCALPHA) {
      // Premultiplied (samples as stored): sample / alpha gives the ones ToBgr composites (0 where alpha is 0).
      cv::Mat alpha_plane;
      planes[size_t(colours)].convertTo(alpha_plane, CV_32F, 1.0 / max);
      alpha_plane = cv::max(alpha_plane, 1e-6);
      for (int c = 0; c < colours; ++c) {
        cv::Mat value;
        planes[size_t(c)].convertTo(value, CV_32F);
        cv::divide(value, alpha_plane, value);
        value.convertTo(planes[size_t(c)], depth);  // saturating
      }
    }
  }
  if (photometric == PHOTOMETRIC_MINISWHITE) cv::subtract(cv::Scalar(max), planes[0], planes[0]);
  if (!grey) std::swap(planes[0], planes[2]);  // RGB -> BGR
  cv::Mat merged;
  cv::merge(planes, merged);
  return merged;
}

cv::Mat Imdecode(const uint8_t* data, size_t size, int flags, const char* format) {
  try {
    const cv::Mat buffer(1, static_cast<int>(size), CV_8UC1, const_cast<uint8_t*>(data));
    return cv::imdecode(buffer, flags);
  } catch (const cv::Exception& e) {
    // e.err, not e.what(): the latter carries the path of OpenCV's source file on the build machine.
    Throw(ErrorCode::kInvalidImage, std::string("could not decode ") + format + " image: " + e.err +
                                        (e.func.empty() ? "" : " (in " + e.func + ")"));
  }
}

// Pixels of an already probed and limit-checked image, as BGR.
cv::Mat DecodePixels(const uint8_t* data, size_t size, const ImageInfo& info) {
  const char* format = ImageFormatName(info.format);
  constexpr int kColor = cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION;
  if (info.format == ImageFormat::kTiff) {
    // Grey, grey + alpha, RGB and RGBA of 8 or 16 bits: libtiff's samples (OpenCV 4.6 drops grey's alpha, and
    // fails or returns wrong pixels on some valid tiled files). Other layouts (palette, YCbCr, CMYK, bilevel...):
    // OpenCV's reader.
    const cv::Mat samples = DecodeTiffSamples(data, size, info);
    if (!samples.empty()) return ToBgr(samples);
  }
  cv::Mat decoded;
  if (info.has_alpha) {
    // IMREAD_UNCHANGED keeps alpha (OpenCV would drop it) and never rotates.
    decoded = Imdecode(data, size, cv::IMREAD_UNCHANGED, format);
    if (!decoded.empty() && decoded.depth() != CV_8U && decoded.depth() != CV_16U) {
      decoded = Imdecode(data, size, kColor, format);  // e.g. float TIFF.
    }
  } else {
    decoded = Imdecode(data, size, kColor, format);
  }
  if (decoded.empty()) {
    Throw(ErrorCode::kInvalidImage,
          std::string("could not decode ") + format + " image (corrupt or truncated data)");
  }
  return ToBgr(decoded);
}

// OpenCV 4.6's TIFF reader applies the Orientation tag itself, whatever the
// IMREAD flags. To keep one policy for every format we decode a copy whose
// tag says 1 (as stored) and orient the pixels ourselves afterwards.
std::vector<uint8_t> TiffAsStored(const uint8_t* data, size_t size) {
  std::vector<uint8_t> copy(data, data + size);
  const TiffOrientationField field = TiffOrientationValue(data, size);
  if (field.offset != 0) {
    // The value 1 in the field's width and the file's byte order.
    const bool little_endian = data[0] == 'I';
    for (int i = 0; i < field.bytes; ++i) copy[field.offset + i] = 0;
    copy[field.offset + (little_endian ? 0 : field.bytes - 1)] = 1;
  }
  return copy;
}

// Closes a file descriptor on scope exit.
struct FdCloser {
  int fd;
  ~FdCloser() { ::close(fd); }
};

[[noreturn]] void ThrowFileError(const std::string& path, const char* action, int error) {
  Throw(ErrorCode::kFileRead, "cannot " + std::string(action) + " '" + path +
                                  "': " + std::generic_category().message(error));
}

}  // namespace

cv::Mat CompositeOnWhite(const cv::Mat& image4) {
  if (image4.type() != CV_8UC4) {
    Throw(ErrorCode::kInternal, "CompositeOnWhite needs a CV_8UC4 image");
  }
  cv::Mat out(image4.rows, image4.cols, CV_8UC3);
  for (int y = 0; y < image4.rows; ++y) {
    const uint8_t* src = image4.ptr<uint8_t>(y);
    uint8_t* dst = out.ptr<uint8_t>(y);
    for (int x = 0; x < image4.cols; ++x, src += 4, dst += 3) {
      const uint32_t alpha = src[3];
      const uint32_t white = 255 * (255 - alpha);
      for (int c = 0; c < 3; ++c) dst[c] = uint8_t((src[c] * alpha + white + 127) / 255);
    }
  }
  return out;
}

void ApplyExifOrientation(int orientation, cv::Mat* image) {
  // Same transforms as OpenCV's imgcodecs ApplyExifOrientation (4.6).
  switch (orientation) {
    case 2:
      cv::flip(*image, *image, 1);
      break;
    case 3:
      cv::flip(*image, *image, -1);
      break;
    case 4:
      cv::flip(*image, *image, 0);
      break;
    case 5:
      cv::transpose(*image, *image);
      break;
    case 6:
      cv::transpose(*image, *image);
      cv::flip(*image, *image, 1);
      break;
    case 7:
      cv::transpose(*image, *image);
      cv::flip(*image, *image, -1);
      break;
    case 8:
      cv::transpose(*image, *image);
      cv::flip(*image, *image, 0);
      break;
    default:
      break;
  }
}

cv::Mat DecodeImage(const uint8_t* data, size_t size, const DecodeOptions& options) {
  CheckMaxPixelsOption(options.max_pixels, "maxPixels");
  if (size > static_cast<uint64_t>(kMaxEncodedBytes)) {
    Throw(ErrorCode::kImageTooLarge, "encoded image is " + std::to_string(size) +
                                         " bytes, more than the limit of " +
                                         std::to_string(kMaxEncodedBytes) + " bytes");
  }
  const ImageInfo info = ProbeImage(data, size);
  CheckPixelLimit(info.width, info.height, options.max_pixels);
  CheckDecoderLimits(info.width, info.height);
  if (info.format == ImageFormat::kJpeg) {
    const JpegStream stream = ReadJpegStream(data, size);
    if (!stream.end_of_image) {
      Throw(ErrorCode::kInvalidImage,
            "could not decode JPEG image: truncated data (no end-of-image marker FF D9 "
            "after the last scan)");
    }
    // Huffman coding spends at least one bit on every 8x8 block (its DC code, in every kind of scan that holds
    // it): data shorter than that cannot hold the frame it announces, and libjpeg would pad the missing blocks
    // with grey without a word (a 629-byte file announcing 10000 x 10000 decoded as an empty grey page).
    const uint64_t blocks = uint64_t((info.width + 7) / 8) * uint64_t((info.height + 7) / 8);
    if (!stream.arithmetic && stream.entropy_bytes * 8 < blocks) {
      Throw(ErrorCode::kInvalidImage,
            "could not decode JPEG image: corrupt or truncated data (" + std::to_string(info.width) + " x " +
                std::to_string(info.height) + " needs at least " + std::to_string((blocks + 7) / 8) +
                " bytes of coded data, one bit per 8x8 block; the scans hold " +
                std::to_string(stream.entropy_bytes) + ")");
    }
    if (stream.scans > kMaxJpegScans) {
      Throw(ErrorCode::kInvalidImage, "JPEG image with " + std::to_string(stream.scans) +
                                          " scans, more than the limit of " + std::to_string(kMaxJpegScans) +
                                          " (encoders write at most a few dozen; each scan is a pass over "
                                          "the whole image)");
    }
  }
  if (info.min_bytes > size) {
    // OpenCV's BMP reader would run off the end with an exception it reports on stderr before failing.
    Throw(ErrorCode::kInvalidImage, std::string("truncated ") + ImageFormatName(info.format) +
                                        ": its pixel rows need " + std::to_string(info.min_bytes) +
                                        " bytes, the data has " + std::to_string(size));
  }
  cv::Mat image;
  if (info.format == ImageFormat::kTiff && info.exif_orientation != 1) {
    const std::vector<uint8_t> stored = TiffAsStored(data, size);
    image = DecodePixels(stored.data(), stored.size(), info);
  } else {
    image = DecodePixels(data, size, info);
  }
  // Defence in depth, should a decoder ever disagree with the header.
  CheckPixelLimit(image.cols, image.rows, options.max_pixels);
  if (options.apply_exif_orientation) ApplyExifOrientation(info.exif_orientation, &image);
  return image.isContinuous() ? image : image.clone();
}

std::vector<uint8_t> ReadFile(const std::string& path) {
  // O_NONBLOCK: opening a FIFO would otherwise wait for a writer, forever and
  // beyond the reach of cancellation (it is refused below, once open).
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    const int error = errno;
    if (error == ENOENT) Throw(ErrorCode::kFileNotFound, "file not found: '" + path + "'");
    ThrowFileError(path, "open", error);
  }
  const FdCloser closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) ThrowFileError(path, "stat", errno);
  if (S_ISDIR(st.st_mode)) ThrowFileError(path, "read", EISDIR);
  if (!S_ISREG(st.st_mode)) {
    // A FIFO, socket or device: a read could block for ever (a FIFO without a
    // writer, a terminal) or never end (/dev/zero), and no call could abort it.
    const char* kind = S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISSOCK(st.st_mode) ? "a socket"
                       : S_ISCHR(st.st_mode)  ? "a character device" : S_ISBLK(st.st_mode) ? "a block device"
                                                                                           : "not a file";
    Throw(ErrorCode::kFileRead, "cannot read '" + path + "': " + kind +
                                    ", not a regular file (read it yourself and pass the bytes)");
  }
  // Blocking reads again for the regular file (a FUSE file system may honour O_NONBLOCK with EAGAIN).
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  const auto too_large = [&](int64_t bytes) {
    Throw(ErrorCode::kImageTooLarge, "file '" + path + "' is " + std::to_string(bytes) +
                                         " bytes or more, more than the limit of " +
                                         std::to_string(kMaxEncodedBytes) + " bytes");
  };
  if (st.st_size > kMaxEncodedBytes) too_large(st.st_size);
  // The stated size and one byte more, so that the end is seen without growing; a file that grows
  // meanwhile (or says 0, as /proc's do) is read on in doubling steps.
  std::vector<uint8_t> bytes(static_cast<size_t>(st.st_size) + 1);
  size_t used = 0;
  for (;;) {
    if (used == bytes.size()) {
      bytes.resize(std::min<size_t>(std::max<size_t>(bytes.size() * 2, size_t{1} << 16), kMaxEncodedBytes + 1));
    }
    const ssize_t n = ::read(fd, bytes.data() + used, bytes.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) ThrowFileError(path, "read", errno);
    if (n == 0) break;
    used += static_cast<size_t>(n);
    if (static_cast<int64_t>(used) > kMaxEncodedBytes) too_large(static_cast<int64_t>(used));
  }
  bytes.resize(used);
  return bytes;
}

cv::Mat FromPixels(const PixelBuffer& px, int64_t max_pixels) {
  CheckMaxPixelsOption(max_pixels, "maxPixels");
  const auto invalid = [](const std::string& message) {
    Throw(ErrorCode::kInvalidOption, message);
  };
  if (px.data == nullptr) invalid("pixels.data must not be null");
  if (px.width <= 0) invalid("pixels.width must be > 0, got " + std::to_string(px.width));
  if (px.height <= 0) invalid("pixels.height must be > 0, got " + std::to_string(px.height));
  if (px.channels != 1 && px.channels != 3 && px.channels != 4) {
    invalid("pixels.channels must be 1, 3 or 4, got " + std::to_string(px.channels));
  }
  const uint64_t row_bytes = uint64_t(px.width) * uint64_t(px.channels);
  if (px.stride < row_bytes) {
    invalid("pixels.stride must be >= width * channels = " + std::to_string(row_bytes) +
            " bytes, got " + std::to_string(px.stride));
  }
  uint64_t needed = 0;
  if (__builtin_mul_overflow(uint64_t(px.stride), uint64_t(px.height - 1), &needed) ||
      __builtin_add_overflow(needed, row_bytes, &needed)) {
    invalid("pixels.stride * (height - 1) + width * channels overflows 64 bits (stride " +
            std::to_string(px.stride) + ")");
  }
  if (px.size < needed) {
    invalid("pixels.size must be >= stride * (height - 1) + width * channels = " +
            std::to_string(needed) + " bytes, got " + std::to_string(px.size));
  }
  CheckPixelLimit(px.width, px.height, max_pixels);

  const cv::Mat src(px.height, px.width, CV_8UC(px.channels), const_cast<uint8_t*>(px.data),
                    px.stride);
  cv::Mat out;
  if (px.channels == 1) {
    cv::cvtColor(src, out, cv::COLOR_GRAY2BGR);
  } else {
    const cv::Mat rgb_or_bgr = px.channels == 4 ? CompositeOnWhite(src) : src;
    if (px.bgr) {
      out = rgb_or_bgr.clone();
    } else {
      cv::cvtColor(rgb_or_bgr, out, cv::COLOR_RGB2BGR);
    }
  }
  return out;
}

}  // namespace ocr::image
