// libFuzzer target: random bytes as a BPF ELF object. Property: the loader
// gives an error or an ObjectSpec, never a crash, hang or out-of-bounds read;
// and what it gives is consistent: every map reference is an lddw naming an
// existing map, functions tile their program, line info and initial slots
// point inside the object.
#include <cstdint>
#include <cstdlib>

#include "object/load_object.hpp"

namespace {

using namespace bpfhost::object;

void check_program(const ObjectSpec &object, const ProgramSpec &p) {
  for (const MapReference &ref : p.map_refs)
    if (ref.map >= object.maps.size() || ref.insn + 1 >= p.insns.size() ||
        p.insns[ref.insn].opcode != 0x18 ||
        p.insns[ref.insn].imm != static_cast<int32_t>(ref.map) ||
        (ref.kind == MapRefKind::Value &&
         p.insns[ref.insn + 1].imm != static_cast<int32_t>(ref.offset)))
      std::abort(); // a map reference that does not match its lddw
  size_t next = 0;
  for (const FunctionRange &f : p.functions) {
    if (f.first_insn != next)
      std::abort(); // functions must follow each other
    next += f.insn_count;
  }
  if (next != p.insns.size())
    std::abort(); // functions must cover the program exactly
  for (const LineInfo &line : p.line_info)
    if (line.insn >= p.insns.size())
      std::abort();
  for (const CoreRelocation &relo : p.core_relocations)
    if (relo.insn >= p.insns.size())
      std::abort();
  if (p.insns.empty() && !p.error)
    std::abort(); // a program without instructions must say why
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  auto result = load_object({data, size}, "fuzz.o");
  if (!result) {
    if (result.error().message.empty())
      std::abort(); // an error must say what went wrong
    return 0;
  }
  for (const ProgramSpec &p : result->programs)
    check_program(*result, p);
  for (const MapSpec &m : result->maps)
    for (const MapSlot &slot : m.slots)
      if (slot.index >= (slot.kind == MapSlot::Kind::Map
                             ? result->maps.size()
                             : result->programs.size()))
        std::abort();
  return 0;
}
