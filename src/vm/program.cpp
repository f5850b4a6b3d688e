// Program::load: validate, decode, and lower the IR into VmInsn records.
#include <algorithm>
#include <string>
#include <variant>

#include "isa/decode.hpp"
#include "isa/validate.hpp"
#include "vm/frame_layout.hpp"
#include "vm/lower.hpp"
#include "vm/lowered.hpp"

namespace bpfhost::vm {
namespace {

using detail::Handler;
using detail::is_movsx;
using detail::SlotInsn;
using detail::VmInsn;

Error insn_error(ErrorCode code, uint32_t slot, std::string message) {
  return make_error(code, std::move(message), "insn " + std::to_string(slot));
}

const char *lddw_kind_name(isa::LddwKind kind) {
  switch (kind) {
  case isa::LddwKind::Imm:
    return "imm";
  case isa::LddwKind::MapFd:
    return "map fd";
  case isa::LddwKind::MapValue:
    return "map value";
  case isa::LddwKind::BtfId:
    return "BTF id";
  case isa::LddwKind::Func:
    return "function";
  case isa::LddwKind::MapIdx:
    return "map index";
  case isa::LddwKind::MapIdxValue:
    return "map index value";
  }
  return "?";
}

// What the interpreter cannot run, in the first instruction that has it.
Result<void> check_supported(std::span<const SlotInsn> insns) {
  for (const SlotInsn &si : insns) {
    if (const auto *lddw = std::get_if<isa::LoadImm64>(&si.insn);
        lddw && lddw->kind != isa::LddwKind::Imm) {
      return insn_error(ErrorCode::InvalidInput, si.slot,
                        std::string("lddw with pseudo source ") +
                            std::to_string(static_cast<int>(lddw->kind)) +
                            " (" + lddw_kind_name(lddw->kind) +
                            ") must be resolved to a plain 64-bit immediate "
                            "before execution");
    }
    if (std::holds_alternative<isa::CallBtf>(si.insn))
      return insn_error(
          ErrorCode::NotSupported, si.slot,
          "kfunc calls (call by BTF id) are not supported by the interpreter");
  }
  return {};
}

// The mov of "mov dst, src; <alu> dst, x" that can merge into the ALU step
// dst = src <alu> x, or nullptr.
const isa::Alu *fusable_mov(const isa::Insn &first, const isa::Insn &second) {
  const auto *mov = std::get_if<isa::Alu>(&first);
  const auto *alu = std::get_if<isa::Alu>(&second);
  if (!mov || !alu || mov->op != isa::AluOp::Mov ||
      !std::holds_alternative<isa::Reg>(mov->src) ||
      alu->op == isa::AluOp::Mov || is_movsx(alu->op) || alu->dst != mov->dst)
    return nullptr;
  // mov32 zero-extends, which a following 64-bit operation would see.
  if (!mov->is64 && alu->is64)
    return nullptr;
  return mov;
}

} // namespace

Result<Program> Program::load(std::span<const isa::RawInsn> slots,
                              const LoadOptions &options) {
  if (Result<void> valid = isa::validate(slots); !valid)
    return valid.error();
  BPFHOST_TRY(decoded, isa::decode(slots));
  std::vector<SlotInsn> insns;
  insns.reserve(decoded.size());
  uint32_t slot = 0;
  for (isa::Insn &insn : decoded) {
    const unsigned n = isa::slot_count(insn);
    insns.push_back({std::move(insn), slot});
    slot += n;
  }
  if (Result<void> supported = check_supported(insns); !supported)
    return supported.error();

  auto impl = std::make_shared<Impl>();
  impl->slot_count = slots.size();
  const std::vector<detail::FunctionLayout> layout =
      detail::layout_functions(insns);

  // Slots something jumps or calls to: a fused pair must not straddle one.
  std::vector<bool> is_target(slots.size() + 1, false);
  for (const SlotInsn &si : insns) {
    if (const auto *jump = std::get_if<isa::Jump>(&si.insn))
      is_target[detail::branch_target(si.slot, jump->offset)] = true;
  }
  for (const detail::FunctionLayout &f : layout)
    is_target[f.first_slot] = true;

  std::vector<uint32_t> record_of_slot(slots.size(), 0);
  std::vector<detail::VmInsn> &code = impl->code;
  code.reserve(slots.size());
  for (size_t i = 0; i < insns.size(); ++i) {
    const SlotInsn &si = insns[i];
    record_of_slot[si.slot] = static_cast<uint32_t>(code.size());
    const isa::Alu *mov = nullptr;
    if (options.fuse_instructions && i + 1 < insns.size() &&
        !is_target[insns[i + 1].slot])
      mov = fusable_mov(si.insn, insns[i + 1].insn);
    if (mov != nullptr) {
      VmInsn v = detail::lower(insns[i + 1], layout);
      const uint8_t from = std::get<isa::Reg>(mov->src).index;
      v.lhs = from;
      if (v.src == v.dst && std::holds_alternative<isa::Reg>(
                                std::get<isa::Alu>(insns[i + 1].insn).src))
        v.src = from;
      v.weight = 2;
      record_of_slot[insns[i + 1].slot] = static_cast<uint32_t>(code.size());
      code.push_back(v);
      ++i;
      continue;
    }
    code.push_back(detail::lower(si, layout));
    if (const auto *lddw = std::get_if<isa::LoadImm64>(&si.insn)) {
      VmInsn high;
      high.handler = Handler::Exit; // never dispatched: Lddw skips it
      high.weight = 0;
      high.imm = lddw->next_imm;
      high.insn = si.slot + 1;
      record_of_slot[si.slot + 1] = static_cast<uint32_t>(code.size());
      code.push_back(high);
    }
  }

  // Jump targets become deltas from the next record. A record distance never
  // exceeds the slot distance, so a conditional jump's delta fits in off.
  for (size_t i = 0; i < insns.size(); ++i) {
    const auto *jump = std::get_if<isa::Jump>(&insns[i].insn);
    if (!jump)
      continue;
    const uint32_t from = record_of_slot[insns[i].slot];
    const uint32_t to =
        record_of_slot[detail::branch_target(insns[i].slot, jump->offset)];
    const int64_t delta =
        static_cast<int64_t>(to) - (static_cast<int64_t>(from) + 1);
    if (code[from].handler == Handler::Ja)
      code[from].imm = static_cast<int32_t>(delta);
    else
      code[from].off = static_cast<int16_t>(delta);
  }
  for (const detail::FunctionLayout &f : layout) {
    impl->functions.push_back(
        {record_of_slot[f.first_slot], f.frame_size, f.stack_depth});
    impl->function_slots.push_back(f.first_slot);
  }
  return Program(std::move(impl));
}

size_t Program::slot_count() const { return impl_->slot_count; }
size_t Program::function_count() const { return impl_->functions.size(); }

uint32_t Program::frame_size_at(size_t slot) const {
  const auto &slots = impl_->function_slots;
  auto it = std::find(slots.begin(), slots.end(), slot);
  return it == slots.end()
             ? 0
             : impl_->functions[static_cast<size_t>(it - slots.begin())]
                   .frame_size;
}

} // namespace bpfhost::vm
