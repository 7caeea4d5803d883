// Giving freed heap memory back to the operating system. glibc keeps what a large answer
// allocated (a JSON tree is millions of small blocks) for reuse, so one big request would
// otherwise leave the process at its peak size for good.
#ifndef SLOTBOOK_SERVER_COMMON_MEMORY_H_
#define SLOTBOOK_SERVER_COMMON_MEMORY_H_

#include <cstddef>

namespace slotbook::server {

// Answers that built more than this many bytes of JSON are followed by a release.
inline constexpr std::size_t kReleaseAfterBytes = std::size_t{1} << 20;

// Returns free heap pages to the system (malloc_trim). Costs a few milliseconds: call it
// after large answers only.
void release_free_memory();

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_COMMON_MEMORY_H_
