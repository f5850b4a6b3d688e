// Object loader fixture: several programs, .text subprograms reached through
// BPF-to-BPF calls (global and static, nested) and a callback address
// (bpf_loop), so the loader must append callees and fix up imm.
// <linux/bpf.h> first: libbpf's headers use its types.
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

static __attribute__((noinline)) int leaf(int x) { return x * 3 + 1; }

__attribute__((noinline)) int middle(int x) { return leaf(x) + leaf(x + 1); }

static int loop_body(__u32 index, void *ctx) {
  *(long *)ctx += index;
  return 0;
}

SEC("xdp")
int first(struct xdp_md *ctx) { return middle(ctx->rx_queue_index) & 3; }

SEC("xdp")
int second(struct xdp_md *ctx) { return leaf(ctx->ingress_ifindex) & 3; }

SEC("tc")
int third(struct __sk_buff *skb) {
  long sum = 0;
  bpf_loop(4, loop_body, &sum, 0);
  return (int)sum;
}

char LICENSE[] SEC("license") = "GPL";
