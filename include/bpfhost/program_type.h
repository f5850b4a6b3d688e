/* Program types as data: the C structures of bpfhost's extension ABI
 * (DESIGN.md §1, "extension registry"). An extension describes a program
 * type (its Linux id, section names, context layout and how each context
 * field is rewritten, helper prototypes with implementations, allowed return
 * values) in these structures and registers it; the runtime, and later the
 * verifier, read only these. Version 1; not yet stable (issue 3). */
#ifndef BPFHOST_PROGRAM_TYPE_H
#define BPFHOST_PROGRAM_TYPE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BPFHOST_PROGRAM_TYPE_ABI_VERSION 1

/* What a context field holds in the host-side context. Packet kinds are
 * filled by the runtime when it builds a context for a packet (test-run). */
enum bpfhost_ctx_field_kind {
  BPFHOST_CTX_VALUE = 0,       /* a plain integer, copied as is */
  BPFHOST_CTX_PACKET_DATA = 1, /* pointer to the first packet byte */
  BPFHOST_CTX_PACKET_END = 2,  /* pointer one past the last packet byte */
  BPFHOST_CTX_PACKET_META = 3, /* pointer to the metadata (== data if none) */
  BPFHOST_CTX_FRAME_START = 4, /* host only: start of the packet buffer */
  BPFHOST_CTX_FRAME_END = 5,   /* host only: end of the packet buffer */
};

/* A program never reads a field with this offset (host-only fields). */
#define BPFHOST_CTX_HOST_ONLY UINT32_MAX

/* One field of the context as programs see it (the Linux uapi layout, e.g.
 * struct xdp_md) and where its value lives in the host-side context. A load
 * of `size` bytes at `offset` from the context pointer is rewritten into a
 * load of `host_size` bytes at `host_offset`, as the kernel's
 * convert_ctx_access does (32-bit data → 64-bit pointer). */
struct bpfhost_ctx_field {
  const char *name;
  uint32_t offset;      /* in the program's context, or BPFHOST_CTX_HOST_ONLY */
  uint32_t size;        /* bytes a program loads (4 for xdp_md fields) */
  uint32_t host_offset; /* in the host-side context */
  uint32_t host_size;   /* 8 for pointers, else size */
  uint32_t kind;        /* enum bpfhost_ctx_field_kind */
  uint32_t writable;    /* nonzero if programs may store to it */
  /* Value a VALUE field gets in a test-run without ctx_in (XDP's
   * ingress_ifindex: 1, the loopback device, as BPF_PROG_TEST_RUN gives). */
  uint64_t test_run_default;
};

/* Argument and return types of helper prototypes (the kernel's
 * bpf_func_proto, reduced to what the verifier will check). */
enum bpfhost_arg_type {
  BPFHOST_ARG_NONE = 0,
  BPFHOST_ARG_ANYTHING,
  BPFHOST_ARG_CONST_MAP_PTR,
  BPFHOST_ARG_PTR_TO_MAP_KEY,
  BPFHOST_ARG_PTR_TO_MAP_VALUE,
  BPFHOST_ARG_PTR_TO_MEM,         /* readable memory, size in next arg */
  BPFHOST_ARG_PTR_TO_MEM_OR_NULL, /* same, may be NULL with size 0 */
  BPFHOST_ARG_CONST_SIZE,
  BPFHOST_ARG_CONST_SIZE_OR_ZERO,
  BPFHOST_ARG_PTR_TO_CTX,
};

enum bpfhost_ret_type {
  BPFHOST_RET_INTEGER = 0,
  BPFHOST_RET_VOID,
  BPFHOST_RET_PTR_TO_MAP_VALUE_OR_NULL,
};

/* Helper flags. */
#define BPFHOST_HELPER_CHANGES_PACKET 0x1u /* invalidates packet pointers */

/* The run that calls a helper (opaque; use the functions below). */
struct bpfhost_run_context;

typedef uint64_t (*bpfhost_helper_fn)(struct bpfhost_run_context *run,
                                      uint64_t r1, uint64_t r2, uint64_t r3,
                                      uint64_t r4, uint64_t r5);

struct bpfhost_helper {
  int32_t id;       /* Linux helper id (uapi enum bpf_func_id) */
  const char *name; /* "bpf_" + the uapi name */
  uint32_t ret;     /* enum bpfhost_ret_type */
  uint32_t args[5]; /* enum bpfhost_arg_type; BPFHOST_ARG_NONE ends */
  uint32_t flags;   /* BPFHOST_HELPER_* */
  bpfhost_helper_fn fn;
};

struct bpfhost_program_type {
  uint32_t abi_version;     /* BPFHOST_PROGRAM_TYPE_ABI_VERSION */
  const char *name;         /* libbpf's libbpf_bpf_prog_type_str() name */
  uint32_t linux_prog_type; /* uapi enum bpf_prog_type */
  /* Section names as libbpf's section_defs spell them: "xdp" matches
   * SEC("xdp") only; a trailing '+' ("kprobe+") also matches "kprobe/...". */
  const char *const *section_prefixes;
  size_t section_prefix_count;
  uint32_t ctx_size;      /* bytes of the program's context (uapi struct) */
  uint32_t host_ctx_size; /* bytes of the host-side context */
  const struct bpfhost_ctx_field *fields;
  size_t field_count;
  /* Type-specific helpers; the runtime adds its general ones. */
  const struct bpfhost_helper *helpers;
  size_t helper_count;
  int64_t ret_min, ret_max; /* allowed return values (inclusive) */
  /* Packet buffers built for test-run: bytes before the data (XDP: 256,
   * XDP_PACKET_HEADROOM) and the whole frame (XDP: 4096, a page), of which
   * the last `packet_tailroom` bytes stay unusable (skb_shared_info). */
  uint32_t packet_headroom;
  uint32_t packet_frame_size;
  uint32_t packet_tailroom;
};

/* --- what helpers may call --------------------------------------------- */

/* The host-side context of the running program. */
void *bpfhost_run_host_ctx(struct bpfhost_run_context *run);
/* Lets the program access [addr, addr+size) for the rest of this run. */
void bpfhost_run_add_region(struct bpfhost_run_context *run, uint64_t addr,
                            uint64_t size, int writable);
/* 0 if the program may access [addr, addr+size), else -14 (EFAULT). */
int bpfhost_run_check_access(struct bpfhost_run_context *run, uint64_t addr,
                             uint64_t size, int write);

#ifdef __cplusplus
}
#endif

#endif /* BPFHOST_PROGRAM_TYPE_H */
