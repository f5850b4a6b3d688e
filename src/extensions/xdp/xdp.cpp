// BPF_PROG_TYPE_XDP: struct xdp_md as Linux lays it out (uapi <linux/bpf.h>),
// a host-side context with real pointers, and the XDP helpers. Uses only the
// extension ABI, as a third-party plugin would.
#include "extensions/xdp/xdp.h"

#include <cstddef>
#include <cstring>

namespace {

// The host-side context: what rewritten xdp_md loads read.
struct XdpHostCtx {
  uint64_t data;
  uint64_t data_end;
  uint64_t data_meta;
  uint32_t ingress_ifindex;
  uint32_t rx_queue_index;
  uint32_t egress_ifindex;
  uint32_t pad;
  uint64_t hard_start; // the frame's first byte
  uint64_t hard_end;   // end of what the packet may grow into
};

constexpr uint32_t kXdpAborted = 0;
constexpr uint32_t kXdpRedirect = 4;
constexpr uint64_t kEthHeaderLen = 14;
// sizeof(struct xdp_frame): bpf_xdp_adjust_head keeps it free at the start.
constexpr uint64_t kXdpFrameSize = 40;
constexpr uint64_t kEinval = static_cast<uint64_t>(-22);

XdpHostCtx &host(bpfhost_run_context *run) {
  return *static_cast<XdpHostCtx *>(bpfhost_run_host_ctx(run));
}

// bpf_xdp_adjust_head (net/core/filter.c): moves data by delta, keeping an
// Ethernet header and room for struct xdp_frame; metadata is dropped.
uint64_t xdp_adjust_head(bpfhost_run_context *run, uint64_t, uint64_t r2,
                         uint64_t, uint64_t, uint64_t) {
  XdpHostCtx &ctx = host(run);
  const uint64_t data =
      ctx.data +
      static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(r2)));
  if (data < ctx.hard_start + kXdpFrameSize ||
      data > ctx.data_end - kEthHeaderLen)
    return kEinval;
  ctx.data = data;
  ctx.data_meta = data;
  bpfhost_run_add_region(run, data, ctx.data_end - data, 1);
  return 0;
}

// bpf_xdp_adjust_tail: moves data_end by delta; new bytes are zeroed.
uint64_t xdp_adjust_tail(bpfhost_run_context *run, uint64_t, uint64_t r2,
                         uint64_t, uint64_t, uint64_t) {
  XdpHostCtx &ctx = host(run);
  const int64_t delta = static_cast<int32_t>(r2);
  const uint64_t end = ctx.data_end + static_cast<uint64_t>(delta);
  if (end > ctx.hard_end || end < ctx.data + kEthHeaderLen)
    return kEinval;
  if (delta > 0)
    std::memset(reinterpret_cast<void *>(ctx.data_end), 0,
                static_cast<size_t>(delta));
  ctx.data_end = end;
  bpfhost_run_add_region(run, ctx.data, end - ctx.data, 1);
  return 0;
}

// bpf_redirect for XDP: no flags are valid.
uint64_t redirect(bpfhost_run_context *, uint64_t, uint64_t r2, uint64_t,
                  uint64_t, uint64_t) {
  return r2 != 0 ? kXdpAborted : kXdpRedirect;
}

constexpr uint32_t kPtr = 8; // host_size of a pointer field

#define HOST(f) static_cast<uint32_t>(offsetof(XdpHostCtx, f))
// struct xdp_md { __u32 data, data_end, data_meta, ingress_ifindex,
// rx_queue_index, egress_ifindex; }
const bpfhost_ctx_field kFields[] = {
    {"data", 0, 4, HOST(data), kPtr, BPFHOST_CTX_PACKET_DATA, 0, 0},
    {"data_end", 4, 4, HOST(data_end), kPtr, BPFHOST_CTX_PACKET_END, 0, 0},
    {"data_meta", 8, 4, HOST(data_meta), kPtr, BPFHOST_CTX_PACKET_META, 0, 0},
    // BPF_PROG_TEST_RUN runs on the loopback device's first queue.
    {"ingress_ifindex", 12, 4, HOST(ingress_ifindex), 4, BPFHOST_CTX_VALUE, 0,
     1},
    {"rx_queue_index", 16, 4, HOST(rx_queue_index), 4, BPFHOST_CTX_VALUE, 0, 0},
    {"egress_ifindex", 20, 4, HOST(egress_ifindex), 4, BPFHOST_CTX_VALUE, 0, 0},
    {"hard_start", BPFHOST_CTX_HOST_ONLY, 0, HOST(hard_start), kPtr,
     BPFHOST_CTX_FRAME_START, 0, 0},
    {"hard_end", BPFHOST_CTX_HOST_ONLY, 0, HOST(hard_end), kPtr,
     BPFHOST_CTX_FRAME_END, 0, 0},
};
#undef HOST

constexpr uint32_t kCtx = BPFHOST_ARG_PTR_TO_CTX;
constexpr uint32_t kAny = BPFHOST_ARG_ANYTHING;
constexpr uint32_t kChanges = BPFHOST_HELPER_CHANGES_PACKET;

// Ids from uapi enum bpf_func_id.
const bpfhost_helper kHelpers[] = {
    {23, "bpf_redirect", BPFHOST_RET_INTEGER, {kAny, kAny}, 0, redirect},
    {44,
     "bpf_xdp_adjust_head",
     BPFHOST_RET_INTEGER,
     {kCtx, kAny},
     kChanges,
     xdp_adjust_head},
    {65,
     "bpf_xdp_adjust_tail",
     BPFHOST_RET_INTEGER,
     {kCtx, kAny},
     kChanges,
     xdp_adjust_tail},
};

// libbpf's section_defs for BPF_PROG_TYPE_XDP (src/libbpf.c).
const char *const kSections[] = {"xdp",        "xdp.frags",
                                 "xdp/devmap", "xdp.frags/devmap",
                                 "xdp/cpumap", "xdp.frags/cpumap"};

const bpfhost_program_type kXdp = {
    BPFHOST_PROGRAM_TYPE_ABI_VERSION,
    "xdp",
    6, // BPF_PROG_TYPE_XDP
    kSections,
    sizeof kSections / sizeof kSections[0],
    24, // sizeof(struct xdp_md)
    sizeof(XdpHostCtx),
    kFields,
    sizeof kFields / sizeof kFields[0],
    kHelpers,
    sizeof kHelpers / sizeof kHelpers[0],
    0,    // XDP_ABORTED
    4,    // XDP_REDIRECT
    256,  // XDP_PACKET_HEADROOM
    4096, // a page, as BPF_PROG_TEST_RUN's frame
    320,  // SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) on x86-64
};

} // namespace

extern "C" const bpfhost_program_type *bpfhost_xdp_program_type(void) {
  return &kXdp;
}
