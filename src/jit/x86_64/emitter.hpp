// Lowers a CodePlan to x86-64 machine code with xbyak. One emitter per
// operation family (ALU, memory, atomics, control); width and operand kind are
// parameters, never a second copy of the code (STYLE.md §8, anti-pattern 2).
// The host calling convention lives apart (abi.hpp, abi_sysv.cpp).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include <xbyak/xbyak.h>

#include "isa/ir.hpp"
#include "jit/code_plan.hpp"
#include "jit/run_state.hpp"

namespace bpfhost::jit::x86_64 {

// Which checks and counters the code carries.
struct Variant {
  bool checked = false;  // bounds, helper ids, frames, budget
  bool counting = false; // executed instructions (implied by checked)
};

// Addresses and offsets the code needs from the runtime.
struct RuntimeLinks {
  const void *check_access = nullptr; // detail::check_access
  uint32_t ctx_status = 0;            // ContextAccess::status_offset()
  uint32_t ctx_stack_low = 0;
  uint32_t ctx_frame_pointer = 0;
};

class Emitter : public Xbyak::CodeGenerator {
public:
  // Generates into [buffer, buffer + size); throws Xbyak::Error when full.
  Emitter(const detail::CodePlan &plan, Variant variant, RuntimeLinks links,
          void *buffer, size_t size);

  // Emits the entry sequence, every function, and the out-of-line paths.
  // The code is `uint64_t entry(detail::RunState *)`, at offset 0.
  void emit_program();

  // The instruction families (std::visit over isa::Insn: one overload per
  // alternative and no catch-all, so a new alternative breaks the build).
  void operator()(const isa::Alu &i);
  void operator()(const isa::Neg &i);
  void operator()(const isa::Endian &i);
  void operator()(const isa::Load &i);
  void operator()(const isa::Store &i);
  void operator()(const isa::Atomic &i);
  void operator()(const isa::Jump &i);
  void operator()(const isa::Call &i);
  void operator()(const isa::CallLocal &i);
  void operator()(const isa::CallBtf &i);
  void operator()(const isa::CallX &i);
  void operator()(const isa::Exit &i);
  void operator()(const isa::LoadImm64 &i);
  void operator()(const isa::PacketLoad &i);

private:
  // An out-of-line path ending the run: records why, then aborts.
  struct ExitStub {
    Xbyak::Label entry;
    detail::ExitKind kind = detail::ExitKind::None;
    uint32_t insn = 0;
    std::optional<int> value_reg; // host register holding exit_value
    uint64_t value = 0;           // else this constant
    uint64_t size = 0;
    uint32_t refund = 0; // instructions to give back to the budget
  };
  // The slow path of a checked access: asks the runtime, resumes or aborts.
  struct AccessStub {
    Xbyak::Label entry;
    Xbyak::Label resume;
    uint32_t size = 0;
    bool write = false;
    uint32_t insn = 0;
  };

  // Register operands: the host register of a BPF register at 8/16/32/64 bits.
  static Xbyak::Reg64 host(isa::Reg r);
  static Xbyak::Reg sized(isa::Reg r, unsigned bits);
  static Xbyak::Reg64 scratch(int code) { return Xbyak::Reg64(code); }
  const Xbyak::AddressFrame &frame(unsigned bytes) const;
  // A field of RunState, addressed from the state register.
  Xbyak::Address state(size_t offset, unsigned bytes = 8) const;

  // ALU helpers (emit_alu.cpp).
  void binary(const isa::Alu &i);
  void multiply(const isa::Alu &i);
  void divide(const isa::Alu &i);
  void shift(const isa::Alu &i);
  void move_sign_extended(const isa::Alu &i);

  // The memory operand of an access; in checked mode the address is first
  // computed into a scratch register and checked (emit_memory.cpp).
  Xbyak::RegExp address(isa::Reg base, int16_t off, unsigned size, bool write,
                        bool atomic);
  void atomic_fetch_loop(const isa::Atomic &i, const Xbyak::RegExp &at);

  // Control helpers (emit_control.cpp).
  void count_block(uint32_t size);
  Xbyak::Label &exit_stub(detail::ExitKind kind, std::optional<int> value_reg,
                          uint64_t value = 0, uint64_t size = 0);
  void jump_if(isa::JumpCond cond, const Xbyak::Label &target);
  Xbyak::Label &target_of(int32_t offset);
  void emit_stubs();

  // Host calling convention (abi_sysv.cpp).
  void emit_entry();
  void emit_helper_call(); // the helper's address is in the scratch register
  void emit_access_stub(AccessStub &stub);

  const detail::CodePlan &plan_;
  const Variant variant_;
  const RuntimeLinks links_;
  std::vector<Xbyak::Label> insn_labels_;     // per instruction (jump targets)
  std::vector<Xbyak::Label> function_labels_; // per function
  Xbyak::Label epilogue_;
  Xbyak::Label abort_;
  Xbyak::Label stop_with_zero_;
  std::deque<ExitStub> exit_stubs_;
  std::deque<AccessStub> access_stubs_;
  uint32_t current_ = 0; // instruction being emitted
  uint32_t slot_ = 0;    // its slot
};

} // namespace bpfhost::jit::x86_64
