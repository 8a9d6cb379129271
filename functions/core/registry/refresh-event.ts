/**
 * The event the scheduled registry refresh (an EventBridge rule, `infra/stateless-stack.ts`) sends to the convert
 * function, and how that function tells it from an HTTP request: API Gateway events always carry a `routeKey`.
 */
export const REGISTRY_REFRESH_EVENT = { "edc-gateway": "registry-refresh" } as const;

/** Whether a Lambda event is the scheduled registry refresh. */
export function isRegistryRefreshEvent(event: unknown): boolean {
  return (
    typeof event === "object" &&
    event !== null &&
    !("routeKey" in event) &&
    (event as Record<string, unknown>)["edc-gateway"] === REGISTRY_REFRESH_EVENT["edc-gateway"]
  );
}
