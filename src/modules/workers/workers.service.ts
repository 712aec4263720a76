// STUB — the identity helper implements workers: SMS log-in, real-name verification, consent, review.
export function createWorkersService(_deps: Record<string, unknown>) {
  return {};
}
export type WorkersService = ReturnType<typeof createWorkersService>;
