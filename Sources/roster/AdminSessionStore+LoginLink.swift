import RosterCore

extension AdminSessionStore {
    /// Stores a one-time sign-in link for `email`, which must be in `admins`, and returns it (starting with
    /// `baseURL`); the audit trail records it as issued by the command line's user. Works on any store,
    /// `any RosterStorage` included, which ``AdminAccess``'s initializer cannot take.
    func issueLoginLink(for email: String, admins: AdminAllowList, baseURL: String) async throws(AdminAccessError) -> String {
        try await AdminAccess(store: self, admins: admins).issueLoginLink(for: email, baseURL: baseURL, by: .commandLineUser())
    }
}
