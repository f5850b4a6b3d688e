// A byte-addressed memory of `size` bytes, precise to the byte: which bytes
// hold plain data ("known"), and cells (offset, width) holding a value of
// the caller's type (a spilled register, say). Writing kills the cells it
// overlaps; a join keeps cells present with the same extent on both sides.
// Knows nothing of eBPF: the caller keeps whatever else a cell means (its
// numeric variables) and is told which cells die.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

namespace bpfhost::verifier::domains {

struct CellKey {
  int64_t offset = 0;
  unsigned width = 0;
  bool operator==(const CellKey &) const = default;
};

template <class Payload> class ByteArray {
public:
  explicit ByteArray(int64_t size = 0)
      : size_(size), known_((static_cast<size_t>(size) + 63) / 64, 0) {}

  int64_t size() const { return size_; }

  // The cell exactly at [offset, offset + width), if any.
  const Payload *find(CellKey k) const {
    auto it = cells_.find(k.offset);
    if (it == cells_.end() || it->second.width != k.width)
      return nullptr;
    return &it->second.payload;
  }
  // Cells overlapping [offset, offset + width).
  std::vector<CellKey> overlapping(int64_t offset, unsigned width) const {
    std::vector<CellKey> out;
    auto it = cells_.lower_bound(offset - kMaxCell + 1);
    for (; it != cells_.end() && it->first < offset + width; ++it)
      if (it->first + it->second.width > offset)
        out.push_back({it->first, it->second.width});
    return out;
  }
  // Removes the cells overlapping the range; returns them.
  std::vector<CellKey> kill(int64_t offset, unsigned width) {
    std::vector<CellKey> dead = overlapping(offset, width);
    for (const CellKey &k : dead)
      cells_.erase(k.offset);
    return dead;
  }
  // Kills overlapping cells and stores a new one; returns the dead cells.
  std::vector<CellKey> store(CellKey k, Payload p) {
    std::vector<CellKey> dead = kill(k.offset, k.width);
    cells_[k.offset] = Entry{k.width, p};
    return dead;
  }
  template <class F> void for_each_cell(F f) const {
    for (const auto &[off, e] : cells_)
      f(CellKey{off, e.width}, e.payload);
  }
  template <class F> void update_cells(F f) {
    for (auto &[off, e] : cells_)
      f(CellKey{off, e.width}, e.payload);
  }

  // Marks bytes as holding (or not holding) plain data.
  void set_known(int64_t offset, unsigned width, bool known) {
    for (int64_t b = offset; b < offset + width; ++b)
      if (b >= 0 && b < size_) {
        const uint64_t bit = uint64_t{1} << (b % 64);
        known_[b / 64] =
            known ? (known_[b / 64] | bit) : (known_[b / 64] & ~bit);
      }
  }
  bool all_known(int64_t offset, int64_t width) const {
    if (offset < 0 || offset + width > size_)
      return false;
    for (int64_t b = offset; b < offset + width; ++b)
      if (!(known_[b / 64] >> (b % 64) & 1))
        return false;
    return true;
  }
  // Length of the run of known bytes starting at offset.
  int64_t known_run(int64_t offset) const {
    int64_t n = 0;
    while (offset + n < size_ && offset + n >= 0 && all_known(offset + n, 1))
      ++n;
    return n;
  }

  // Join: known bytes known on both sides; cells of the same extent on both
  // sides, payloads joined by `join`. Returns the cells dropped from *this.
  template <class J>
  std::vector<CellKey> join_with(const ByteArray &o, J join) {
    for (size_t i = 0; i < known_.size() && i < o.known_.size(); ++i)
      known_[i] &= o.known_[i];
    std::vector<CellKey> dropped;
    for (auto it = cells_.begin(); it != cells_.end();) {
      auto ot = o.cells_.find(it->first);
      if (ot == o.cells_.end() || ot->second.width != it->second.width) {
        dropped.push_back({it->first, it->second.width});
        it = cells_.erase(it);
      } else {
        it->second.payload = join(it->second.payload, ot->second.payload);
        ++it;
      }
    }
    return dropped;
  }
  // Order: everything `o` knows, this knows too (payloads by `leq`).
  template <class L> bool leq(const ByteArray &o, L leq) const {
    for (size_t i = 0; i < known_.size() && i < o.known_.size(); ++i)
      if ((o.known_[i] & ~known_[i]) != 0)
        return false;
    for (const auto &[off, e] : o.cells_) {
      auto it = cells_.find(off);
      if (it == cells_.end() || it->second.width != e.width ||
          !leq(it->second.payload, e.payload))
        return false;
    }
    return true;
  }
  bool operator==(const ByteArray &o) const = default;

private:
  static constexpr int64_t kMaxCell = 8;
  struct Entry {
    unsigned width = 0;
    Payload payload{};
    bool operator==(const Entry &) const = default;
  };
  int64_t size_ = 0;
  std::vector<uint64_t> known_;
  std::map<int64_t, Entry> cells_;
};

} // namespace bpfhost::verifier::domains
