// libpng reports a corrupt or odd PNG by printing "libpng error: ..." or
// "libpng warning: ..." on the process's stderr before the failure reaches
// OpenCV's decoder, because OpenCV creates its read structs with libpng's
// default handlers. A library must not write into its host's stderr for a
// caller's bad input (a service logs every such line), so the addon's static
// link wraps png_create_read_struct (-Wl,--wrap, CMakeLists.txt) and gives
// every read struct handlers that stay silent. The failure itself still
// reaches OpenCV, by the same longjmp libpng's own handler ends with, and
// ocrkit reports it as before (ERR_OCR_INVALID_IMAGE).
//
// Built into the addon only when libpng is linked statically into it (the
// prefix of scripts/build-deps.sh); declared here without png.h, which only
// that prefix has.

extern "C" {

struct png_struct_def;
using png_error_fn = void (*)(png_struct_def*, const char*);

png_struct_def* __real_png_create_read_struct(const char* version, void* error_ptr, png_error_fn error_fn,
                                              png_error_fn warning_fn);
[[noreturn]] void png_longjmp(const png_struct_def* png, int value);

static void QuietError(png_struct_def* png, const char*) { png_longjmp(png, 1); }
static void QuietWarning(png_struct_def*, const char*) {}

png_struct_def* __wrap_png_create_read_struct(const char* version, void* error_ptr, png_error_fn error_fn,
                                              png_error_fn warning_fn) {
  return __real_png_create_read_struct(version, error_ptr, error_fn ? error_fn : QuietError,
                                       warning_fn ? warning_fn : QuietWarning);
}

}  // extern "C"
