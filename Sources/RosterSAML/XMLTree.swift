import CXMLSec

/// Namespaces SAML responses use.
enum SAMLNamespace {
    /// SAML 2.0 protocol (`samlp:`).
    static let protocol_ = "urn:oasis:names:tc:SAML:2.0:protocol"
    /// SAML 2.0 assertion (`saml:`).
    static let assertion = "urn:oasis:names:tc:SAML:2.0:assertion"
    /// XML Signature (`ds:`).
    static let signature = "http://www.w3.org/2000/09/xmldsig#"
    /// SAML 2.0 metadata (`md:`).
    static let metadata = "urn:oasis:names:tc:SAML:2.0:metadata"
}

/// A parsed XML document (libxml2), freed when released. Parsing never reads the network, never loads or applies a
/// DTD and refuses any document type declaration, so external entities and entity expansion cannot happen. Not
/// `Sendable`: made, read and dropped within one synchronous call.
final class XMLTree {
    /// The libxml2 document.
    let document: xmlDocPtr

    /// The largest document read (a SAML response is a few kilobytes; metadata with several certificates tens).
    static let maximumBytes = 1_048_576

    /// Parses `bytes`: UTF-8 XML without a DOCTYPE.
    init(parsing bytes: [UInt8]) throws(SAMLRejection) {
        try XMLSecLibrary.ready()
        guard !bytes.isEmpty, bytes.count <= XMLTree.maximumBytes else { throw SAMLRejection(.malformed, "empty or larger than 1 MiB") }
        if XMLTree.declaresDocumentType(bytes) { throw SAMLRejection(.doctype, "the document declares a DOCTYPE or an entity") }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    xmlReadMemory($0, Int32(buffer.count), "saml.xml", "UTF-8", options)
                }
            } ?? nil
        }
        guard let parsed else { throw SAMLRejection(.malformed, "not well-formed XML") }
        if parsed.pointee.intSubset != nil || parsed.pointee.extSubset != nil {
            xmlFreeDoc(parsed)
            throw SAMLRejection(.doctype, "the document declares a DOCTYPE")
        }
        document = parsed
    }

    deinit {
        xmlFreeDoc(document)
    }

    /// The root element.
    var root: XMLNode? {
        xmlDocGetRootElement(document).map(XMLNode.init)
    }

    /// Whether the bytes hold `<!DOCTYPE` or `<!ENTITY` (any case): refused before libxml2 sees them.
    static func declaresDocumentType(_ bytes: [UInt8]) -> Bool {
        let markers: [[UInt8]] = [Array("<!DOCTYPE".utf8), Array("<!ENTITY".utf8)]
        guard bytes.count >= 8 else { return false }
        for start in 0..<(bytes.count - 1) where bytes[start] == UInt8(ascii: "<") && bytes[start + 1] == UInt8(ascii: "!") {
            for marker in markers where start + marker.count <= bytes.count {
                var matches = true
                for offset in 2..<marker.count {
                    let byte = bytes[start + offset]
                    let upper = byte >= 97 && byte <= 122 ? byte - 32 : byte
                    if upper != marker[offset] {
                        matches = false
                        break
                    }
                }
                if matches { return true }
            }
        }
        return false
    }
}

/// An element of an ``XMLTree`` (valid while the tree lives).
struct XMLNode {
    /// The libxml2 node.
    let node: xmlNodePtr

    /// The local name.
    var localName: String {
        node.pointee.name.map { String(cString: $0) } ?? ""
    }

    /// The namespace URI, if any.
    var namespace: String? {
        node.pointee.ns?.pointee.href.map { String(cString: $0) }
    }

    /// Whether this is `name` in `namespace`.
    func isElement(_ namespace: String, _ name: String) -> Bool {
        localName == name && self.namespace == namespace
    }

    /// The attribute without a namespace named `name`.
    func attribute(_ name: String) -> String? {
        guard let value = xmlGetNoNsProp(node, name) else { return nil }
        defer { cxmlsec_free(value) }
        return String(cString: value)
    }

    /// The libxml2 attribute node named `name` (no namespace), for ID registration.
    func attributeNode(_ name: String) -> xmlAttrPtr? {
        xmlHasNsProp(node, name, nil)
    }

    /// The parent element, if any.
    var parent: XMLNode? {
        guard let parent = node.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else { return nil }
        return XMLNode(node: parent)
    }

    /// The child elements, in order.
    var children: [XMLNode] {
        var result: [XMLNode] = []
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE { result.append(XMLNode(node: current)) }
            child = current.pointee.next
        }
        return result
    }

    /// The child elements named `name` in `namespace`.
    func children(_ namespace: String, _ name: String) -> [XMLNode] {
        children.filter { $0.isElement(namespace, name) }
    }

    /// The first child element named `name` in `namespace`.
    func child(_ namespace: String, _ name: String) -> XMLNode? {
        children.first { $0.isElement(namespace, name) }
    }

    /// Every element below this one, depth first (not this one).
    var descendants: [XMLNode] {
        var result: [XMLNode] = []
        var stack = children.reversed() as [XMLNode]
        while let next = stack.popLast() {
            result.append(next)
            stack.append(contentsOf: next.children.reversed())
        }
        return result
    }

    /// The text content: every text and CDATA node below, concatenated, trimmed of surrounding whitespace.
    var text: String {
        guard let content = xmlNodeGetContent(node) else { return "" }
        defer { cxmlsec_free(content) }
        return String(cString: content).trimmingXMLWhitespace()
    }
}

extension String {
    /// Without leading and trailing XML whitespace (space, tab, CR, LF).
    func trimmingXMLWhitespace() -> String {
        let whitespace: Set<Character> = [" ", "\t", "\r", "\n"]
        var text = Substring(self)
        while let first = text.first, whitespace.contains(first) { text.removeFirst() }
        while let last = text.last, whitespace.contains(last) { text.removeLast() }
        return String(text)
    }
}
