#include "vm/frame_layout.hpp"

#include <algorithm>
#include <variant>

#include "vm/vm.hpp"

namespace bpfhost::vm::detail {
namespace {

constexpr uint8_t kR10 = isa::kFrameRegister;

bool is_r10(const isa::Operand &operand) {
  const auto *reg = std::get_if<isa::Reg>(&operand);
  return reg != nullptr && reg->index == kR10;
}

// What one instruction does with r10: the stack bytes it reaches below r10
// (0 if none), and whether r10's value escapes into another place.
struct FrameUse {
  uint32_t depth = 0;
  bool escapes = false;
};

FrameUse access(uint8_t base, int16_t off) {
  if (base != kR10 || off >= 0)
    return {};
  return {static_cast<uint32_t>(-static_cast<int32_t>(off)), false};
}

struct FrameUseVisitor {
  FrameUse operator()(const isa::Alu &i) const { return {0, is_r10(i.src)}; }
  FrameUse operator()(const isa::Neg &) const { return {}; }
  FrameUse operator()(const isa::Endian &) const { return {}; }
  FrameUse operator()(const isa::Load &i) const {
    return access(i.base.index, i.off);
  }
  FrameUse operator()(const isa::Store &i) const {
    FrameUse use = access(i.base.index, i.off);
    use.escapes = is_r10(i.value);
    return use;
  }
  FrameUse operator()(const isa::Atomic &i) const {
    FrameUse use = access(i.base.index, i.off);
    use.escapes = i.src.index == kR10;
    return use;
  }
  // Comparing r10 or calling through it does not copy it anywhere.
  FrameUse operator()(const isa::Jump &) const { return {}; }
  FrameUse operator()(const isa::Call &) const { return {}; }
  FrameUse operator()(const isa::CallLocal &) const { return {}; }
  FrameUse operator()(const isa::CallBtf &) const { return {}; }
  FrameUse operator()(const isa::CallX &) const { return {}; }
  FrameUse operator()(const isa::Exit &) const { return {}; }
  FrameUse operator()(const isa::LoadImm64 &) const { return {}; }
  FrameUse operator()(const isa::PacketLoad &) const { return {}; }
};

uint32_t round_up_16(uint32_t bytes) { return (bytes + 15) & ~15u; }

} // namespace

std::vector<FunctionLayout> layout_functions(std::span<const SlotInsn> insns) {
  std::vector<uint32_t> starts{0};
  for (const SlotInsn &si : insns) {
    if (const auto *call = std::get_if<isa::CallLocal>(&si.insn))
      starts.push_back(branch_target(si.slot, call->offset));
  }
  std::sort(starts.begin(), starts.end());
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());

  std::vector<FunctionLayout> functions(starts.size());
  std::vector<bool> escapes(starts.size(), false);
  size_t current = 0;
  for (const SlotInsn &si : insns) {
    while (current + 1 < starts.size() && starts[current + 1] <= si.slot)
      ++current;
    const FrameUse use = std::visit(FrameUseVisitor{}, si.insn);
    functions[current].stack_depth =
        std::max(functions[current].stack_depth, use.depth);
    escapes[current] = escapes[current] || use.escapes;
  }
  for (size_t i = 0; i < functions.size(); ++i) {
    FunctionLayout &f = functions[i];
    f.first_slot = starts[i];
    f.stack_depth = std::min(round_up_16(f.stack_depth), kMaxStackBytes);
    f.frame_size = escapes[i] ? kMaxStackBytes : f.stack_depth;
  }
  return functions;
}

} // namespace bpfhost::vm::detail
