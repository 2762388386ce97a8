import Hummingbird
import RosterCore
import SCIM

/// `/healthz` (the process answers) and `/readyz` (the database is migrated and accepts writes), for Docker's
/// HEALTHCHECK and orchestrators. Neither needs authentication or says anything secret.
struct HealthController<Store: StoreReadiness>: Sendable {
    /// The store whose readiness is checked.
    let store: Store

    /// Adds the routes.
    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/healthz", use: health)
        router.get("/readyz", use: readiness)
    }

    /// GET /healthz: 200 while the process serves.
    @Sendable func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        APIResponse.json(.object(JSONObject([("status", .string("ok"))])))
    }

    /// GET /readyz: 200 when the database is ready, else 503 with the reason.
    @Sendable func readiness(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let problem = await store.readinessProblem() {
            return APIResponse.json(
                .object(JSONObject([("status", .string("unavailable")), ("detail", .string(problem))])),
                status: .serviceUnavailable
            )
        }
        return APIResponse.json(.object(JSONObject([("status", .string("ready"))])))
    }
}
