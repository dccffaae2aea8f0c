// PP-LCNetV3, the backbone of PP-OCRv3/v4's detector and recogniser, follows
// convolutions and activations with "learnable affine blocks": y = a * x + b
// with scalar a and b, exported as a Mul and an Add of one-float constants.
// ONNX Runtime fuses neither into the convolution (nor a per-channel [C,1,1]
// form of them), so each is two more passes over a feature map. Both fold
// into a convolution's weights exactly, up to float rounding:
//   after a convolution:            a * (W * x + B) + b = (a W) * x + (a B + b)
//   before a 1x1, unpadded, ungrouped convolution:
//                                   W * (a x + b) + B = (a W) * x + (B + b * sum_i W[o, i])
// (Before a padded convolution the padding would read b where it reads 0.)
// PP-OCRv4: 38 chains in the detector, 40 in the recogniser; measured 10-18%
// less time per recognition run, 14% per detection run, outputs equal to 1e-5.
//
// A chain that cannot fold (before a padded or grouped convolution: in
// PP-LCNetV3, after every hard-swish that feeds a depthwise convolution)
// becomes one depthwise 1x1 convolution (weight a, bias b per channel): the
// same arithmetic, but an operator ONNX Runtime runs in its blocked NCHWc
// layout, where a scalar Mul and Add each need the plain layout, so a
// reorder out and back in around them. PP-OCRv4: 13 chains in each model;
// measured 7-8% less time per recognition run, 4% per detection run, outputs
// bit-identical.
#pragma once

#include "graph/onnx_graph.h"

namespace ocr::graph {

// Folds every chain of scalar Mul / Add (each read only by the next) that
// follows a Conv or feeds the data input of a 1x1 Conv into that Conv's
// weight and bias, and returns how many chains. The Conv's weight and bias
// must be float constants read by it alone; a Conv without a bias gets a new
// bias initializer (models of IR version 4 or later). Default domain only.
int FoldAffineIntoConv(Graph& graph);

// Replaces every chain of scalar Mul / Add (each read only by the next) by
// one Conv with group C and a 1x1 kernel when its C channels are known: its
// result read only as the data input of Convs (the same number of input
// channels C in each), or read by other nodes too (PP-LCNetV3's squeeze-and-
// excitation blocks: a GlobalAveragePool and the gate's Mul) while the chain's
// input is a map of C channels written by a Conv with float weights, through
// activations and elementwise steps (any Conv reader must agree). Returns how
// many chains. Needs IR version 4 or later (new initializers). Run after
// FoldAffineIntoConv, which removes such chains entirely where it can.
// PP-OCRv4: 3 such chains in the recogniser (two before squeeze-and-
// excitation, one before the backbone's last pooling), 1 in the detector;
// ~0.5-1% less time per recognition run.
int AffineToDepthwiseConv(Graph& graph);

}  // namespace ocr::graph
