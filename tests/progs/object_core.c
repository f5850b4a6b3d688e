// Object loader fixture: a CO-RE field access (clang's
// preserve_access_index), which needs the target kernel's BTF to relocate.
// <linux/bpf.h> first: libbpf's headers use its types.
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

struct task {
  int pid;
  int tgid;
} __attribute__((preserve_access_index));

SEC("kprobe/do_exit")
int probe(struct task *t) { return t->tgid; }

SEC("xdp")
int plain(struct xdp_md *ctx) { return XDP_PASS; }

char LICENSE[] SEC("license") = "GPL";
