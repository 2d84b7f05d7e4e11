// libxml2 built with ICU exposes ICU's UErrorCode, which clashes with Foundation's copy
// ("'UErrorCode' has different definitions"). Read the feature macros first, then switch
// ICU off before any header that would pull it in.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
