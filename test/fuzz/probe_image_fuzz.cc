// Image header probing (image/header.h) on arbitrary bytes: a typed error or
// an answer, never a read outside the buffer.
#include <cstddef>
#include <cstdint>

#include "core/error.h"
#include "image/header.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ocr::image;
  const JpegStream stream = ReadJpegStream(data, size);
  if (stream.scans < 0 || size_t(stream.scans) > size / 4) __builtin_trap();  // an SOS segment takes 4 bytes at least
  const TiffOrientationField field = TiffOrientationValue(data, size);
  // The value must lie inside the data, in one of the widths a TIFF integer has.
  if (field.offset != 0 && ((field.bytes != 1 && field.bytes != 2 && field.bytes != 4) || field.offset + field.bytes > size)) {
    __builtin_trap();
  }
  try {
    const ImageInfo info = ProbeImage(data, size);
    if (info.width <= 0 || info.height <= 0 || info.exif_orientation < 1 || info.exif_orientation > 8) {
      __builtin_trap();  // a success promises a positive size and an orientation 1..8
    }
  } catch (const ocr::Error& e) {
    if (e.code() != ocr::ErrorCode::kInvalidImage && e.code() != ocr::ErrorCode::kUnsupportedFormat) __builtin_trap();
  }
  return 0;
}
