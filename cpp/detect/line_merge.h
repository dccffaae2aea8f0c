// Joining the pieces of one text line. DB finds words, not lines, where the
// gap between two words is wider than its kernel and the unclip offset
// bridge: scene labels ("Lift" + "2", "Gate" + "C4") and receipts with
// column-aligned fields. Each piece is then read alone, and a reader (or an
// evaluation that matches whole lines) gets two short texts for one line.
// Not in PaddleOCR (an option, off by default); EasyOCR merges its boxes
// with similar thresholds (width_ths, ycenter_ths, height_ths).
#pragma once

#include <cstddef>
#include <vector>

#include "core/types.h"

namespace ocr::detect {

struct QuadGroup {
  Quad quad;                    // covers every member, along the longest member's reading direction
  std::vector<size_t> members;  // indices into the input, ascending
};

// Groups quads (TL, TR, BR, BL, clockwise with y down; reading direction
// TL -> TR) that continue one another along one text line, and returns one
// group per line piece set, in the order of each group's first member (a
// quad no other joins is a group of one, its quad unchanged).
//
// Two quads join when one of them, the reference, is at least as long as it
// is high (a line, not a lone character) and, in its frame (along its TL ->
// TR direction, across it):
//   - the other's centre lies within half the reference's height of the
//     reference's centre line,
//   - the other's extent across is 0.4 to 2.5 times the reference's height,
//   - the gap between their ends along it is under max_gap times the
//     reference's height (overlapping pieces join too).
// The relation is closed transitively (a line of several pieces becomes one
// group). A group's quad is the rectangle, along its longest member's
// direction, that holds every member's corners. max_gap <= 0 joins nothing.
std::vector<QuadGroup> MergeLineQuads(const std::vector<Quad>& quads, float max_gap);

}  // namespace ocr::detect
