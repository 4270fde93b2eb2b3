/* arena.c - chunked bump allocation. */
#include "core/arena.h"

#include <stdlib.h>
#include <string.h>

struct arena_chunk {
  arena_chunk *next;
  size_t used, cap;
  _Alignas(16) unsigned char data[];
};

void *arena_alloc(arena *a, size_t n)
{
  n = (n + 15) & ~(size_t)15;
  if(!a->head || a->head->cap - a->head->used < n) {
    size_t cap = n > 65536 ? n : 65536;
    arena_chunk *c = malloc(sizeof(*c) + cap);
    if(!c)
      return NULL;
    c->next = a->head;
    c->used = 0;
    c->cap = cap;
    a->head = c;
  }
  void *p = a->head->data + a->head->used;
  a->head->used += n;
  memset(p, 0, n);
  return p;
}

char *arena_strdup(arena *a, const char *s)
{
  if(!s)
    return NULL;
  size_t n = strlen(s) + 1;
  char *p = arena_alloc(a, n);
  if(p)
    memcpy(p, s, n);
  return p;
}

void arena_clear(arena *a)
{
  arena_chunk *c = a->head;
  while(c) {
    arena_chunk *n = c->next;
    free(c);
    c = n;
  }
  a->head = NULL;
}
