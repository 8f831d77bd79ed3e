/** Every header form of the five documents resolves to one of these. */
export type PrincipalKind = 'admin' | 'tenant-key' | 'user' | 'widget' | 'owner';

export interface Principal {
  kind: PrincipalKind;
  /** Absent only for the platform admin, who may act on any tenant. */
  tenantId: string | null;
  scopes: string[];
  /** The credential or user behind it, for the audit log. */
  subjectId: string | null;
  /** False for `fd_test_…` keys. */
  live: boolean;
}
