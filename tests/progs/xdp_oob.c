// Reads past data_end without a bounds check: the kernel's verifier rejects
// it; bpfhost's checked interpreter must stop it with an error (no verifier
// yet), and `prog run` must exit 1.
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_oob(struct xdp_md *ctx) {
  return *(volatile unsigned char *)(long)(ctx->data + 4000);
}

char LICENSE[] SEC("license") = "GPL";
