/* arena.h - bump allocator for one customer's rows: everything is freed at once. */
#ifndef LB_ARENA_H
#define LB_ARENA_H

#include <stddef.h>

typedef struct arena_chunk arena_chunk;
typedef struct arena {
  arena_chunk *head;
} arena;

/* Zeroed, 16-byte aligned memory owned by the arena; NULL on ENOMEM. */
void *arena_alloc(arena *a, size_t n);
/* Copy of s (NULL stays NULL); NULL on ENOMEM. */
char *arena_strdup(arena *a, const char *s);
/* Free everything allocated from the arena; it stays usable. */
void arena_clear(arena *a);

#endif
