// Image header probe: format, stored size and EXIF orientation of encoded
// bytes, read without decoding a single pixel (the decompression-bomb check in
// decode.h relies on it).
#pragma once

#include <cstddef>
#include <cstdint>

namespace ocr::image {

enum class ImageFormat { kJpeg, kPng, kWebp, kTiff, kBmp };

// "JPEG", "PNG", "WebP", "TIFF", "BMP".
const char* ImageFormatName(ImageFormat format);

struct ImageInfo {
  ImageFormat format = ImageFormat::kJpeg;
  // Size as stored in the file, before any EXIF orientation is applied.
  int64_t width = 0;
  int64_t height = 0;
  // EXIF Orientation, 1..8 (1 = as stored; also when absent or out of range).
  // Read from JPEG APP1 "Exif", PNG eXIf (before IDAT), WebP EXIF chunk and
  // TIFF IFD0 tag 274. BMP has none.
  int exif_orientation = 1;
  // The image carries an alpha channel that DecodeImage composites on white:
  // PNG colour types 4/6 or RGB/palette with tRNS, WebP VP8L alpha bit or VP8X
  // alpha flag, RGB TIFF with 4 samples. Always false for JPEG and BMP.
  bool has_alpha = false;
  // The length the data must have at least for its pixels to be whole, where
  // the header says (uncompressed BMP: offset + padded rows); 0 otherwise.
  uint64_t min_bytes = 0;
};

// Parses the header of `data[0, size)`: JPEG (markers up to SOFn), PNG
// (signature, IHDR, ancillary chunks before IDAT), WebP (RIFF with VP8, VP8L,
// VP8X), classic TIFF (II/MM, IFD0) and BMP (core and info headers; a
// negative height means top-down, the absolute value is returned).
// Never reads outside the buffer. Throws ocr::Error:
//   kInvalidImage      empty input, a truncated or malformed header, or a
//                      zero width or height;
//   kUnsupportedFormat an unknown signature (the message lists the formats).
ImageInfo ProbeImage(const uint8_t* data, size_t size);

// True when a JPEG's marker stream reaches an EOI marker (FF D9) after its
// last scan; bytes after EOI are ignored. False for truncated data (libjpeg
// would otherwise decode it partially, padding the missing rows with grey).
bool JpegHasEndOfImage(const uint8_t* data, size_t size);

// Offset of the 2-byte value of TIFF IFD0's Orientation tag (in the file's
// byte order), or 0 when the tag is absent or the TIFF is malformed.
size_t TiffOrientationOffset(const uint8_t* data, size_t size);

}  // namespace ocr::image
