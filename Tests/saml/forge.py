"""Forged SAML Responses for the attack suite of Tests/saml/flow.py: XML surgery with lxml and signatures made by
the `xmlsec1` tool (with the IdP's own key, so that a case tests the check and not the signature, or with an
attacker's key, HMAC, SHA-1, an XSLT transform, … for the cases that test the signature rules).

Every builder takes a genuine Response (bytes, from the real IdP) and returns new bytes; `Xmlsec.verify` proves a
fixture is what its case says (a kept signature still verifies, a re-signed one verifies with the IdP's
certificate, an attacker's one only with the attacker's), so that a refusal means Roster caught the attack.
"""

import base64
import copy
import os
import subprocess
import tempfile
from pathlib import Path

from lxml import etree

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
DS = "http://www.w3.org/2000/09/xmldsig#"
XENC = "http://www.w3.org/2001/04/xmlenc#"
NS = {"samlp": SAMLP, "saml": SAML, "ds": DS}

RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
HMAC_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
EXC_C14N_COMMENTS = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
XSLT = "http://www.w3.org/TR/1999/REC-xslt-19991116"
IDENTITY_XSLT = (
    '<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0">'
    '<xsl:template match="@*|node()"><xsl:copy><xsl:apply-templates select="@*|node()"/></xsl:copy></xsl:template>'
    "</xsl:stylesheet>"
)
EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
PERSISTENT_FORMAT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
ID_ATTRIBUTES = ["--id-attr:ID", f"{SAMLP}:Response", "--id-attr:ID", f"{SAML}:Assertion"]


class FixtureError(Exception):
    """A forged response is not what its case needs (a bug in the test, not in Roster)."""


# --- parsing and finding ---


def parse(data):
    """A Response as an lxml tree root; never resolves entities or reaches the network."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False, huge_tree=False)
    return etree.fromstring(data, parser)


def serialize(root):
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def q(namespace, name):
    return f"{{{namespace}}}{name}"


def assertion_of(root):
    found = root.find(q(SAML, "Assertion"))
    if found is None:
        raise FixtureError("the Response has no Assertion child")
    return found


def signature_of(element):
    """The element's own ds:Signature (a direct child), or None."""
    return element.find(q(DS, "Signature"))


def remove(element):
    """Removes element from its parent, keeping its tail text."""
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def strip_signature(element):
    signature = signature_of(element)
    if signature is not None:
        remove(signature)
    return element


def name_id(root):
    found = assertion_of(root).find(f"{q(SAML, 'Subject')}/{q(SAML, 'NameID')}")
    if found is None:
        raise FixtureError("the Assertion has no Subject/NameID")
    return found


def set_name_id(assertion, text):
    found = assertion.find(f"{q(SAML, 'Subject')}/{q(SAML, 'NameID')}")
    if found is None:
        raise FixtureError("the Assertion has no Subject/NameID")
    found.text = text
    for child in list(found):
        found.remove(child)


def confirmation_data(root):
    found = assertion_of(root).find(
        f"{q(SAML, 'Subject')}/{q(SAML, 'SubjectConfirmation')}/{q(SAML, 'SubjectConfirmationData')}"
    )
    if found is None:
        raise FixtureError("the Assertion has no SubjectConfirmationData")
    return found


def conditions(root):
    found = assertion_of(root).find(q(SAML, "Conditions"))
    if found is None:
        raise FixtureError("the Assertion has no Conditions")
    return found


def audience(root):
    found = conditions(root).find(f"{q(SAML, 'AudienceRestriction')}/{q(SAML, 'Audience')}")
    if found is None:
        raise FixtureError("the Assertion has no Audience")
    return found


def signature_values(data):
    """Every SignatureValue text in a document (bytes), whitespace removed: for the log check."""
    try:
        root = parse(data)
    except etree.XMLSyntaxError:
        return []
    return ["".join((value.text or "").split()) for value in root.iter(q(DS, "SignatureValue"))]


# --- signing and verifying with the xmlsec1 tool ---


