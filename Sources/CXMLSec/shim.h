// libxmlsec1 (OpenSSL back end) and libxml2 for Roster's SAML signature checks.
//
// SwiftPM hands only pkg-config's -I flags to the Clang importer, not its -D flags, so the defines of
// `pkg-config --cflags xmlsec1-openssl` are repeated here. Without them xmlsec's headers refuse to compile ("No
// crypto library defined") or, worse, describe structs with another layout than the library's (without
// XMLSEC_NO_SIZE_T, sizeof(xmlSecDSigCtx) differs): SAMLBindingTests compares the two.
#ifndef ROSTER_CXMLSEC_SHIM_H
#define ROSTER_CXMLSEC_SHIM_H

#define __XMLSEC_FUNCTION__ __func__
#define XMLSEC_NO_SIZE_T
#define XMLSEC_OPENSSL3_ENGINES 1
#define XMLSEC_NO_GOST 1
#define XMLSEC_NO_GOST2012 1
#define XMLSEC_NO_CRYPTO_DYNAMIC_LOADING 1
#define XMLSEC_CRYPTO_OPENSSL 1

// Debian's libxml2 is built with ICU; its ICU declarations clash with the ICU Swift's Foundation brings.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/valid.h>
#include <libxml/xmlerror.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/transforms.h>
#include <xmlsec/membuf.h>
#include <xmlsec/keys.h>
#include <xmlsec/errors.h>
#include <xmlsec/crypto.h>
#include <xmlsec/openssl/app.h>
#include <xmlsec/openssl/crypto.h>

/// xmlFree is a global function pointer, which Swift 6's strict concurrency refuses to touch.
static inline void cxmlsec_free(void *pointer) { xmlFree(pointer); }

/// The library's idea of the verification context's size, for the layout test.
static inline unsigned long cxmlsec_dsig_ctx_size(void) { return (unsigned long)sizeof(xmlSecDSigCtx); }

/// Silences libxml2's and xmlsec's default printing to stderr (errors are reported through return values).
static void cxmlsec_ignore_xml_error(void *context, const char *message, ...) { (void)context; (void)message; }
static void cxmlsec_ignore_xmlsec_error(const char *file, int line, const char *func, const char *errorObject,
                                        const char *errorSubject, int reason, const char *msg) {
    (void)file; (void)line; (void)func; (void)errorObject; (void)errorSubject; (void)reason; (void)msg;
}
static inline void cxmlsec_silence_errors(void) {
    xmlSetGenericErrorFunc(NULL, cxmlsec_ignore_xml_error);
    xmlSecErrorsSetCallback(cxmlsec_ignore_xmlsec_error);
}

/// The canonical bytes a verified reference digested (XMLSEC_DSIG_FLAGS_STORE_SIGNEDINFO_REFERENCES must be set).
static inline xmlSecBufferPtr cxmlsec_reference_predigest(xmlSecDSigCtxPtr context, unsigned int index) {
    xmlSecDSigReferenceCtxPtr reference = (xmlSecDSigReferenceCtxPtr)xmlSecPtrListGetItem(&(context->signedInfoReferences), index);
    if (reference == NULL || reference->preDigestMemBufMethod == NULL) { return NULL; }
    return xmlSecTransformMemBufGetBuffer(reference->preDigestMemBufMethod);
}

/// How many references the verified SignedInfo had.
static inline unsigned int cxmlsec_reference_count(xmlSecDSigCtxPtr context) {
    return (unsigned int)xmlSecPtrListGetSize(&(context->signedInfoReferences));
}

#endif
