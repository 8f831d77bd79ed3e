import { queueContract } from '../contract/queue.contract.js';
import { dialects } from '../helpers/db.js';
import { openQueueHarness } from '../helpers/queue.js';

for (const { dialect, label, skip } of dialects) {
  queueContract(`embedded queue on ${label}`, () => openQueueHarness('embedded', dialect), { skip });
}
