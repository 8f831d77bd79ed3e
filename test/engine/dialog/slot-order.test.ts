import { describe, expect, it } from 'vitest';
import { createDialogEngine } from '../../../src/engine/dialog/dialog-engine.js';
import { initialState, type DialogTurn } from '../../../src/engine/dialog/dialog.js';
import { analysis, dialogConfig } from './fixtures.js';

/**
 * Customers answer in their own order: an address when asked their name, a name and an e-mail in
 * one line, a correction that starts with "sorry". Each detail is kept once and never asked again.
 */

// Tuesday 10:00 in New York.
const OPEN = new Date('2026-03-10T14:00:00Z');
const dialog = createDialogEngine();
const plumbing = analysis({ intent: 'plumbing', intent_confidence: 0.95, entities: { project_type: 'plumbing' } });
const cfg = dialogConfig({ collectFields: ['name', 'email', 'phone', 'address', 'preferred_time'] });

async function play(texts: string[]): Promise<DialogTurn[]> {
  const turns: DialogTurn[] = [];
  let state = initialState();
  for (const [i, text] of texts.entries()) {
    const turn = await dialog.turn(cfg, { text, state, analysis: i === 0 ? plumbing : analysis(), now: OPEN });
    turns.push(turn);
    state = turn.state;
  }
  return turns;
}

describe('slots filled in any order', () => {
  it('keeps an address given when the name was asked, then takes name and e-mail from one line', async () => {
    const turns = await play([
      'the pipe under my sink burst',
      "It's at 14 Birch Lane, Austin TX 78701",
      'Ana Ruiz, ana.ruiz@example.com',
    ]);
    expect(turns[1]?.state.collected.address).toBe('14 Birch Lane, Austin TX 78701');
    expect(turns[1]?.state.next_expected_input).toBe('name');
    expect(turns[2]?.state.collected).toMatchObject({ name: 'Ana Ruiz', email: 'ana.ruiz@example.com' });
    // Phone and e-mail are one contact question, which the e-mail answered; the address is already known.
    expect(turns[2]?.state.next_expected_input).toBe('preferred_time');
  });

  it('replaces an e-mail corrected with "sorry, it\'s …" and goes on to the next detail', async () => {
    const turns = await play([
      'the pipe under my sink burst',
      'Ana Ruiz',
      'ana.ruiz@exmaple.com',
      "sorry, it's ana.ruiz@example.com",
    ]);
    expect(turns[3]?.state.collected.email).toBe('ana.ruiz@example.com');
    expect(turns[3]?.state.next_expected_input).toBe('address');
  });

  it('never takes "ok" for a name, even after a detail given early', async () => {
    const turns = await play(['the pipe under my sink burst, 14 Birch Lane, Austin TX 78701', 'ok', 'Ana Ruiz']);
    expect(turns[1]?.state.collected.name).toBeUndefined();
    expect(turns[2]?.state.collected).toMatchObject({ name: 'Ana Ruiz', address: '14 Birch Lane, Austin TX 78701' });
  });
});
