/// Roster's SP metadata, served at `/auth/saml/metadata` for the IdP to read: its entityID, the ACS (HTTP-POST),
/// signed assertions wanted, unsigned requests, emailAddress NameIDs.
public enum SAMLServiceProviderMetadata {
    /// The metadata document.
    public static func xml(entityID: String, assertionConsumerServiceURL: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="\(SAMLXMLText.escape(entityID))">
          <md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
            <md:NameIDFormat>\(SAMLAssertionRules.emailAddressFormat)</md:NameIDFormat>
            <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="\(SAMLXMLText.escape(assertionConsumerServiceURL))" index="0" isDefault="true"/>
          </md:SPSSODescriptor>
        </md:EntityDescriptor>

        """
    }
}
