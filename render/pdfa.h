/* pdfa.h - turns a libharu document into PDF/A-1b: Info + escaped XMP, sRGB OutputIntent, a content-hash /ID. */
#ifndef LB_PDFA_H
#define LB_PDFA_H

#include <hpdf.h>
#include <stddef.h>

#include "core/diag.h"
#include "core/date.h"

/* Where Debian's icc-profiles-free installs its sRGB profile (ICC v2.3, as
 * PDF/A-1 needs: PDF 1.4 readers know ICC v2 only; colord-data's sRGB.icc is
 * v4 and would not do). Read at run time, never copied into the repository. */
#define PDFA_DEFAULT_ICC "/usr/share/color/icc/sRGB.icc"

/* An ICC profile read into memory once and shared read-only by any number of
 * documents and threads. */
typedef struct pdfa_profile pdfa_profile;

/* Read and check an ICC profile: the size in its header matches the file,
 * the 'acsp' signature is there, major version 2, colour space RGB.
 * Returns LB_OK with *out set (free with pdfa_profile_free), LB_EIO when the
 * file cannot be read or is not such a profile (errno is EINVAL for the
 * latter; why[] says what is wrong when why != NULL), or LB_ENOMEM.
 * *out is untouched on failure. */
int pdfa_profile_load(pdfa_profile **out, const char *path, char *why, size_t whylen);

/* NULL-safe. */
void pdfa_profile_free(pdfa_profile *p);

/* The profile's description ('desc' tag), e.g. "sRGB"; owned by p. */
const char *pdfa_profile_name(const pdfa_profile *p);

/* What the document says about itself, UTF-8, each may be NULL. It goes into
 * the Info dictionary (as PDFDocEncoding when ASCII, else UTF-16BE) and into
 * the XMP packet (XML-escaped), with the same values as PDF/A-1 requires. */
typedef struct pdfa_info {
  const char *title;    /* Info /Title, dc:title */
  const char *author;   /* Info /Author, dc:creator */
  const char *subject;  /* Info /Subject, dc:description */
  const char *keywords; /* Info /Keywords, pdf:Keywords */
  const char *creator;  /* Info /Creator, xmp:CreatorTool */
  lb_date created;      /* Info /CreationDate, xmp:CreateDate (midnight UTC); DATE_NONE: none */
} pdfa_info;

/* Make the document that libharu is building PDF/A-1b, as far as libharu
 * 2.3.0 allows: version 1.4, the Info entries above, an uncompressed XMP
 * metadata stream with pdfaid part 1 conformance B, an OutputIntent
 * GTS_PDFA1 whose DestOutputProfile is `icc` (Flate-compressed), and a
 * placeholder /ID of zeros in the trailer that pdfa_finish fills in.
 * (libharu's own HPDF_PDFA_SetPDFAConformance writes values unescaped, names
 * the subtype key "SubType" and takes the /ID from the clock;
 * HPDF_PDFA_AppendOutputIntents writes the key "DestOutputProfile " with a
 * trailing space: neither is used.)
 * Call after HPDF_NewDoc (or HPDF_New) and before HPDF_SaveToStream. The
 * document owns what is added. Returns LB_OK, LB_ENOMEM or LB_EIO (libharu
 * refused; its error handler has the detail). */
int pdfa_prepare(HPDF_Doc doc, const pdfa_profile *icc, const pdfa_info *info);

/* Fill the placeholder /ID of a saved document in place with the first 16
 * bytes of the SHA-256 of the whole file as saved (placeholder included), so
 * the same content always gets the same /ID and different content a
 * different one. Offsets do not move. Returns LB_OK, or LB_EINPUT when the
 * trailer has no placeholder. */
int pdfa_finish(unsigned char *pdf, size_t len);

struct libdeflate_compressor;

/* Deflate in[0..n) in zlib format, as /FlateDecode reads it, into a
 * malloc'd *out of *outlen bytes (caller frees), with compressor z (one
 * per thread: libdeflate at level PDFA_DEFLATE_LEVEL; NULL makes one for
 * this call). LB_OK or LB_ENOMEM. */
int pdfa_deflate(struct libdeflate_compressor *z, const void *in, size_t n, unsigned char **out, size_t *outlen);

/* libdeflate's level 6: zlib's ratio or a little better, five times
 * faster than zlib (libharu's) on page content. */
#define PDFA_DEFLATE_LEVEL 6

/* Deflate, with z, every stream of doc that libharu would deflate when
 * saving (the pages' content), and mark it as already deflated: libharu's
 * own zlib pass was a third of the time of a run. Call just before
 * HPDF_SaveToStream. LB_OK or LB_ENOMEM. */
int pdfa_deflate_streams(HPDF_Doc doc, struct libdeflate_compressor *z);

/* Shorter page dictionaries, once every page is drawn (just before
 * HPDF_SaveToStream): no /ProcSet (obsolete since PDF 1.4, readers ignore
 * it), no /P in link annotations (optional), and when every page names the
 * same fonts and has the same size, one /Resources object for all of them
 * and the /MediaBox on the page tree, whence the pages inherit it.
 * LB_OK or LB_ENOMEM. */
int pdfa_slim_pages(HPDF_Doc doc);

/* Every whole hex string <..> of a content stream s[0..n) rewritten in place
 * as a literal string of the same bytes (delimiters, backslash, CR and LF
 * escaped); returns the new length, never more than n. */
size_t pdfa_hex_to_literal(unsigned char *s, size_t n);

/* A stream object of doc whose data z[0..zlen) is already deflated (by
 * pdfa_deflate): written as it is, with /Filter /FlateDecode, where libharu
 * would compress a stream again on every save. Meant for what is the same
 * from document to document (the colour profile, cached font subsets).
 * The object belongs to doc; NULL on failure. */
HPDF_Dict pdfa_deflated_stream(HPDF_Doc doc, const unsigned char *z, size_t zlen);

/* Escape UTF-8 text for XML element content and attribute values:
 * & < > " ' become entities; control characters other than tab become a
 * space; invalid UTF-8 bytes become U+FFFD. Writes at most cap-1 bytes and a
 * NUL (never cutting an entity or a character); returns the length the full
 * result needs (like snprintf). */
size_t pdfa_xml_escape(char *out, size_t cap, const char *s);

/* A PDF text string object for UTF-8 text: a literal string in
 * PDFDocEncoding when every character has a code there that is the same as
 * in Latin-1 (printable ASCII, U+00A1-U+00FF but U+00AD), else a UTF-16BE
 * string with a byte-order mark (as Info values and outline titles need for
 * other text). An HPDF_String or an HPDF_Binary; NULL on ENOMEM. The object
 * belongs to the document once added to a dictionary. */
void *pdfa_text_object(HPDF_Doc doc, const char *utf8);

#endif
