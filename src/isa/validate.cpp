#include "isa/validate.hpp"

#include <string>
#include <vector>

#include "isa/decode.hpp"
#include "isa/overloaded.hpp"

namespace bpfhost::isa {
namespace {

Error insn_error(size_t pc, std::string message) {
  return make_error(ErrorCode::InvalidInput, std::move(message),
                    "insn " + std::to_string(pc));
}

// The register an instruction writes, if any (r0 for calls is not counted:
// calls cannot name r10).
std::optional<Reg> written_register(const Insn &insn) {
  return std::visit(
      overloaded{
          [](const Alu &a) -> std::optional<Reg> { return a.dst; },
          [](const Neg &n) -> std::optional<Reg> { return n.dst; },
          [](const Endian &e) -> std::optional<Reg> { return e.dst; },
          [](const Load &l) -> std::optional<Reg> { return l.dst; },
          [](const LoadImm64 &l) -> std::optional<Reg> { return l.dst; },
          [](const Atomic &a) -> std::optional<Reg> {
            if (a.fetch && a.op != AtomicOp::CmpXchg)
              return a.src;
            return std::nullopt;
          },
          [](const Store &) -> std::optional<Reg> { return std::nullopt; },
          [](const Jump &) -> std::optional<Reg> { return std::nullopt; },
          [](const Call &) -> std::optional<Reg> { return std::nullopt; },
          [](const CallLocal &) -> std::optional<Reg> { return std::nullopt; },
          [](const CallBtf &) -> std::optional<Reg> { return std::nullopt; },
          [](const CallX &) -> std::optional<Reg> { return std::nullopt; },
          [](const Exit &) -> std::optional<Reg> { return std::nullopt; },
          [](const PacketLoad &) -> std::optional<Reg> { return std::nullopt; },
      },
      insn);
}

// The pc-relative target of a jump, local call or function-address lddw.
std::optional<int64_t> relative_target(const Insn &insn) {
  if (auto *j = std::get_if<Jump>(&insn))
    return j->offset;
  if (auto *c = std::get_if<CallLocal>(&insn))
    return c->offset;
  if (auto *l = std::get_if<LoadImm64>(&insn); l && l->kind == LddwKind::Func)
    return l->imm;
  return std::nullopt;
}

bool falls_through(const Insn &insn) {
  if (std::holds_alternative<Exit>(insn))
    return false;
  if (auto *j = std::get_if<Jump>(&insn))
    return j->cond != JumpCond::Always;
  return true;
}

} // namespace

Result<void> validate(std::span<const RawInsn> slots) {
  if (slots.empty())
    return make_error(ErrorCode::InvalidInput, "program has no instructions");
  if (slots.size() > kMaxProgramSlots)
    return make_error(ErrorCode::InvalidInput,
                      "program has " + std::to_string(slots.size()) +
                          " instructions, more than the limit of " +
                          std::to_string(kMaxProgramSlots));
  // Pass 1: decode, and mark where instructions start.
  std::vector<bool> starts(slots.size(), false);
  std::vector<std::pair<size_t, Insn>> insns;
  insns.reserve(slots.size());
  for (size_t pc = 0; pc < slots.size();) {
    auto insn = decode_at(slots, pc);
    if (!insn)
      return insn.error();
    if (auto reg = written_register(*insn); reg && reg->index == kFrameRegister)
      return insn_error(pc, "writes r10, the read-only frame pointer");
    starts[pc] = true;
    const size_t next = pc + slot_count(*insn);
    insns.emplace_back(pc, std::move(insn).value());
    pc = next;
  }
  // Pass 2: every target is an instruction start inside the program.
  for (const auto &[pc, insn] : insns) {
    auto offset = relative_target(insn);
    if (!offset)
      continue;
    const int64_t target = static_cast<int64_t>(pc) + 1 + *offset;
    if (target < 0 || target >= static_cast<int64_t>(slots.size()))
      return insn_error(pc, "jump target " + std::to_string(target) +
                                " is outside the program (0.." +
                                std::to_string(slots.size() - 1) + ")");
    if (!starts[static_cast<size_t>(target)])
      return insn_error(pc, "jump target " + std::to_string(target) +
                                " is the second slot of an lddw");
  }
  const auto &[last_pc, last] = insns.back();
  if (falls_through(last))
    return insn_error(last_pc, "execution can fall off the end of the program "
                               "(the last instruction must be exit or goto)");
  return {};
}

} // namespace bpfhost::isa
