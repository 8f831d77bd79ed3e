import type { Db } from '../../store/db.js';
import type { Tx } from '../transaction.js';
import { createConversationQueryRepo } from './conversation-query.repo.js';
import { createConversationsRepo, type ConversationsRepo } from './conversations.repo.js';
import { createMessagesRepo, type MessagesRepo } from './messages.repo.js';

/** The conversation core's repos bound to one transaction, and the transaction for other concepts' rows. */
export interface ConversationTx {
  handle: Tx;
  conversations: ConversationsRepo;
  messages: MessagesRepo;
}

/** Every table the conversation core writes, and the one way to write several of them at once. */
export function createConversationStore(db: Db) {
  return {
    conversations: createConversationsRepo(db),
    messages: createMessagesRepo(db),
    query: createConversationQueryRepo(db),
    /** Runs `fn` in one transaction: all of its writes, ours and other concepts', commit together or not at all. */
    transaction<T>(fn: (tx: ConversationTx) => Promise<T>): Promise<T> {
      return db
        .transaction()
        .execute((trx) =>
          fn({ handle: trx, conversations: createConversationsRepo(trx), messages: createMessagesRepo(trx) }),
        );
    },
  };
}

export type ConversationStore = ReturnType<typeof createConversationStore>;
