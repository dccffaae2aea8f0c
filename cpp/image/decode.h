// Image input stage: encoded bytes or raw pixels -> a new 8-bit BGR cv::Mat.
//
// Policy, the same for every input path:
// - Output is always a new, continuous CV_8UC3 (BGR) Mat. Grey, palette and
//   16-bit inputs are converted (16 -> 8 bit keeps the high byte).
// - Alpha is composited over white, never dropped: dark text on a transparent
//   background stays dark-on-light (dropping alpha would give black on black).
//   Sources: PNG (types 4/6, tRNS), WebP, 4-sample RGB TIFF, RGBA pixels.
//   BMP alpha is ignored (opaque). 8-bit TIFF with unassociated alpha comes
//   back from libtiff premultiplied, so half-transparent pixels are darker.
// - Pixel limit: width * height (64-bit) above max_pixels throws
//   kImageTooLarge before a single pixel is decoded (decompression bombs).
// - EXIF orientation (apply_exif_orientation) is applied by us, never by
//   OpenCV, so it behaves the same for every format and for images with
//   alpha (OpenCV skips it for IMREAD_UNCHANGED): JPEG (APP1 Exif), PNG
//   (eXIf before IDAT), WebP (EXIF chunk of VP8X) and TIFF (IFD0 Orientation)
//   honour it; BMP has none. With the option off every format comes back as
//   stored (OpenCV 4.6 itself honours JPEG and PNG but not WebP, and applies
//   TIFF's tag even with IMREAD_IGNORE_ORIENTATION, so for TIFF we decode a
//   copy whose tag is reset to 1).
// - OpenCV still prints its own diagnostics to stderr on corrupt input, and
//   its process-wide OPENCV_IO_MAX_IMAGE_PIXELS (default 2^30) caps any
//   max_pixels set above it (such images then fail as kInvalidImage).
#pragma once

#include <cstddef>
#include <cstdint>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "image/header.h"

namespace ocr::image {

// 100 megapixels: a 10000 x 10000 page, 300 MB as BGR. Real documents at
// 600 dpi (A3: ~7000 x 9900) fit; a decompression bomb does not.
inline constexpr int64_t kDefaultMaxPixels = 100'000'000;

// Encoded inputs above 1 GiB are refused (ReadFile and DecodeImage).
inline constexpr int64_t kMaxEncodedBytes = int64_t{1} << 30;

// Scans (SOS markers) a JPEG may have: a progressive encoder writes ~10 (libjpeg's
// default script) to a few dozen; a crafted file can repeat tiny scans, each a pass
// of the decoder over the whole image (4000 of them on 10000 x 10000: 74 s).
inline constexpr int kMaxJpegScans = 500;

struct DecodeOptions {
  // Rotate/flip to the EXIF orientation (see the policy above).
  bool apply_exif_orientation = true;
  // Largest accepted width * height of the stored image; must be > 0.
  int64_t max_pixels = kDefaultMaxPixels;
};

// Decodes JPEG, PNG, WebP, TIFF or BMP bytes to a new CV_8UC3 BGR Mat.
// Throws ocr::Error:
//   kInvalidOption     options.max_pixels <= 0;
//   kInvalidImage      empty, malformed, corrupt or truncated data (a JPEG
//                      must reach its EOI marker; trailing bytes after EOI
//                      are allowed);
//   kUnsupportedFormat an unknown signature;
//   kImageTooLarge     width * height > max_pixels, more than 2^30 pixels or
//                      a side over 2^20 (OpenCV's decoders' limits), or more
//                      than 1 GiB of data.
// A JPEG with more than kMaxJpegScans scans is kInvalidImage.
cv::Mat DecodeImage(const uint8_t* data, size_t size, const DecodeOptions& options);

// Whole file contents. Throws kFileNotFound (missing path), kFileRead
// (a directory, a FIFO, socket or device, no permission, an I/O error; the
// message carries errno's text or the kind of file) and kImageTooLarge (over
// kMaxEncodedBytes). Opening never waits (O_NONBLOCK), so a FIFO is refused
// at once rather than read.
std::vector<uint8_t> ReadFile(const std::string& path);

// Raw pixels borrowed from the caller.
struct PixelBuffer {
  const uint8_t* data = nullptr;
  size_t size = 0;  // Bytes readable from data.
  int width = 0;
  int height = 0;
  int channels = 0;   // 1 (grey), 3 or 4 (with alpha, composited on white).
  size_t stride = 0;  // Bytes per row, >= width * channels; 0 is invalid.
  bool bgr = false;   // Colour order of 3/4-channel data: false = RGB(A).
};

// Validates `px` (data, width, height, channels, stride, size; 64-bit,
// overflow-safe) and copies it into a new continuous CV_8UC3 BGR Mat.
// Throws kInvalidOption naming the field ("pixels.stride", ...),
// kInvalidOption for max_pixels <= 0, kImageTooLarge over max_pixels.
cv::Mat FromPixels(const PixelBuffer& px, int64_t max_pixels);

// Applies EXIF orientation 1..8 (values outside map to 1) to `image` in
// place, the same transforms OpenCV uses for JPEG.
void ApplyExifOrientation(int orientation, cv::Mat* image);

// Composites a 4-channel 8-bit image (channel 3 = alpha) over white and
// returns 3 channels in the same colour order.
cv::Mat CompositeOnWhite(const cv::Mat& image4);

}  // namespace ocr::image
