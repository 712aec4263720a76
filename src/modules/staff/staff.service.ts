// STUB — the staff helper implements staff log-in, departments and staff accounts.
export function createStaffService(_deps: Record<string, unknown>) {
  return {};
}
export type StaffService = ReturnType<typeof createStaffService>;
