// Image header probing (image/header.h) on arbitrary bytes: a typed error or
// an answer, never a read outside the buffer.
#include <cstddef>
#include <cstdint>

#include "core/error.h"
#include "image/header.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ocr::image;
  (void)JpegHasEndOfImage(data, size);
  const size_t at = TiffOrientationOffset(data, size);
  if (at != 0 && at + 2 > size) __builtin_trap();  // the offset must point inside the data
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
