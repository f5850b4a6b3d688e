// Two programs in one object (the CLI must ask which one), one of them in
// libbpf's "xdp.frags" section, and trace_printk.
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_pass(struct xdp_md *ctx) {
  bpf_printk("ifindex %u", ctx->ingress_ifindex);
  return XDP_PASS;
}

SEC("xdp.frags")
int xdp_drop(struct xdp_md *ctx) { return XDP_DROP; }

char LICENSE[] SEC("license") = "GPL";
