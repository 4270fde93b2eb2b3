/* chargetype.h - the charge types licenses.csv may name, declared once in core/chargetypes.def. */
#ifndef LB_CHARGETYPE_H
#define LB_CHARGETYPE_H

#include <stddef.h>

/* Flags of a charge type. Each is read where its rule is applied. */
#define CTF_MLC 1u     /* monthly license charge: the engine applies R-T4/R-T5 (whole calendar months),
                        * and an MLC license may carry an Initial License Charge (R-T7) */
#define CTF_SUBCAP 2u  /* sub-capacity is elected per OS family and machine, all or nothing (R-W18) */
#define CTF_DERIVED 4u /* never in the input: billed on licenses of other charge types (ILC, PLC) */
#define CTF_NO_ROW 8u  /* priced inside another type's module, so it has no row of its own (PLC) */
#define CTF_COUNTED 16u /* a price per license or feature: a licenses.csv row may hold several (`quantity`), each
                         * charged; without it a quantity above 1 is an input error */

typedef enum charge_type {
#define CHARGE_TYPE(id, name, flags, title) CT_##id,
#include "core/chargetypes.def"
#undef CHARGE_TYPE
  CT__COUNT
} charge_type;

/* Names indexed by charge_type. The derived types (CTF_DERIVED, declared
 * last) are NULL here, so that with tbl_enum the list is exactly the names
 * an input file may use; charge_type_name() names every type. */
extern const char *const charge_type_names[CT__COUNT + 1];

/* NAME of any charge type, derived ones included ("ILC"). */
const char *charge_type_name(charge_type ct);
/* CTF_* flags and plain-words title of a charge type. */
unsigned charge_type_flags(charge_type ct);
const char *charge_type_title(charge_type ct);
/* The charge type called `name` (derived ones included); 0 found, -1 not. */
int charge_type_parse(const char *name, charge_type *out);

/* Check the declarations: names unique and non-empty, derived types last,
 * CTF_NO_ROW only on derived types. 0, or -1 with a message in err. */
int charge_type_check(char *err, size_t n);

#endif
