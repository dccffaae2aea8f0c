// Sanity check of the dependency prefix: every codec round-trips an image and
// Clipper offsets a polygon. Built and run by scripts/build-deps.sh.
#include <cstdio>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <polyclipping/clipper.hpp>

int main() {
  cv::Mat image(48, 64, CV_8UC3, cv::Scalar(255, 255, 255));
  cv::rectangle(image, {8, 8}, {40, 30}, cv::Scalar(0, 0, 0), cv::FILLED);
  for (const char* ext : {".png", ".jpg", ".webp", ".tiff", ".bmp"}) {
    std::vector<uchar> bytes;
    if (!cv::imencode(ext, image, bytes)) { std::fprintf(stderr, "encode %s failed\n", ext); return 1; }
    cv::Mat back = cv::imdecode(bytes, cv::IMREAD_COLOR);
    if (back.size() != image.size()) { std::fprintf(stderr, "decode %s failed\n", ext); return 1; }
  }
  ClipperLib::Path square{{0, 0}, {100, 0}, {100, 20}, {0, 20}};
  ClipperLib::ClipperOffset offset;
  offset.AddPath(square, ClipperLib::jtRound, ClipperLib::etClosedPolygon);
  ClipperLib::Paths out;
  offset.Execute(out, 12.5);
  if (out.size() != 1 || ClipperLib::Area(out[0]) <= 2000) { std::fprintf(stderr, "clipper offset failed\n"); return 1; }
  std::printf("check-deps: PNG, JPEG, WebP, TIFF, BMP and Clipper OK\n");
  return 0;
}
