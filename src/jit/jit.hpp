// The x86-64 JIT: compile a program once into machine code, then run it any
// number of times, from any number of threads at once, with the same RunEnv,
// helpers (vm::HelperTable, vm::RunContext), results and errors as the
// interpreter (vm/vm.hpp):
//   - Checked mode (unverified programs): every load, store and atomic is
//     checked against the call chain's stack and the run's regions; helper
//     ids, call depth, stack per chain and the instruction budget too. A
//     violation ends the run with the interpreter's error, naming the
//     instruction. The budget is charged per basic block, so a run that
//     exhausts it may stop a few instructions earlier than the interpreter.
//   - Unchecked mode (verified programs): no checks. r1..r5 are undefined
//     after a helper call (the interpreter keeps them; checked JIT code too).
// Code is generated lazily, per mode, on first use (or by prepare()), into
// memory that is never writable and executable at once.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "isa/raw_insn.hpp"
#include "support/result.hpp"
#include "vm/vm.hpp"

namespace bpfhost::jit {

// Whether this build can run JIT code on this host (x86-64 System V today).
bool available();

// The machine code variants a program can run as.
enum class CodeVariant : uint8_t {
  Checked,   // MemoryMode::Checked
  Unchecked, // MemoryMode::Unchecked without executed_count
  Counting,  // MemoryMode::Unchecked with executed_count
};

// The variant that run() uses for `env`.
CodeVariant variant_for(const vm::RunEnv &env);

// A compiled program: immutable once built, cheap to copy, safe to run
// concurrently.
class CompiledProgram {
public:
  // Validates and decodes the slots (as vm::Program::load does, with the same
  // refusals: lddw with a pseudo source, kfunc calls) and prepares them for
  // code generation. No machine code is generated yet.
  static Result<CompiledProgram> compile(std::span<const isa::RawInsn> slots);

  // Generates the machine code of `variant` now, if not done yet; run()
  // otherwise does it on first use.
  Result<void> prepare(CodeVariant variant) const;

  // Number of instruction slots the program was compiled from.
  size_t slot_count() const;
  // Bytes of machine code of a prepared variant (0 when not prepared).
  size_t code_size(CodeVariant variant) const;

  struct Impl;

private:
  friend Result<uint64_t> run(const CompiledProgram &program,
                              const vm::RunEnv &env);
  explicit CompiledProgram(std::shared_ptr<Impl> impl)
      : impl_(std::move(impl)) {}
  std::shared_ptr<Impl> impl_;
};

// Runs `program` to its exit and returns r0, or the error that stopped it.
Result<uint64_t> run(const CompiledProgram &program, const vm::RunEnv &env);

} // namespace bpfhost::jit
