/* chargetype.h - the charge types of CONTRACT.md; which of them are priced is the rule table's business. */
#ifndef LB_CHARGETYPE_H
#define LB_CHARGETYPE_H

typedef enum charge_type {
  CT_AWLC, CT_VWLC, CT_FWLC, CT_EWLC, CT_TWLC, CT_ZELC, CT_MWLC, CT_ZNALC, CT_NALC, CT_PSLC,
  CT_ELC, CT_IMLC, CT_GMLC, CT_GOLC, CT_MOSP, CT_MULC, CT_UPC, CT_SALC, CT_IPLA, CT_SWMA,
  CT_SS, CT_OTC, CT_ALC,
  CT__COUNT
} charge_type;

/* NULL-terminated names, indexed by charge_type (usable with tbl_enum). */
extern const char *const charge_type_names[CT__COUNT + 1];

#endif
