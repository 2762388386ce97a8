import CXMLSec

/// Checks one enveloped `ds:Signature` of a SAML Response or Assertion with libxmlsec1, and returns the canonical
/// bytes it covers: what the caller then reads, so that nothing outside the signature can be read as signed
/// (signature wrapping).
///
/// Before libxmlsec1 sees it, the `SignedInfo` must use only the allow-listed algorithms (exclusive c14n without
/// comments, the enveloped-signature transform, SHA-256, RSA-SHA256) and hold exactly one `Reference`, to `#` + the
/// signed element's `ID`. The verification context has no keys manager: its key is the configured IdP
/// certificate's, so a key or certificate in `KeyInfo` is never used; only same-document references are followed,
/// and the same allow-lists are given to libxmlsec1.
enum SAMLSignatureCheck {
    static let exclusiveC14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
    static let envelopedSignature = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
    static let rsaSHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    static let sha256 = "http://www.w3.org/2001/04/xmlenc#sha256"

    /// Checks `signature` (a `ds:Signature` child of `signed`, whose `ID` is `signedID`) against each certificate
    /// (DER) in turn; returns the canonical bytes of `signed` as digested.
    static func verify(signature: XMLNode, of signedID: String, certificates: [[UInt8]]) throws(SAMLRejection) -> [UInt8] {
        try checkSignedInfo(signature, signedID: signedID)
        guard !certificates.isEmpty else { throw SAMLRejection(.signatureInvalid, "no IdP certificate is configured") }
        for certificate in certificates {
            if let bytes = try verify(signature, certificate: certificate) { return bytes }
        }
        throw SAMLRejection(.signatureInvalid, "the signature does not verify with the configured IdP certificate")
    }

    /// The allow-lists, checked on the document before any cryptography.
    static func checkSignedInfo(_ signature: XMLNode, signedID: String) throws(SAMLRejection) {
        let ds = SAMLNamespace.signature
        guard let signedInfo = signature.child(ds, "SignedInfo") else { throw SAMLRejection(.signatureReference, "a Signature without SignedInfo") }
        let canonicalization = signedInfo.child(ds, "CanonicalizationMethod")?.attribute("Algorithm")
        guard canonicalization == exclusiveC14N else {
            throw SAMLRejection(.signatureAlgorithm, "canonicalization \(canonicalization ?? "missing") is not exclusive c14n without comments")
        }
        let method = signedInfo.child(ds, "SignatureMethod")?.attribute("Algorithm")
        guard method == rsaSHA256 else { throw SAMLRejection(.signatureAlgorithm, "signature method \(method ?? "missing") is not RSA-SHA256") }
        let references = signedInfo.children(ds, "Reference")
        guard references.count == 1, let reference = references.first else {
            throw SAMLRejection(.signatureReference, "\(references.count) references; exactly one is accepted")
        }
        guard !signedID.isEmpty, reference.attribute("URI") == "#" + signedID else {
            throw SAMLRejection(.signatureReference, "the reference does not point at the signed element's ID")
        }
        for transform in reference.child(ds, "Transforms")?.children ?? [] {
            let algorithm = transform.attribute("Algorithm")
            guard transform.isElement(ds, "Transform"), algorithm == envelopedSignature || algorithm == exclusiveC14N else {
                throw SAMLRejection(.signatureAlgorithm, "transform \(algorithm ?? "missing") is not allowed")
            }
        }
        let digest = reference.child(ds, "DigestMethod")?.attribute("Algorithm")
        guard digest == sha256 else { throw SAMLRejection(.signatureAlgorithm, "digest \(digest ?? "missing") is not SHA-256") }
    }

    /// One verification with one certificate: the covered bytes when it verifies, nil when it does not.
    private static func verify(_ signature: XMLNode, certificate: [UInt8]) throws(SAMLRejection) -> [UInt8]? {
        let key = certificate.withUnsafeBufferPointer { buffer in
            xmlSecOpenSSLAppKeyLoadMemory(buffer.baseAddress, UInt32(buffer.count), xmlSecKeyDataFormatCertDer, nil, nil, nil)
        }
        guard let key else { throw SAMLRejection(.signatureInvalid, "the configured IdP certificate cannot be read") }
        guard let context = xmlSecDSigCtxCreate(nil) else {
            xmlSecKeyDestroy(key)
            throw SAMLRejection(.malformed, "no verification context")
        }
        defer { xmlSecDSigCtxDestroy(context) }  // destroys the key too
        context.pointee.signKey = key
        context.pointee.flags |= UInt32(XMLSEC_DSIG_FLAGS_STORE_SIGNEDINFO_REFERENCES)
        context.pointee.enabledReferenceUris = xmlSecTransformUriType(xmlSecTransformUriTypeSameDocument)
        guard xmlSecDSigCtxEnableReferenceTransform(context, xmlSecTransformExclC14NGetKlass()) >= 0,
            xmlSecDSigCtxEnableReferenceTransform(context, xmlSecTransformEnvelopedGetKlass()) >= 0,
            xmlSecDSigCtxEnableReferenceTransform(context, xmlSecOpenSSLTransformSha256GetKlass()) >= 0,
            xmlSecDSigCtxEnableSignatureTransform(context, xmlSecTransformExclC14NGetKlass()) >= 0,
            xmlSecDSigCtxEnableSignatureTransform(context, xmlSecOpenSSLTransformRsaSha256GetKlass()) >= 0
        else { throw SAMLRejection(.malformed, "the verification context refused its allow-lists") }
        guard xmlSecDSigCtxVerify(context, signature.node) >= 0 else {
            throw SAMLRejection(.signatureInvalid, "the signature could not be processed")
        }
        guard context.pointee.status == xmlSecDSigStatusSucceeded else { return nil }
        guard cxmlsec_reference_count(context) == 1, let buffer = cxmlsec_reference_predigest(context, 0),
            let data = xmlSecBufferGetData(buffer)
        else { throw SAMLRejection(.signatureReference, "the verified reference kept no signed bytes") }
        return Array(UnsafeBufferPointer(start: data, count: Int(xmlSecBufferGetSize(buffer))))
    }
}
