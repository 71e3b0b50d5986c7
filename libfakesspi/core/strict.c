/* The strict-mode switch; each place that behaves differently asks it. */
#include "strict.h"

#include <stdatomic.h>

static atomic_int strict_on;

int fs_strict(void) { return atomic_load_explicit(&strict_on, memory_order_relaxed); }
void fs_strict_set(int on) { atomic_store(&strict_on, on ? 1 : 0); }
