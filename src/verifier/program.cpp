#include "verifier/program.hpp"

#include <algorithm>

#include "isa/decode.hpp"

namespace bpfhost::verifier {

int64_t Program::index_of_slot(int64_t slot_index) const {
  auto it =
      std::lower_bound(slot.begin(), slot.end(),
                       static_cast<uint32_t>(std::max<int64_t>(0, slot_index)));
  if (slot_index < 0 || it == slot.end() || *it != slot_index)
    return -1;
  return it - slot.begin();
}

Result<Program> make_program(std::span<const isa::RawInsn> slots) {
  BPFHOST_TRY(insns, isa::decode(slots));
  Program p;
  uint32_t s = 0;
  for (const isa::Insn &insn : insns) {
    p.slot.push_back(s);
    s += isa::slot_count(insn);
  }
  p.insns = std::move(insns);
  return p;
}

} // namespace bpfhost::verifier
