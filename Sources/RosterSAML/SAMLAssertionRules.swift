/// What a verified ``SAMLResponse`` must satisfy to sign someone in (the SP's checks after the signature):
/// issuer, status, destination, a bearer confirmation for this ACS in time and in response to this browser's
/// request, the conditions' time window and exact audience, an `AuthnStatement`, and an email.
public struct SAMLAssertionRules: Sendable, Hashable {
    /// The IdP's entityID.
    public var identityProviderEntityID: String
    /// This SP's entityID: the audience.
    public var serviceProviderEntityID: String
    /// This SP's ACS URL: destination and recipient.
    public var assertionConsumerServiceURL: String
    /// How far clocks may disagree, in milliseconds.
    public var skew: Int64
    /// Whether a response without `InResponseTo` (IdP-initiated) is accepted.
    public var allowsUnsolicited: Bool

    /// Rules for one SP and IdP; the skew defaults to 90 s.
    public init(
        identityProviderEntityID: String,
        serviceProviderEntityID: String,
        assertionConsumerServiceURL: String,
        skew: Int64 = 90_000,
        allowsUnsolicited: Bool = false
    ) {
        self.identityProviderEntityID = identityProviderEntityID
        self.serviceProviderEntityID = serviceProviderEntityID
        self.assertionConsumerServiceURL = assertionConsumerServiceURL
        self.skew = skew
        self.allowsUnsolicited = allowsUnsolicited
    }

    /// The status of a successful response.
    public static let success = "urn:oasis:names:tc:SAML:2.0:status:Success"
    /// The bearer confirmation method.
    public static let bearer = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
    /// The emailAddress NameID format.
    public static let emailAddressFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
    /// Attribute names that carry an email: `email`, `mail`, LDAP's OID and the claim URI Entra and ADFS send.
    public static let emailAttributes = [
        "email", "mail", "Email", "urn:oid:0.9.2342.19200300.100.1.3",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    ]

    /// What an accepted response gives: who signed in, and how long to remember the assertion against replay.
    public struct Accepted: Sendable, Hashable {
        /// The email, as the IdP wrote it.
        public var email: String
        /// The Assertion's ID.
        public var assertionID: String
        /// Until when the assertion could be replayed (its latest validity end plus the skew), in ms since 1970.
        public var rememberUntil: Int64
    }

    /// Checks `response` at `now` (ms since 1970) against the request this browser started (`pendingRequestID`,
    /// nil when none is bound to it); returns the email on success.
    public func check(_ response: SAMLResponse, now: Int64, pendingRequestID: String?) throws(SAMLRejection) -> Accepted {
        guard response.assertionIssuer == identityProviderEntityID else {
            throw SAMLRejection(.issuer, "the Assertion's issuer is not the configured IdP")
        }
        if let issuer = response.responseIssuer, issuer != identityProviderEntityID {
            throw SAMLRejection(.issuer, "the Response's issuer is not the configured IdP")
        }
        guard response.status == Self.success else { throw SAMLRejection(.status, "status \(response.status ?? "missing")") }
        if let destination = response.destination, destination != assertionConsumerServiceURL {
            throw SAMLRejection(.destination, "the Response's Destination is not this ACS")
        }
        let expected = try expectedInResponseTo(response, pendingRequestID: pendingRequestID)
        let bearers = response.confirmations.filter { $0.method == Self.bearer }
        guard !bearers.isEmpty else { throw SAMLRejection(.recipient, "no bearer SubjectConfirmation") }
        var confirmed: SAMLResponse.Confirmation?
        var refusal = SAMLRejection(.recipient, "no bearer SubjectConfirmation for this ACS")
        for bearer in bearers {
            guard bearer.recipient == assertionConsumerServiceURL else {
                refusal = SAMLRejection(.recipient, "the bearer confirmation's Recipient is not this ACS")
                continue
            }
            guard let end = bearer.notOnOrAfter, now < end + skew else {
                refusal = SAMLRejection(.expired, "the bearer confirmation has expired or has no NotOnOrAfter")
                continue
            }
            guard bearer.notBefore == nil else {
                refusal = SAMLRejection(.notYetValid, "a bearer confirmation must not have NotBefore")
                continue
            }
            guard bearer.inResponseTo == expected else {
                refusal = SAMLRejection(.inResponseTo, "InResponseTo does not name this browser's pending request")
                continue
            }
            confirmed = bearer
            break
        }
        guard let confirmed else { throw refusal }
        guard response.hasConditions else { throw SAMLRejection(.audience, "no Conditions") }
        if let start = response.notBefore, now < start - skew { throw SAMLRejection(.notYetValid, "the assertion is not valid yet") }
        if let end = response.notOnOrAfter, now >= end + skew { throw SAMLRejection(.expired, "the assertion has expired") }
        guard !response.audienceRestrictions.isEmpty,
            response.audienceRestrictions.allSatisfy({ $0.contains(serviceProviderEntityID) })
        else { throw SAMLRejection(.audience, "the audience is not exactly this SP's entityID") }
        guard response.hasAuthnStatement else { throw SAMLRejection(.authnStatement, "no AuthnStatement") }
        guard let email = Self.email(in: response) else { throw SAMLRejection(.noEmail, "no emailAddress NameID and no email attribute") }
        let ends = [confirmed.notOnOrAfter, response.notOnOrAfter].compactMap { $0 }
        return Accepted(email: email, assertionID: response.assertionID, rememberUntil: (ends.max() ?? now) + skew)
    }

    /// The `InResponseTo` the response must carry: the pending request's ID, or none for an IdP-initiated sign-in
    /// (when allowed).
    private func expectedInResponseTo(_ response: SAMLResponse, pendingRequestID: String?) throws(SAMLRejection) -> String? {
        let named = response.confirmations.compactMap(\.inResponseTo) + [response.responseInResponseTo].compactMap { $0 }
        if let pendingRequestID {
            if let responseLevel = response.responseInResponseTo, responseLevel != pendingRequestID {
                throw SAMLRejection(.inResponseTo, "the Response's InResponseTo does not name this browser's pending request")
            }
            return pendingRequestID
        }
        guard named.isEmpty else { throw SAMLRejection(.inResponseTo, "InResponseTo names a request this browser has no pending sign-in for") }
        guard allowsUnsolicited else { throw SAMLRejection(.unsolicited, "IdP-initiated sign-in is off (SAML_ALLOW_IDP_INITIATED)") }
        return nil
    }

    /// The NameID when its format is emailAddress (or unspecified and it looks like one), else the first email
    /// attribute.
    static func email(in response: SAMLResponse) -> String? {
        if let nameID = response.nameID, !nameID.isEmpty, nameID.contains("@"),
            response.nameIDFormat == nil || response.nameIDFormat == emailAddressFormat
                || response.nameIDFormat == "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
        {
            return nameID
        }
        for name in emailAttributes {
            if let value = response.attributes[name]?.first(where: { $0.contains("@") }) { return value }
        }
        return nil
    }
}
