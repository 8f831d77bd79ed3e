import { initialState } from '../../engine/dialog/dialog.js';
import { NO_QA, type Conversation } from './conversation-record.js';

/** Who a new conversation is with and where; everything else starts empty. */
export type ConversationOpening = Pick<
  Conversation,
  'id' | 'contactId' | 'sessionId' | 'userId' | 'channel' | 'context' | 'mode'
>;

/** A conversation as it is first inserted: active, the bot answering, no agent, intent or lead yet. */
export function newConversation(opening: ConversationOpening, at: string): Conversation {
  return {
    ...opening,
    status: 'active',
    botPaused: false,
    state: initialState(),
    assignedAgentId: null,
    department: null,
    priority: null,
    currentIntent: null,
    sentiment: null,
    leadId: null,
    summary: null,
    resolution: null,
    createdAt: at,
    updatedAt: at,
    lastActivityAt: at,
    closedAt: null,
    qa: NO_QA,
  };
}
