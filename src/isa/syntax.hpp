// The two assembly syntaxes bpfhost reads and writes.
#pragma once

namespace bpfhost::isa {

enum class Syntax {
  // bpf_conformance's assembler syntax, as the corpus .data files write it
  // ("mov32 %r0, 0", "ldxdw %r0, [%r1+2]", "jeq %r1, 5, +3").
  Conformance,
  // The pseudo-C of `bpftool prog dump xlated` and the kernel verifier log
  // (kernel/bpf/disasm.c: "r0 = 1", "if r1 > 0x5 goto pc+3"); on input also
  // PREVAIL's and LLVM's variants of it.
  Bpftool,
};

} // namespace bpfhost::isa
