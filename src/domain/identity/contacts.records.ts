export interface Contact {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  attributes: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface ContactIdentity {
  channel: string;
  platformUserId: string;
}

/** What a message, a lead or an integration says about a person; phone and e-mail are normalised by identity. */
export interface ContactFacts {
  name?: string | undefined;
  phone?: string | undefined;
  email?: string | undefined;
  attributes?: Record<string, unknown> | undefined;
}

export interface IntegrationContactUpdate extends ContactFacts {
  /** Platform or CRM ids of the person (`{ channel: 'generic', platformUserId: 'crm_123' }`). */
  externalIds?: ContactIdentity[] | undefined;
}
