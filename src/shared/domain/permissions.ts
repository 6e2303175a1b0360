/**
 * Roles and the permission table. The core checks these for every IPC call (the gate) and for every action
 * inside a handler that needs more than the channel's own permission. The renderer only uses them to hide
 * buttons a user cannot press; it never decides.
 */
export const ROLES = ['cashier', 'supervisor', 'technician', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'sale.operate',
  'sale.discount',
  'sale.price_override',
  'sale.void_line',
  'sale.post_void',
  'refund.with_receipt',
  'refund.without_receipt',
  'drawer.no_sale',
  'shift.operate',
  'shift.manage',
  'reports.view',
  'devices.test',
  'devices.configure',
  'staff.manage',
  'settings.manage',
  'audit.view',
  'backup.manage',
  /** Replacing the station database with a backup: administrators only (no role list below holds it). */
  'backup.restore',
  'sync.manage',
  'catalog.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const CASHIER: readonly Permission[] = ['sale.operate', 'refund.with_receipt', 'shift.operate'];
const SUPERVISOR: readonly Permission[] = [
  ...CASHIER,
  'sale.discount',
  'sale.price_override',
  'sale.void_line',
  'sale.post_void',
  'refund.without_receipt',
  'drawer.no_sale',
  'shift.manage',
  'reports.view',
];
const TECHNICIAN: readonly Permission[] = [
  'devices.test',
  'devices.configure',
  'audit.view',
  'backup.manage',
  'sync.manage',
];
const MANAGER: readonly Permission[] = [
  ...SUPERVISOR,
  'devices.test',
  'staff.manage',
  'settings.manage',
  'audit.view',
  'backup.manage',
  'sync.manage',
  'catalog.manage',
];

export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  cashier: new Set(CASHIER),
  supervisor: new Set(SUPERVISOR),
  technician: new Set(TECHNICIAN),
  manager: new Set(MANAGER),
  admin: new Set(PERMISSIONS),
};

/**
 * Permissions a supervisor may grant in the moment with their PIN (an override bound to one action). The
 * others (staff, settings, devices …) need a user who holds them to sign in.
 */
export const OVERRIDABLE: ReadonlySet<Permission> = new Set<Permission>([
  'sale.discount',
  'sale.price_override',
  'sale.void_line',
  'sale.post_void',
  'refund.without_receipt',
  'drawer.no_sale',
  // Approving a cash difference at a shift close, or an action a risk rule holds for a second person.
  'shift.manage',
]);

export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

export function permissionsOf(role: Role): Permission[] {
  return PERMISSIONS.filter((p) => ROLE_PERMISSIONS[role].has(p));
}
