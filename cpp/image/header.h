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
  // alpha flag, RGB TIFF with 4 samples, grey TIFF with 2. Always false for JPEG and BMP.
  bool has_alpha = false;
  // A grey TIFF with a second sample (grey + alpha): OpenCV's TIFF reader
  // drops the alpha and with it what was drawn on transparency, so DecodeImage
  // reads it with libtiff's RGBA reader.
  bool tiff_grey_alpha = false;
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
//   kUnsupportedFormat an unknown signature (the message lists the formats), or
//                      a variant the decoders cannot read: 12-bit, lossless or
//                      hierarchical JPEG, animated WebP, TIFF with float or
//                      32-bit samples (the message names it).
ImageInfo ProbeImage(const uint8_t* data, size_t size);

// A JPEG's marker stream, walked through its scans' entropy-coded data.
struct JpegStream {
  // The stream reaches an EOI marker (FF D9) after its last scan; bytes after
  // EOI are ignored. False for truncated data (libjpeg would otherwise decode
  // it partially, padding the missing rows with grey).
  bool end_of_image = false;
  // Scans (SOS markers) before EOI or the end of the data. Each one is a
  // pass of the decoder over the whole image's coefficients: a small
  // progressive file with thousands of tiny scans takes minutes to decode.
  int scans = 0;
  // Bytes of entropy-coded data over all scans (restart markers included).
  uint64_t entropy_bytes = 0;
  // The frame is arithmetic-coded (SOF9 and above); else Huffman-coded,
  // where every 8x8 block costs at least one bit (its DC code).
  bool arithmetic = false;
};
JpegStream ReadJpegStream(const uint8_t* data, size_t size);

// Where TIFF IFD0's Orientation value is (in the file's byte order): its
// offset and width in bytes (1, 2 or 4), as libtiff reads it (the first
// Orientation entry, one integer value). Offset 0 when there is none, its
// value is 1 or out of range (libtiff ignores it then), or the TIFF is malformed.
struct TiffOrientationField {
  size_t offset = 0;
  int bytes = 0;
};
TiffOrientationField TiffOrientationValue(const uint8_t* data, size_t size);

}  // namespace ocr::image
