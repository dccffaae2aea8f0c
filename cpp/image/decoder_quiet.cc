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
// Built into the addon only when libpng and libjpeg are linked statically into
// it (the prefix of scripts/build-deps.sh, whose headers are used here).
#include <cstdio>

#include <jpeglib.h>
#include <png.h>

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
