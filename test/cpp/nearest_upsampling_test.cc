#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "graph/rewrite.h"
#include "onnx_builders.h"
#include "rewrite_helpers.h"

namespace ocr::graph {
namespace {

using namespace testing_onnx;  // NOLINT

int Rewritten(const std::string& model, std::string* out = nullptr) {
  return RewritesOf(&RewriteCounts::nearest_upsampling, model, out);
}

const std::vector<std::string> kNearestFloor = {StringAttr("mode", "nearest"),
                                                StringAttr("coordinate_transformation_mode", "asymmetric"),
                                                StringAttr("nearest_mode", "floor")};

// in -> Resize(in, roi, scales) -> out -> Relu -> y, as paddle2onnx exports a feature pyramid's upsampling.
std::string ResizeModel(const std::vector<float>& scales, const std::vector<std::string>& attrs = kNearestFloor,
                        const std::vector<std::string>& inputs = {"in", "roi", "scales"}, uint64_t ir_version = 7) {
  return Model(Graph({Node("Resize", inputs, "out", attrs), Node("Relu", {"out"}, "y")},
                     {FloatTensor("roi", {0}, {}), FloatTensor("scales", {4}, scales)}, {"y"}),
               ir_version);
}

// ONNX's nearest Resize of one H x W plane with the asymmetric mapping and floor rounding, by an integer factor:
// output pixel (y, x) reads input pixel (floor(y / k), floor(x / k)).
std::vector<int> NearestUp(const std::vector<int>& plane, int h, int w, int k) {
  std::vector<int> out(static_cast<size_t>(h * k * w * k));
  for (int y = 0; y < h * k; ++y) {
    for (int x = 0; x < w * k; ++x) out[static_cast<size_t>(y * w * k + x)] = plane[static_cast<size_t>(y / k * w + x / k)];
  }
  return out;
}

std::string StringOf(const ReadNode& n, const std::string& name) {
  for (const auto& [key, value] : n.strings) {
    if (key == name) return value;
  }
  return "";
}

TEST(SplitNearestUpsampling, ResizeByTwoToTheNBecomesNResizesByTwo) {
  for (const auto& [k, steps] : std::vector<std::pair<float, size_t>>{{4.0f, 2}, {8.0f, 3}, {1024.0f, 10}}) {
    std::string out;
    ASSERT_EQ(Rewritten(ResizeModel({1, 1, k, k}), &out), 1);
    const auto nodes = Nodes(out);
    ASSERT_EQ(nodes.size(), steps + 1);
    std::string value = "in";
    for (size_t s = 0; s < steps; ++s) {
      const ReadNode& n = nodes[s];
      EXPECT_EQ(n.op, "Resize");
      ASSERT_EQ(n.inputs.size(), 3u);
      EXPECT_EQ(n.inputs[0], value);
      EXPECT_EQ(n.inputs[1], "roi");
      const auto scales = TensorOf(out, n.inputs[2]);
      EXPECT_EQ(scales.dims, std::vector<int64_t>{4});
      EXPECT_EQ(scales.values, (std::vector<float>{1, 1, 2, 2}));
      EXPECT_EQ(StringOf(n, "mode"), "nearest");
      EXPECT_EQ(StringOf(n, "coordinate_transformation_mode"), "asymmetric");
      EXPECT_EQ(StringOf(n, "nearest_mode"), "floor");
      ASSERT_EQ(n.outputs.size(), 1u);
      value = n.outputs[0];
    }
    EXPECT_EQ(value, "out");  // the last step writes what the Resize wrote, which the Relu reads
    EXPECT_EQ(nodes[steps].op, "Relu");
    EXPECT_EQ(nodes[steps].inputs, std::vector<std::string>{"out"});
  }
  // An optional roi left empty (opset 13) stays empty.
  std::string out;
  ASSERT_EQ(Rewritten(ResizeModel({1, 1, 4, 4}, kNearestFloor, {"in", "", "scales"}), &out), 1);
  EXPECT_EQ(Nodes(out)[0].inputs[1], "");
}

TEST(SplitNearestUpsampling, TheStepsReadTheSamePixelsAsTheOneResize) {
  const int h = 3, w = 5;
  std::vector<int> plane(h * w);
  for (int i = 0; i < h * w; ++i) plane[static_cast<size_t>(i)] = i;
  for (int n = 2; n <= 4; ++n) {
    std::vector<int> stepped = plane;
    for (int s = 0; s < n; ++s) stepped = NearestUp(stepped, h << s, w << s, 2);
    EXPECT_EQ(stepped, NearestUp(plane, h, w, 1 << n)) << "x" << (1 << n);
  }
}

TEST(SplitNearestUpsampling, AnythingElseIsLeftAlone) {
  EXPECT_EQ(Rewritten(ResizeModel({1, 1, 2, 2})), 0);  // already by two
  for (const auto& scales : std::vector<std::vector<float>>{
           {1, 1, 3, 3}, {1, 1, 6, 6}, {1, 1, 4, 2}, {1, 2, 4, 4}, {2, 1, 4, 4}, {1, 1, 0.25f, 0.25f},
           {1, 1, 2048, 2048}, {1, 1, 4.5f, 4.5f}}) {
    EXPECT_EQ(Rewritten(ResizeModel(scales)), 0) << scales[2];
  }
  // Another mode, mapping or rounding, or any of them left to its default (opset 10's Resize has neither).
  for (size_t drop = 0; drop < kNearestFloor.size(); ++drop) {
    std::vector<std::string> attrs = kNearestFloor;
    attrs.erase(attrs.begin() + static_cast<std::ptrdiff_t>(drop));
    EXPECT_EQ(Rewritten(ResizeModel({1, 1, 4, 4}, attrs)), 0);
  }
  EXPECT_EQ(Rewritten(ResizeModel({1, 1, 4, 4}, {StringAttr("mode", "linear"), kNearestFloor[1], kNearestFloor[2]})),
            0);
  EXPECT_EQ(Rewritten(ResizeModel({1, 1, 4, 4}, {kNearestFloor[0], StringAttr("coordinate_transformation_mode",
                                                                               "half_pixel"),
                                                  kNearestFloor[2]})),
            0);
  EXPECT_EQ(Rewritten(ResizeModel({1, 1, 4, 4}, {kNearestFloor[0], kNearestFloor[1],
                                                  StringAttr("nearest_mode", "round_prefer_floor")})),
            0);
  std::vector<std::string> with_axes = kNearestFloor;
  with_axes.push_back(IntsAttr("axes", {2, 3}));
  EXPECT_EQ(Rewritten(ResizeModel({1, 1, 4, 4}, with_axes)), 0);
  EXPECT_EQ(Rewritten(ResizeModel({1, 1, 4, 4}, kNearestFloor, {"in", "roi", "scales", "sizes"})), 0);  // sizes
  EXPECT_EQ(Rewritten(ResizeModel({1, 1, 4, 4}, kNearestFloor, {"in", "roi", "dynamic"})), 0);  // scales not constant
  EXPECT_EQ(Rewritten(ResizeModel({1, 1, 4, 4}, kNearestFloor, {"in", "scales"})), 0);  // opset 10's two inputs
  EXPECT_EQ(Rewritten(ResizeModel({1, 1, 4, 4}, kNearestFloor, {"in", "roi", "scales"}, 3)), 0);  // IR 3
}

}  // namespace
}  // namespace ocr::graph
