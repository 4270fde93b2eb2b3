/* chargetype.c - names, flags and titles of the charge types, from core/chargetypes.def. */
#include "core/chargetype.h"

#include <stdio.h>
#include <string.h>

static const struct {
  const char *name;
  unsigned flags;
  const char *title;
} TYPES[CT__COUNT] = {
#define CHARGE_TYPE(id, name, flags, title) {name, flags, title},
#include "core/chargetypes.def"
#undef CHARGE_TYPE
};

const char *const charge_type_names[CT__COUNT + 1] = {
#define CHARGE_TYPE(id, name, flags, title) ((flags) & CTF_DERIVED) ? NULL : name,
#include "core/chargetypes.def"
#undef CHARGE_TYPE
  NULL};

const char *charge_type_name(charge_type ct) { return (unsigned)ct < CT__COUNT ? TYPES[ct].name : "?"; }
unsigned charge_type_flags(charge_type ct) { return (unsigned)ct < CT__COUNT ? TYPES[ct].flags : 0; }
const char *charge_type_title(charge_type ct) { return (unsigned)ct < CT__COUNT ? TYPES[ct].title : ""; }

int charge_type_parse(const char *name, charge_type *out)
{
  for(int i = 0; i < CT__COUNT; i++)
    if(!strcmp(TYPES[i].name, name)) {
      *out = (charge_type)i;
      return 0;
    }
  return -1;
}

int charge_type_check(char *err, size_t n)
{
  int derived = 0;
  for(int i = 0; i < CT__COUNT; i++) {
    if(!TYPES[i].name || !*TYPES[i].name || !TYPES[i].title || !*TYPES[i].title) {
      snprintf(err, n, "charge type %d has no name or title in core/chargetypes.def", i);
      return -1;
    }
    for(int j = 0; j < i; j++)
      if(!strcmp(TYPES[i].name, TYPES[j].name)) {
        snprintf(err, n, "charge type %s is declared twice in core/chargetypes.def", TYPES[i].name);
        return -1;
      }
    if(TYPES[i].flags & CTF_DERIVED)
      derived = 1;
    else if(derived) {
      /* charge_type_names stops at the first derived type */
      snprintf(err, n, "charge type %s follows a derived type in core/chargetypes.def, expected the derived "
               "types (CTF_DERIVED) last", TYPES[i].name);
      return -1;
    }
    if((TYPES[i].flags & CTF_NO_ROW) && !(TYPES[i].flags & CTF_DERIVED)) {
      snprintf(err, n, "charge type %s has CTF_NO_ROW but is read from input, expected CTF_NO_ROW only on a "
               "derived type", TYPES[i].name);
      return -1;
    }
  }
  return 0;
}
