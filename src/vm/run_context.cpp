// RunContext (what helpers see of a run), the helper table, and the text of
// memory access errors.
#include <algorithm>
#include <string>

#include "vm/interpreter.hpp"
#include "vm/vm.hpp"

namespace bpfhost::vm {
namespace {

// The interpreter's whole stack: kMaxFrames frames of up to 512 bytes.
constexpr uint64_t kStackBufferBytes = uint64_t{kMaxFrames} * kMaxStackBytes;

bool contains(const MemoryRegion &r, uint64_t addr, uint64_t size) {
  return addr >= r.start && addr - r.start <= r.size &&
         size <= r.size - (addr - r.start);
}

bool overlaps(uint64_t start, uint64_t size, uint64_t addr, uint64_t n) {
  // [addr, addr + n) and [start, start + size), without wrapping.
  return addr < start ? start - addr < n : addr - start < size;
}

std::string region_text(const MemoryRegion &r) {
  return "[" + detail::hex(r.start) + ", " + detail::hex(r.start + r.size) +
         ")";
}

} // namespace

namespace detail {

std::string hex(uint64_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  do {
    out.push_back(kDigits[value & 0xf]);
    value >>= 4;
  } while (value != 0);
  out += "x0";
  std::reverse(out.begin(), out.end());
  return out;
}

} // namespace detail

Result<void> HelperTable::set(int64_t id, HelperFn fn) {
  if (id < 0 || id >= static_cast<int64_t>(kMaxId))
    return make_error(ErrorCode::OutOfRange, "helper id " + std::to_string(id) +
                                                 " is outside [0, " +
                                                 std::to_string(kMaxId) + ")");
  if (static_cast<size_t>(id) >= fns_.size())
    fns_.resize(static_cast<size_t>(id) + 1, nullptr);
  fns_[static_cast<size_t>(id)] = fn;
  return {};
}

void RunContext::add_region(const MemoryRegion &region) {
  if (mode_ != MemoryMode::Checked)
    return;
  for (const MemoryRegion &r : added_) {
    if (r.start == region.start && r.size == region.size &&
        r.writable == region.writable)
      return;
  }
  added_.push_back(region);
}

Result<void> RunContext::check_access(uint64_t addr, uint64_t size,
                                      bool write) const {
  if (mode_ != MemoryMode::Checked || allowed(addr, size, write))
    return {};
  return make_error(ErrorCode::Unsafe, describe_fault(addr, size, write));
}

void RunContext::stop(uint64_t r0) {
  if (status_ == Status::Running) {
    status_ = Status::Stopped;
    stop_value_ = r0;
  }
}

void RunContext::fail(Error error) {
  status_ = Status::Failed;
  error_ = std::move(error);
}

bool RunContext::in_regions(uint64_t addr, uint64_t size, bool write) const {
  for (const MemoryRegion &r : env_->regions) {
    if (contains(r, addr, size) && (r.writable || !write))
      return true;
  }
  for (const MemoryRegion &r : added_) {
    if (contains(r, addr, size) && (r.writable || !write))
      return true;
  }
  return false;
}

std::string RunContext::describe_fault(uint64_t addr, uint64_t size,
                                       bool write) const {
  const std::string access =
      std::string("invalid ") + (write ? "write" : "read") + " of " +
      std::to_string(size) + (size == 1 ? " byte at " : " bytes at ");
  // A region the access touches explains it best.
  auto explain = [&](const MemoryRegion &r) -> std::string {
    if (contains(r, addr, size))
      return access + detail::hex(addr) + ": region " + region_text(r) +
             " is read-only";
    return access + detail::hex(addr) + ": not inside region " + region_text(r);
  };
  for (const MemoryRegion &r : env_->regions) {
    if (overlaps(r.start, r.size, addr, size))
      return explain(r);
  }
  for (const MemoryRegion &r : added_) {
    if (overlaps(r.start, r.size, addr, size))
      return explain(r);
  }
  const uint64_t frame = frame_pointer_ - stack_low_;
  if (near_stack(addr) && addr < stack_low_)
    return access + where(addr) + ": stack overflow (below the " +
           std::to_string(frame) + "-byte stack frame)";
  if (near_stack(addr) && addr + size > stack_top_)
    return access + where(addr) +
           ": stack underflow (above the top of the stack)";
  return access + where(addr) + ": outside the stack and every memory region";
}

bool RunContext::near_stack(uint64_t addr) const {
  return addr >= stack_top_ - kStackBufferBytes - kMaxStackBytes &&
         addr < stack_top_ + kMaxStackBytes;
}

std::string RunContext::where(uint64_t addr) const {
  if (mode_ != MemoryMode::Checked || !near_stack(addr))
    return detail::hex(addr);
  return addr < frame_pointer_ ? "fp-" + std::to_string(frame_pointer_ - addr)
                               : "fp+" + std::to_string(addr - frame_pointer_);
}

} // namespace bpfhost::vm
