import CXMLSec

/// libxml2 and libxmlsec1 (OpenSSL), set up once per process before the first SAML document is read. Their errors
/// are reported through return values; their own printing to stderr is turned off.
public enum XMLSecLibrary {
    /// Whether initialisation worked; nil when it did, else what failed.
    static let failure: String? = {
        xmlInitParser()
        if xmlSecInit() < 0 { return "xmlSecInit failed" }
        if xmlSecOpenSSLAppInit(nil) < 0 { return "xmlSecOpenSSLAppInit failed" }
        if xmlSecOpenSSLInit() < 0 { return "xmlSecOpenSSLInit failed" }
        // Last: xmlSecInit and xmlSecOpenSSLInit each install a callback that prints to stderr.
        cxmlsec_silence_errors()
        return nil
    }()

    /// Initialises the libraries (once) or throws why they cannot be used.
    public static func ready() throws(SAMLRejection) {
        if let failure { throw SAMLRejection(.malformed, "the XML security library cannot start: \(failure)") }
    }
}
