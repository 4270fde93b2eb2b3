/* spill.h - bytes that may outgrow a flat memory budget: in memory while small, then in a temporary file. */
#ifndef LB_SPILL_H
#define LB_SPILL_H

#include <stddef.h>
#include <stdint.h>

/* A spill holds `size` bytes, written and read at any offset. Up to its
 * memory limit (SPILL_MEM_MAX unless spill_init is given another) they are
 * in memory; past it they move to a temporary file made in $TMPDIR, else
 * /tmp, and unlinked at once (nothing is left behind, whatever ends the
 * process). In the file, the last SPILL_TAIL bytes at most are buffered.
 * What a month's run needs per customer, machine or file goes through
 * spills (core/dmap.h, core/xsort.h), so that its memory does not grow
 * with the input set.
 *
 * Reads are const and use pread: any number of threads may read one spill
 * while nobody writes it. Every function returns LB_OK, LB_ENOMEM or
 * LB_EIO (errno kept; after a failed write every later write fails). */
#define SPILL_MEM_MAX (256 * 1024)
#define SPILL_TAIL (64 * 1024)

typedef struct spill {
  unsigned char *mem; /* in memory: every byte; in the file: bytes fsize..size-1 */
  size_t cap;         /* of mem */
  size_t mem_max;     /* bytes kept in memory before the file is made, 0 = SPILL_MEM_MAX */
  uint64_t size;      /* bytes held */
  uint64_t fsize;     /* bytes in the file */
  int file;           /* 1 once the bytes are in the file fd */
  int fd;
  int err;            /* errno of the first failed write, 0 when none */
} spill;

/* An empty spill kept in memory up to mem_max bytes (0: SPILL_MEM_MAX). A
 * spill of zero bytes (memset) is an empty spill too. */
void spill_init(spill *s, size_t mem_max);
/* Free the memory and close the file. NULL-safe; the spill can be initialised again. */
void spill_clear(spill *s);

/* Write n bytes at off (at most s->size: no holes), growing the spill when they go past its end. */
int spill_write(spill *s, uint64_t off, const void *p, size_t n);
/* Append n bytes; *off (may be NULL) gets where they went. */
int spill_append(spill *s, const void *p, size_t n, uint64_t *off);
/* Grow the spill to size bytes (not smaller), the new bytes zero. */
int spill_grow(spill *s, uint64_t size);
/* Read n bytes at off; LB_EIO when they are not all there. */
int spill_read(const spill *s, uint64_t off, void *p, size_t n);

/* The folder temporary files are made in ($TMPDIR or /tmp), for messages. */
const char *spill_dir(void);

#endif
