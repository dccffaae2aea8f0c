#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "graph/rewrite.h"
#include "onnx_builders.h"
#include "rewrite_helpers.h"

namespace ocr::graph {
namespace {

using namespace testing_onnx;  // NOLINT

int Rewritten(const std::string& model, std::string* out = nullptr) {
  return RewritesOf(&RewriteCounts::upsampling_head, model, out);
}

// A C x H x W feature map.
struct Map {
  int64_t c = 0, h = 0, w = 0;
  std::vector<double> v;
  double& at(int64_t ch, int64_t y, int64_t x) { return v[static_cast<size_t>((ch * h + y) * w + x)]; }
  double at(int64_t ch, int64_t y, int64_t x) const { return v[static_cast<size_t>((ch * h + y) * w + x)]; }
};

Map Zeros(int64_t c, int64_t h, int64_t w) { return {c, h, w, std::vector<double>(static_cast<size_t>(c * h * w))}; }

// ONNX's ConvTranspose with kernel = stride = k, weight [in, out, k, k]: each input pixel writes a k x k block.
Map ConvTransposeRef(const Map& x, const std::vector<float>& w, int64_t out, int64_t k, const std::vector<float>& b) {
  Map y = Zeros(out, x.h * k, x.w * k);
  for (int64_t o = 0; o < out; ++o) {
    for (int64_t py = 0; py < y.h; ++py) {
      for (int64_t px = 0; px < y.w; ++px) {
        double s = b.empty() ? 0.0 : b[static_cast<size_t>(o)];
        for (int64_t c = 0; c < x.c; ++c) {
          s += x.at(c, py / k, px / k) * w[static_cast<size_t>(((c * out + o) * k + py % k) * k + px % k)];
        }
        y.at(o, py, px) = s;
      }
    }
  }
  return y;
}

// A 1x1 convolution, weight [out, in, 1, 1].
Map Pointwise(const Map& x, const std::vector<float>& w, const std::vector<float>& b) {
  const int64_t out = static_cast<int64_t>(b.size());
  Map y = Zeros(out, x.h, x.w);
  for (int64_t o = 0; o < out; ++o) {
    for (int64_t p = 0; p < x.h * x.w; ++p) {
      double s = b[static_cast<size_t>(o)];
      for (int64_t c = 0; c < x.c; ++c) {
        s += w[static_cast<size_t>(o * x.c + c)] * x.v[static_cast<size_t>(c * x.h * x.w + p)];
      }
      y.v[static_cast<size_t>(o * x.h * x.w + p)] = s;
    }
  }
  return y;
}

// ONNX's DepthToSpace, DCR mode (the default): input channel (i * k + j) * C + c goes to pixel (i, j) of a block.
Map DepthToSpaceRef(const Map& x, int64_t k) {
  const int64_t c_out = x.c / (k * k);
  Map y = Zeros(c_out, x.h * k, x.w * k);
  for (int64_t c = 0; c < c_out; ++c) {
    for (int64_t py = 0; py < y.h; ++py) {
      for (int64_t px = 0; px < y.w; ++px) y.at(c, py, px) = x.at(((py % k) * k + px % k) * c_out + c, py / k, px / k);
    }
  }
  return y;
}

void PerChannel(Map& x, const std::vector<float>& a, const std::vector<float>& b) {
  for (int64_t c = 0; c < x.c; ++c) {
    for (int64_t p = 0; p < x.h * x.w; ++p) {
      double& v = x.v[static_cast<size_t>(c * x.h * x.w + p)];
      v = v * a[static_cast<size_t>(c)] + b[static_cast<size_t>(c)];
    }
  }
}

void Relu(Map& x) {
  for (double& v : x.v) v = v > 0 ? v : 0;
}
void Sigmoid(Map& x) {
  for (double& v : x.v) v = 1.0 / (1.0 + std::exp(-v));
}

std::vector<float> Values(size_t n, uint32_t seed) {
  std::vector<float> v(n);
  for (float& x : v) {
    seed = seed * 1664525u + 1013904223u;
    x = static_cast<float>((seed >> 8) % 2001) / 1000.0f - 1.0f;  // [-1, 1]
  }
  return v;
}

// A DB head on a 3-channel input: ConvTranspose(3 -> 4, k 2, bias) -> + [1,2,1,1] -> BatchNormalization -> Relu
// -> ConvTranspose(4 -> 1, k 2) -> + scalar -> Sigmoid, as PaddleOCR exports it.
constexpr int64_t kIn = 3, kMid = 4;
const std::vector<float> kW1 = Values(kIn * kMid * 4, 1), kW2 = Values(kMid * 4, 2);
const std::vector<float> kBias1 = {0.2f, -0.1f, 0.0f, 0.4f}, kAdd1 = {0.05f, 0.3f, -0.6f, 0.0f};
const std::vector<float> kScale = {1.5f, 0.8f, -0.5f, 1.0f}, kShift = {-0.2f, 0.1f, 0.3f, 0.0f};
const std::vector<float> kMean = {0.1f, -0.4f, 0.0f, 0.25f}, kVar = {0.5f, 2.0f, 0.1f, 1.0f};
constexpr float kAdd2 = -0.25f, kEpsilon = 1e-3f;

std::vector<std::string> HeadNodes(const std::vector<std::string>& first_attrs) {
  return {Node("ConvTranspose", {"x", "w1", "bias1"}, "t1", first_attrs),
          Node("Add", {"add1", "t1"}, "a1"),
          Node("BatchNormalization", {"a1", "scale", "shift", "mean", "var"}, "n1", {FloatAttr("epsilon", kEpsilon)}),
          Node("Relu", {"n1"}, "r1"),
          Node("ConvTranspose", {"r1", "w2"}, "t2",
               {IntsAttr("kernel_shape", {2, 2}), IntsAttr("strides", {2, 2}), IntsAttr("pads", {0, 0, 0, 0})}),
          Node("Add", {"t2", "add2"}, "a2"),
          Node("Sigmoid", {"a2"}, "y")};
}

std::vector<std::string> HeadTensors() {
  return {FloatTensor("w1", {kIn, kMid, 2, 2}, kW1), FloatTensor("bias1", {kMid}, kBias1),
          FloatTensor("add1", {1, kMid, 1, 1}, kAdd1), FloatTensor("scale", {kMid}, kScale),
          FloatTensor("shift", {kMid}, kShift), FloatTensor("mean", {kMid}, kMean), FloatTensor("var", {kMid}, kVar),
          FloatTensor("w2", {kMid, 1, 2, 2}, kW2), ScalarTensor("add2", kAdd2)};
}

const std::vector<std::string> kStride2 = {IntsAttr("kernel_shape", {2, 2}), IntsAttr("strides", {2, 2}),
                                           IntsAttr("dilations", {1, 1}), IntAttr("group", 1)};

std::string HeadModel(const std::vector<std::string>& first_attrs = kStride2, uint64_t ir_version = 7) {
  return Model(Graph(HeadNodes(first_attrs), HeadTensors(), {"y"}), ir_version);
}

TEST(UpsamplingHeadToPointwise, ADbHeadBecomesTwoPointwiseConvsAndOneDepthToSpaceWithTheSameOutput) {
  std::string out;
  ASSERT_EQ(Rewritten(HeadModel(), &out), 1);
  const auto nodes = Nodes(out);
  std::vector<std::string> ops;
  for (const auto& n : nodes) ops.push_back(n.op);
  ASSERT_EQ(ops, (std::vector<std::string>{"Conv", "Relu", "Conv", "Sigmoid", "DepthToSpace"}));
  EXPECT_EQ(nodes[0].inputs[0], "x");
  EXPECT_EQ(nodes[4].outputs, std::vector<std::string>{"y"});  // writes what the Sigmoid wrote
  EXPECT_EQ(nodes[4].ints, (std::vector<std::pair<std::string, std::vector<int64_t>>>{{"blocksize", {4}}}));
  const auto w1 = TensorOf(out, nodes[0].inputs[1]), b1 = TensorOf(out, nodes[0].inputs[2]);
  const auto w2 = TensorOf(out, nodes[2].inputs[1]), b2 = TensorOf(out, nodes[2].inputs[2]);
  EXPECT_EQ(w1.dims, (std::vector<int64_t>{kMid * 4, kIn, 1, 1}));
  EXPECT_EQ(w2.dims, (std::vector<int64_t>{16, kMid * 4, 1, 1}));

  // The model as given, evaluated op by op, against the rewritten graph.
  Map x = Zeros(kIn, 3, 2);
  const auto input = Values(x.v.size(), 7);
  for (size_t k = 0; k < input.size(); ++k) x.v[k] = input[k] * 3.0;
  Map want = ConvTransposeRef(x, kW1, kMid, 2, kBias1);
  PerChannel(want, {1, 1, 1, 1}, kAdd1);
  std::vector<float> bn_a(kMid), bn_b(kMid);
  for (size_t c = 0; c < kMid; ++c) {
    bn_a[c] = static_cast<float>(kScale[c] / std::sqrt(double{kVar[c]} + kEpsilon));
    bn_b[c] = kShift[c] - kMean[c] * bn_a[c];
  }
  PerChannel(want, bn_a, bn_b);
  Relu(want);
  want = ConvTransposeRef(want, kW2, 1, 2, {});
  PerChannel(want, {1}, {kAdd2});
  Sigmoid(want);

  Map got = Pointwise(x, w1.values, b1.values);
  Relu(got);
  got = Pointwise(got, w2.values, b2.values);
  Sigmoid(got);
  got = DepthToSpaceRef(got, 4);
  ASSERT_EQ(got.c, 1);
  ASSERT_EQ(got.h, 12);
  ASSERT_EQ(got.w, 8);
  for (size_t k = 0; k < want.v.size(); ++k) EXPECT_NEAR(got.v[k], want.v[k], 1e-6) << k;
}

TEST(UpsamplingHeadToPointwise, AnythingButKernelEqualToStrideWithoutPaddingIsLeftAlone) {
  const std::vector<std::vector<std::string>> not_blocks = {
      {IntsAttr("kernel_shape", {2, 2})},                                                  // stride 1
      {IntsAttr("kernel_shape", {2, 2}), IntsAttr("strides", {1, 1})},                     // overlapping
      {IntsAttr("strides", {2, 2}), IntsAttr("pads", {1, 1, 1, 1})},                       // padded
      {IntsAttr("strides", {2, 2}), IntsAttr("dilations", {2, 2})},                        // dilated
      {IntsAttr("strides", {2, 2}), IntsAttr("output_padding", {1, 1})},                   // a larger output
      {IntsAttr("strides", {2, 2}), IntsAttr("output_shape", {6, 4})},                     // a given output shape
      {IntsAttr("strides", {2, 2}), IntAttr("group", 3)},                                  // grouped
      {IntsAttr("strides", {2, 1})},                                                       // not square
  };
  for (const auto& attrs : not_blocks) EXPECT_EQ(Rewritten(HeadModel(attrs)), 0);
  EXPECT_EQ(Rewritten(HeadModel(kStride2, 3)), 0);  // IR 3: new initializers would have to be graph inputs
}

TEST(UpsamplingHeadToPointwise, ValuesReadElsewhereTrainingNormsAndGrowingChannelsAreLeftAlone) {
  // The Relu's output also a graph output.
  EXPECT_EQ(Rewritten(Model(Graph(HeadNodes(kStride2), HeadTensors(), {"y", "r1"}))), 0);
  // A BatchNormalization in training mode.
  auto nodes = HeadNodes(kStride2);
  nodes[2] = Node("BatchNormalization", {"a1", "scale", "shift", "mean", "var"}, "n1", {IntAttr("training_mode", 1)});
  EXPECT_EQ(Rewritten(Model(Graph(nodes, HeadTensors(), {"y"}))), 0);
  // A per-channel Add whose constant broadcasts along the width ([C], not [1, C, 1, 1]): the chain stops before it,
  // so no second ConvTranspose follows.
  auto tensors = HeadTensors();
  tensors[2] = FloatTensor("add1", {kMid}, kAdd1);
  EXPECT_EQ(Rewritten(Model(Graph(HeadNodes(kStride2), tensors, {"y"}))), 0);
  // A second ConvTranspose with more outputs than the first's blocks hold (4 -> 3 channels: 48 > 16).
  tensors = HeadTensors();
  tensors[7] = FloatTensor("w2", {kMid, 3, 2, 2}, Values(kMid * 3 * 4, 3));
  EXPECT_EQ(Rewritten(Model(Graph(HeadNodes(kStride2), tensors, {"y"}))), 0);
  // One ConvTranspose alone.
  EXPECT_EQ(Rewritten(Model(Graph({Node("ConvTranspose", {"x", "w1"}, "y", kStride2)},
                                  {FloatTensor("w1", {kIn, kMid, 2, 2}, kW1)}, {"y"}))),
            0);
}

TEST(UpsamplingHeadToPointwise, WithoutAffineStepsOrActivations) {
  // ConvTranspose(k 2) -> ConvTranspose(k 3): the 6 x 6 blocks of a bare pair; 1 x 36 outputs > 4 x 4 inputs,
  // the second convolution would grow the channels.
  const auto w2 = Values(kMid * 1 * 9, 5);
  const std::string model = Model(Graph(
      {Node("ConvTranspose", {"x", "w1"}, "t1", kStride2),
       Node("ConvTranspose", {"t1", "w2"}, "y", {IntsAttr("kernel_shape", {3, 3}), IntsAttr("strides", {3, 3})})},
      {FloatTensor("w1", {kIn, kMid, 2, 2}, kW1), FloatTensor("w2", {kMid, 1, 3, 3}, w2)}, {"y"}));
  std::string out;
  EXPECT_EQ(Rewritten(model), 0);
  const std::string narrow = Model(Graph(
      {Node("ConvTranspose", {"x", "w1"}, "t1", kStride2),
       Node("ConvTranspose", {"t1", "w2"}, "y", {IntsAttr("kernel_shape", {3, 3}), IntsAttr("strides", {3, 3})})},
      {FloatTensor("w1", {kIn, 12, 2, 2}, Values(kIn * 12 * 4, 4)),
       FloatTensor("w2", {12, 1, 3, 3}, Values(12 * 9, 5))},
      {"y"}));
  ASSERT_EQ(Rewritten(narrow, &out), 1);
  const auto nodes = Nodes(out);
  ASSERT_EQ(nodes.size(), 3u);
  Map x = Zeros(kIn, 2, 3);
  const auto input = Values(x.v.size(), 9);
  for (size_t k = 0; k < input.size(); ++k) x.v[k] = input[k];
  Map want = ConvTransposeRef(ConvTransposeRef(x, Values(kIn * 12 * 4, 4), 12, 2, {}), Values(12 * 9, 5), 1, 3, {});
  Map got = Pointwise(x, TensorOf(out, nodes[0].inputs[1]).values, TensorOf(out, nodes[0].inputs[2]).values);
  got = Pointwise(got, TensorOf(out, nodes[1].inputs[1]).values, TensorOf(out, nodes[1].inputs[2]).values);
  got = DepthToSpaceRef(got, 6);
  ASSERT_EQ(got.v.size(), want.v.size());
  for (size_t k = 0; k < want.v.size(); ++k) EXPECT_NEAR(got.v[k], want.v[k], 1e-5) << k;
}

}  // namespace
}  // namespace ocr::graph
