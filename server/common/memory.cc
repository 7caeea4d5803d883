#include "common/memory.h"

#include <malloc.h>

namespace slotbook::server {

void release_free_memory() { ::malloc_trim(0); }

}  // namespace slotbook::server
