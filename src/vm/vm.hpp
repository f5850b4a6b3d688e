// The eBPF interpreter: load a program once (validate, decode, lower into a
// compact threaded form), then run it any number of times, from any number of
// threads at once, in one of two memory modes:
//   - Checked: for programs nobody verified. Every load, store and atomic must
//     fall inside the live stack frames or a region the caller (or a helper)
//     registered; helper ids, the call depth, the stack of a call chain and an
//     instruction budget are checked too. A violation ends the run with an
//     Error naming the instruction; it never crashes the host.
//   - Unchecked: for verified programs. No checks at all.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "isa/raw_insn.hpp"
#include "support/result.hpp"

namespace bpfhost::vm {

class RunContext;

// A helper function: the five argument registers r1..r5 in, r0 out. `ctx`
// gives access to the current run (registering memory the program may then
// touch, checking pointer arguments, stopping the program, caller data).
using HelperFn = uint64_t (*)(RunContext &ctx, uint64_t r1, uint64_t r2,
                              uint64_t r3, uint64_t r4, uint64_t r5);

// Helpers by Linux helper id (`call imm`, and `callx` with the id in a
// register). Ids are small, so the table is a dense array.
class HelperTable {
public:
  // The largest helper id accepted by set(), exclusive.
  static constexpr uint32_t kMaxId = 1u << 16;

  // Makes `fn` the helper with this id (replacing any previous one). Fails
  // when id is negative or not below kMaxId.
  Result<void> set(int64_t id, HelperFn fn);
  // The helper with this id, or nullptr.
  HelperFn find(int64_t id) const {
    return id >= 0 && static_cast<uint64_t>(id) < fns_.size()
               ? fns_[static_cast<size_t>(id)]
               : nullptr;
  }
  // Indexed by id; unset ids hold nullptr.
  std::span<const HelperFn> entries() const { return fns_; }

private:
  std::vector<HelperFn> fns_;
};

// A range of host memory a program may access in checked mode.
struct MemoryRegion {
  uint64_t start = 0; // host address
  uint64_t size = 0;  // bytes
  bool writable = false;
};

enum class MemoryMode : uint8_t {
  Checked,   // every access and call checked (unverified programs)
  Unchecked, // no checks: the program has been verified
};

// How a program is prepared. Every field has a default that suits both modes.
struct LoadOptions {
  // Merge "mov dst, src" with a following ALU instruction on dst into one
  // three-operand step (never across a jump target). Results, errors and
  // instruction counts are the same either way; off only for tests.
  bool fuse_instructions = true;
};

// The default instruction budget of a checked run: about a second of work.
inline constexpr uint64_t kDefaultInsnBudget = 500'000'000;

// The eBPF call frame limit (Linux MAX_CALL_FRAMES) and stack per chain
// (MAX_BPF_STACK).
inline constexpr unsigned kMaxFrames = 8;
inline constexpr uint32_t kMaxStackBytes = 512;

// Everything one run needs besides the program. Spans and pointers are
// borrowed for the duration of run().
struct RunEnv {
  MemoryMode mode = MemoryMode::Checked;
  // Initial r1 and r2 (the context pointer; the conformance suite passes its
  // memory in r1 and the memory's length in r2). Other registers start at 0,
  // r10 at the top of the stack.
  uint64_t r1 = 0;
  uint64_t r2 = 0;
  // Checked mode: memory the program may access besides its stack frames.
  // Unchecked mode ignores it.
  std::span<const MemoryRegion> regions;
  // Helpers for `call imm` and `callx`; nullptr means none.
  const HelperTable *helpers = nullptr;
  // The packet that the legacy LD_ABS / LD_IND instructions read (both modes
  // bound-check them: out of bounds ends the program with r0 = 0).
  std::span<const uint8_t> packet;
  // Checked mode: the run fails once it would execute more instructions than
  // this (lddw and each half of a fused pair count as one). Unchecked: unused.
  uint64_t insn_budget = kDefaultInsnBudget;
  // When set, receives the number of instructions executed (also when the run
  // fails). Unchecked runs count only when this is set (a slightly slower
  // loop).
  uint64_t *executed_count = nullptr;
  // Whatever the caller wants its helpers to see (RunContext::user_data()).
  void *user_data = nullptr;
};

// A loaded program: immutable, cheap to copy, safe to run concurrently.
class Program {
public:
  // Validates the instruction slots (isa::validate), decodes them and lowers
  // them for the interpreter. Rejects what the loader must resolve first
  // (lddw with a pseudo source such as a map fd) and what the interpreter
  // does not support (kfunc calls), naming the instruction.
  static Result<Program> load(std::span<const isa::RawInsn> slots,
                              const LoadOptions &options = {});

