import { describe, expect, it } from 'vitest';
import { checkOwnerRole } from '../../../src/domain/tenants/index.js';

describe('who may hand out the owner role', () => {
  it('lets an owner give and take it', () => {
    expect(() => checkOwnerRole('owner', ['agent', 'owner'])).not.toThrow();
    expect(() => checkOwnerRole('owner', ['owner', 'admin'])).not.toThrow();
  });

  it('refuses an admin who would make or unmake an owner, and lets them move other roles', () => {
    expect(() => checkOwnerRole('admin', ['admin', 'owner'])).toThrow(/Only an owner/);
    expect(() => checkOwnerRole('admin', ['owner', 'viewer'])).toThrow(/Only an owner/);
    expect(() => checkOwnerRole('admin', ['agent', 'viewer'])).not.toThrow();
  });
});