class Xmlsec:
    """The xmlsec1 tool with a scratch directory."""

    def __init__(self, binary, scratch):
        self.binary = binary
        self.scratch = Path(scratch)
        self.scratch.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def _file(self, suffix, data):
        self.count += 1
        path = self.scratch / f"{self.count:04d}{suffix}"
        path.write_bytes(data)
        return path

    def sign(
        self,
        root,
        element,
        key=None,
        cert=None,
        hmac_key=None,
        signature_method=RSA_SHA256,
        digest_method=SHA256,
        canonicalization=EXC_C14N,
        transforms=(ENVELOPED, EXC_C14N),
        uri=None,
        key_info="x509",
        place_in=None,
    ):
        """Signs `element` (of the tree `root`): removes the ds:Signature child of the element that holds the
        signature (`element`, or `place_in` for a signature placed elsewhere), inserts a template after that holder's
        Issuer and has xmlsec1 fill it in. `uri` defaults to '#' + element's ID. Returns the new root (a new tree:
        xmlsec1 writes a file), so the caller must find its elements again."""
        holder = element if place_in is None else place_in
        strip_signature(holder)
        if uri is None:
            uri = "#" + element.get("ID")
        template = signature_template(signature_method, digest_method, canonicalization, transforms, uri, key_info)
        issuer = holder.find(q(SAML, "Issuer"))
        holder.insert(holder.index(issuer) + 1 if issuer is not None else 0, template)
        path = self._file(".template.xml", serialize(root))
        output = path.with_suffix(".signed.xml")
        if hmac_key is not None:
            keys = ["--hmackey", str(self._file(".hmac", hmac_key))]
        else:
            keys = ["--privkey-pem", f"{key},{cert}" if cert else str(key)]
        command = [self.binary, "--sign", *keys, *ID_ATTRIBUTES, "--node-xpath", "//*[@Id='forge-signature']",
                   "--output", str(output), str(path)]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise FixtureError(f"xmlsec1 --sign failed: {result.stderr.strip()[-800:]}")
        signed = parse(output.read_bytes())
        for signature in signed.iter(q(DS, "Signature")):
            if signature.get("Id") == "forge-signature":
                del signature.attrib["Id"]
        return signed

    def verify(self, data, signature_xpath, cert=None, hmac_key=None, ids=None):
        """Whether the ds:Signature that `signature_xpath` selects verifies with `cert` (or the HMAC key) alone:
        KeyInfo is ignored (only the key loaded here is used), as Roster must do. IDs are those of Responses and
        Assertions, or (ids="response") of Responses only, for a document whose Assertion IDs repeat."""
        path = self._file(".verify.xml", data)
        keys = ["--hmackey", str(self._file(".hmac", hmac_key))] if hmac_key is not None else [
            "--pubkey-cert-pem", str(cert)]
        id_attributes = ID_ATTRIBUTES[:2] if ids == "response" else ID_ATTRIBUTES
        command = [self.binary, "--verify", *keys, "--enabled-key-data", "key-name", *id_attributes,
                   "--node-xpath", signature_xpath, str(path)]
        result = subprocess.run(command, capture_output=True, text=True)
        return result.returncode == 0


RESPONSE_SIGNATURE = "/*[local-name()='Response']/*[local-name()='Signature']"
ASSERTION_SIGNATURE = "/*[local-name()='Response']/*[local-name()='Assertion']/*[local-name()='Signature']"


def signature_template(signature_method, digest_method, canonicalization, transforms, uri, key_info):
    E = lambda name, **attributes: etree.Element(q(DS, name), attributes, nsmap={"ds": DS})  # noqa: E731
    signature = E("Signature", Id="forge-signature")
    signed_info = etree.SubElement(signature, q(DS, "SignedInfo"))
    etree.SubElement(signed_info, q(DS, "CanonicalizationMethod"), Algorithm=canonicalization)
    etree.SubElement(signed_info, q(DS, "SignatureMethod"), Algorithm=signature_method)
    reference = etree.SubElement(signed_info, q(DS, "Reference"), URI=uri)
    if transforms:
        transforms_element = etree.SubElement(reference, q(DS, "Transforms"))
        for algorithm in transforms:
            transform = etree.SubElement(transforms_element, q(DS, "Transform"), Algorithm=algorithm)
            if algorithm == XSLT:
                transform.append(etree.fromstring(IDENTITY_XSLT))
    etree.SubElement(reference, q(DS, "DigestMethod"), Algorithm=digest_method)
    etree.SubElement(reference, q(DS, "DigestValue"))
    etree.SubElement(signature, q(DS, "SignatureValue"))
    if key_info == "x509":
        etree.SubElement(etree.SubElement(signature, q(DS, "KeyInfo")), q(DS, "X509Data"))
    elif key_info == "keyvalue":
        etree.SubElement(etree.SubElement(signature, q(DS, "KeyInfo")), q(DS, "KeyValue"))
    return signature


# --- helpers the cases share ---


def new_id():
    return "_forged" + os.urandom(12).hex()


def b64(data):
    return base64.b64encode(data).decode()


def make_attacker_key(directory):
    """A key and self-signed certificate that are not the IdP's (openssl CLI), in directory."""
    directory = Path(directory)
    key, cert = directory / "attacker-key.pem", directory / "attacker-cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
         "-subj", "/CN=Roster SAML test IdP", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    return key, cert


def with_doctype(data, doctype):
    """The document with `doctype` inserted after the XML declaration (text surgery: lxml would expand nothing)."""
    text = data.decode()
    if text.startswith("<?xml"):
        end = text.index("?>") + 2
        return (text[:end] + "\n" + doctype + text[end:]).encode()
    return (doctype + "\n" + text).encode()


def replace_name_id_text(data, old, new):
    """Replaces the NameID's text in the serialized document (entity references cannot be set through lxml)."""
    text = data.decode()
    start = text.index(">", text.index("NameID")) + 1
    end = text.index("<", start)
    if text[start:end] != old:
        raise FixtureError(f"the NameID is {text[start:end]!r}, not {old!r}")
    return (text[:start] + new + text[end:]).encode()


def temporary_directory(base):
    return tempfile.mkdtemp(prefix="forge.", dir=base)


__all__ = [name for name in dir() if not name.startswith("_")] + ["copy"]
