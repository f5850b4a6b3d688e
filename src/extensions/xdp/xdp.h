/* The XDP program type (BPF_PROG_TYPE_XDP) as data, through the public
 * extension ABI only (include/bpfhost/program_type.h). */
#ifndef BPFHOST_EXTENSIONS_XDP_H
#define BPFHOST_EXTENSIONS_XDP_H

#include "bpfhost/program_type.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The descriptor; register it with the runtime's registry. */
const struct bpfhost_program_type *bpfhost_xdp_program_type(void);

#ifdef __cplusplus
}
#endif

#endif
