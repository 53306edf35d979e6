// Debian builds libxml2 with ICU, so its encoding.h includes <unicode/ucnv.h>. Foundation ships
// its own ICU module (_FoundationICU) with the same enums, and Swift refuses a module that sees
// both definitions. Hiding libxml2's ICU include avoids the clash; it only drops the ICU
// converter fields of xmlCharEncodingHandler from this view, a struct Swift code never touches
// (libxml2 itself is compiled with them and allocates it).
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlerror.h>
