// Image decoding (image/decode.h) on arbitrary bytes: the header checks, the
// decompression-bomb limit and EXIF orientation are ocrkit's, the codecs
// OpenCV's (here Debian's build, not the prebuild's static one). A BGR image
// within the pixel limit or a typed error, nothing else.
#include <cstddef>
#include <cstdint>

#include "core/error.h"
#include "image/decode.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  ocr::image::DecodeOptions options;
  options.apply_exif_orientation = data[0] & 1;
  options.max_pixels = 1 << 20;  // keeps every run short
  try {
    const cv::Mat image = ocr::image::DecodeImage(data + 1, size - 1, options);
    if (image.type() != CV_8UC3 || image.empty() || !image.isContinuous() ||
        int64_t{image.cols} * image.rows > options.max_pixels) {
      __builtin_trap();
    }
  } catch (const ocr::Error&) {
  }
  return 0;
}
