// libpng and libjpeg report a corrupt or odd file on the process's stderr
// ("libpng error: ...", "libpng warning: ...", "Corrupt JPEG data: ...")
// because OpenCV's decoders keep their default message handlers. A library
// must not write into its host's stderr for a caller's bad input (a service
// logs every such line), so the addon's static link wraps the two functions
// that install those handlers (-Wl,--wrap, CMakeLists.txt) and makes them
// silent. Failures still reach OpenCV as before (libpng: the same longjmp its
// own error handler ends with; libjpeg: OpenCV's error_exit, which prints
// nothing), and ocrkit reports them as before (ERR_OCR_INVALID_IMAGE); a JPEG
// with recoverable damage still decodes, only its warning goes unprinted.
//
// OpenCV itself: cv::imdecode's report of a decoder exception on std::cerr is
// patched out of its source (scripts/deps/opencv-imdecode-quiet.patch), and its
// logger (CV_LOG_WARNING, e.g. "OpenCV TIFF(line ...): failed ...") is set
// silent below; both concern only the addon's private static copy of OpenCV.
//
// Built into the addon only when libpng, libjpeg and OpenCV are linked
// statically into it (the prefix of scripts/build-deps.sh, whose headers are
// used here).
#include <cstdio>

#include <jpeglib.h>
#include <png.h>
#include <opencv2/core/utils/logger.hpp>

namespace {
// At load time; the OpenCV logger's state is a function-local static, safe to use from here.
[[maybe_unused]] const bool kOpenCvLogSilent =
    (cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT), true);
}  // namespace

extern "C" {

png_structp __real_png_create_read_struct(png_const_charp version, png_voidp error_ptr, png_error_ptr error_fn,
                                          png_error_ptr warning_fn);
jpeg_error_mgr* __real_jpeg_std_error(jpeg_error_mgr* err);

static void QuietPngError(png_structp png, png_const_charp) { png_longjmp(png, 1); }
static void QuietPngWarning(png_structp, png_const_charp) {}
static void QuietJpegMessage(j_common_ptr) {}

png_structp __wrap_png_create_read_struct(png_const_charp version, png_voidp error_ptr, png_error_ptr error_fn,
                                          png_error_ptr warning_fn) {
  return __real_png_create_read_struct(version, error_ptr, error_fn ? error_fn : QuietPngError,
                                       warning_fn ? warning_fn : QuietPngWarning);
}

// output_message writes warnings and trace messages (error_exit's default calls it too; OpenCV replaces that).
jpeg_error_mgr* __wrap_jpeg_std_error(jpeg_error_mgr* err) {
  jpeg_error_mgr* std_err = __real_jpeg_std_error(err);
  std_err->output_message = QuietJpegMessage;
  return std_err;
}

}  // extern "C"
