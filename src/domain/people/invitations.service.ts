import type { MailMessage } from '../../providers/notify/email.js';
import type { Actor } from '../actor.js';
import { checkOwnerRole, type Role, type TenantsService, type User, type UsersService } from '../tenants/index.js';

/** Inviting a person to the team from the web app: the invitation link goes by mail, never back to the inviter. */
export interface InvitationsService {
  /** Adds an invited user and mails them the link; the token is not returned. Only an owner invites an owner. */
  invite(
    actor: Actor,
    tenantId: string,
    input: { email: string; firstName?: string; lastName?: string; role: Role; byRole: string },
  ): Promise<User>;
  /** Mails an open invitation again with a fresh link; the old link stops working. */
  resend(actor: Actor, tenantId: string, userId: string): Promise<User>;
}

export interface InvitationsPorts {
  users: Pick<UsersService, 'create' | 'reinvite'>;
  tenants: Pick<TenantsService, 'get'>;
  mailer: { send(message: MailMessage): Promise<unknown> };
  /** Links in mail point here (`PUBLIC_BASE_URL`). */
  publicBaseUrl: string;
}

export function createInvitationsService(ports: InvitationsPorts): InvitationsService {
  const mail = async (user: User, token: string) => {
    const tenant = await ports.tenants.get(user.tenantId);
    const link = `${ports.publicBaseUrl}/app/invitations/${encodeURIComponent(token)}`;
    await ports.mailer.send({
      to: user.email,
      subject: `You are invited to ${tenant.name} on Frontdesk`,
      text: `You have been invited to join ${tenant.name} on Frontdesk as ${user.role}.\n\nOpen this link to choose your password:\n\n${link}\n\nIt works once, until ${user.invitationExpiresAt ?? 'it expires'}. If you did not expect it, ignore this message.`,
    });
  };
  return {
    async invite(actor, tenantId, input) {
      checkOwnerRole(input.byRole, [input.role]);
      const { invitationToken, ...user } = await ports.users.create(actor, tenantId, {
        email: input.email,
        role: input.role,
        send_invitation: true,
        ...(input.firstName ? { first_name: input.firstName } : {}),
        ...(input.lastName ? { last_name: input.lastName } : {}),
      });
      if (invitationToken) await mail(user, invitationToken);
      return user;
    },
    async resend(actor, tenantId, userId) {
      const { user, invitationToken } = await ports.users.reinvite(actor, tenantId, userId);
      await mail(user, invitationToken);
      return user;
    },
  };
}