  // Number of instruction slots the program was loaded from.
  size_t slot_count() const;
  // Number of functions (the entry plus every BPF-to-BPF call target).
  size_t function_count() const;
  // The stack bytes the function starting at a given slot gets: the deepest
  // r10-relative access rounded up to 16, or kMaxStackBytes when the function
  // lets r10 escape (copies it, stores it, computes with it). 0 if no function
  // starts at `slot`.
  uint32_t frame_size_at(size_t slot) const;

  struct Impl; // the lowered form (lowered.hpp)

private:
  friend Result<uint64_t> run(const Program &program, const RunEnv &env);
  const Impl &impl() const { return *impl_; }
  explicit Program(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

// Runs `program` to its exit and returns r0, or the error that stopped it.
Result<uint64_t> run(const Program &program, const RunEnv &env);

// What a helper sees of the run that called it. It lives on the stack of
// run(): valid during the helper call only.
class RunContext {
public:
  RunContext(const RunContext &) = delete;
  RunContext &operator=(const RunContext &) = delete;

  MemoryMode mode() const { return mode_; }
  void *user_data() const { return env_->user_data; }

  // Lets the program access [start, start+size) for the rest of this run, e.g.
  // a map value a helper returns. Checked mode only; a no-op when unchecked.
  void add_region(const MemoryRegion &region);

  // Checked mode: whether the program may access [addr, addr+size) (for
  // pointer arguments of helpers); the error names the address and size.
  // Unchecked mode: always succeeds.
  Result<void> check_access(uint64_t addr, uint64_t size, bool write) const;

  // Ends the program once the helper returns: with r0 = `r0` (stop), or with
  // `error` (fail; run() returns it with "insn N", the call, prefixed to its
  // location). Both work in either mode.
  void stop(uint64_t r0);
  void fail(Error error);

private:
  friend class Interpreter;
  enum class Status : uint8_t { Running, Stopped, Failed };

  RunContext(const RunEnv &env, uint64_t stack_top)
      : env_(&env), mode_(env.mode), stack_low_(stack_top),
        stack_top_(stack_top), frame_pointer_(stack_top) {}
  bool in_regions(uint64_t addr, uint64_t size, bool write) const;
  bool allowed(uint64_t addr, uint64_t size, bool write) const {
    if (addr >= stack_low_ && addr <= stack_top_ && size <= stack_top_ - addr)
      return true;
    return in_regions(addr, size, write);
  }
  // The message for an access that allowed() rejected.
  std::string describe_fault(uint64_t addr, uint64_t size, bool write) const;
  // Whether addr is in or just around the interpreter's stack.
  bool near_stack(uint64_t addr) const;
  // An address as messages show it: "fp-16" near the stack, else "0x1f00".
  std::string where(uint64_t addr) const;

  const RunEnv *env_;
  MemoryMode mode_;
  Status status_ = Status::Running;
  uint64_t stack_low_;     // lowest byte of the current frame (checked mode)
  uint64_t stack_top_;     // one past the highest byte of the first frame
  uint64_t frame_pointer_; // r10 of the current frame, for messages
  uint64_t stop_value_ = 0;
  Error error_; // what ends a failed run (a helper's or the interpreter's)
  std::vector<MemoryRegion> added_; // regions helpers added
};

} // namespace bpfhost::vm
