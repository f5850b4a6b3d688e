#include "jit/code_plan.hpp"

#include <algorithm>
#include <string>
#include <variant>

#include "isa/decode.hpp"
#include "isa/validate.hpp"

namespace bpfhost::jit::detail {
namespace {

Error insn_error(ErrorCode code, uint32_t slot, std::string message) {
  return make_error(code, std::move(message), "insn " + std::to_string(slot));
}

// What the JIT cannot run, in the first instruction that has it (the same
// refusals as vm::Program::load).
Result<void> check_supported(std::span<const vm::detail::SlotInsn> insns) {
  for (const vm::detail::SlotInsn &si : insns) {
    if (const auto *lddw = std::get_if<isa::LoadImm64>(&si.insn);
        lddw && lddw->kind != isa::LddwKind::Imm)
      return insn_error(ErrorCode::InvalidInput, si.slot,
                        "lddw with pseudo source " +
                            std::to_string(static_cast<int>(lddw->kind)) +
                            " must be resolved to a plain 64-bit immediate "
                            "before execution");
    if (std::holds_alternative<isa::CallBtf>(si.insn))
      return insn_error(
          ErrorCode::NotSupported, si.slot,
          "kfunc calls (call by BTF id) are not supported by the JIT");
  }
  return {};
}

// Whether control may leave the straight line after this instruction (a
// packet load out of bounds ends the program).
bool ends_block(const isa::Insn &insn) {
  return std::holds_alternative<isa::Jump>(insn) ||
         std::holds_alternative<isa::PacketLoad>(insn) ||
         std::holds_alternative<isa::Call>(insn) ||
         std::holds_alternative<isa::CallX>(insn) ||
         std::holds_alternative<isa::CallLocal>(insn) ||
         std::holds_alternative<isa::Exit>(insn);
}

} // namespace

uint32_t CodePlan::function_at_slot(uint32_t slot) const {
  auto it = std::lower_bound(functions.begin(), functions.end(), slot,
                             [](const vm::detail::FunctionLayout &f,
                                uint32_t s) { return f.first_slot < s; });
  return static_cast<uint32_t>(it - functions.begin());
}

Result<CodePlan> make_code_plan(std::span<const isa::RawInsn> slots) {
  if (Result<void> valid = isa::validate(slots); !valid)
    return valid.error();
  BPFHOST_TRY(decoded, isa::decode(slots));
  CodePlan plan;
  plan.slot_count = slots.size();
  plan.insns.reserve(decoded.size());
  plan.index_of_slot_.assign(slots.size() + 1, 0);
  uint32_t slot = 0;
  for (isa::Insn &insn : decoded) {
    const unsigned n = isa::slot_count(insn);
    plan.index_of_slot_[slot] = static_cast<uint32_t>(plan.insns.size());
    plan.insns.push_back({std::move(insn), slot});
    slot += n;
  }
  if (Result<void> supported = check_supported(plan.insns); !supported)
    return supported.error();
  plan.functions = vm::detail::layout_functions(plan.insns);

  const size_t n = plan.insns.size();
  plan.is_jump_target.assign(n, false);
  std::vector<bool> leader(n, false);
  for (const vm::detail::SlotInsn &si : plan.insns) {
    if (const auto *jump = std::get_if<isa::Jump>(&si.insn)) {
      const uint32_t to =
          plan.index_of_slot(vm::detail::branch_target(si.slot, jump->offset));
      plan.is_jump_target[to] = true;
      leader[to] = true;
    }
  }
  plan.function_of.assign(n, 0);
  uint32_t function = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t at = plan.insns[i].slot;
    while (function + 1 < plan.functions.size() &&
           plan.functions[function + 1].first_slot <= at)
      ++function;
    plan.function_of[i] = function;
    if (plan.functions[function].first_slot == at || i == 0)
      leader[i] = true;
    if (i > 0 && ends_block(plan.insns[i - 1].insn))
      leader[i] = true;
  }
  plan.block_size.assign(n, 0);
  size_t start = 0;
  for (size_t i = 1; i <= n; ++i) {
    if (i == n || leader[i]) {
      plan.block_size[start] = static_cast<uint32_t>(i - start);
      start = i;
    }
  }
  return plan;
}

} // namespace bpfhost::jit::detail
