// libFuzzer target: random text through both assemblers. Property: an error
// or instructions, never a crash; what assembles disassembles to text that
// assembles to the same slots.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "isa/asm_parse.hpp"
#include "isa/disasm.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace bpfhost::isa;
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  for (Syntax syntax : {Syntax::Conformance, Syntax::Bpftool}) {
    auto slots = assemble(text, syntax);
    if (!slots)
      continue;
    auto again = assemble(disassemble(*slots, syntax), syntax);
    if (!again || *again != *slots)
      std::abort();
  }
  return 0;
}
