/* chargetype.c - names of the charge types as written in licenses.csv and prices.csv. */
#include "chargetype.h"

const char *const charge_type_names[CT__COUNT + 1] = {
  "AWLC", "VWLC", "FWLC", "EWLC", "TWLC", "ZELC", "MWLC", "ZNALC", "NALC", "PSLC",
  "ELC", "IMLC", "GMLC", "GOLC", "MOSP", "MULC", "UPC", "SALC", "IPLA", "SWMA",
  "SS", "OTC", "ALC", 0};
