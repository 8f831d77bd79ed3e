import { isOpen } from './business-hours.js';
import { initialState, type DialogEngine, type DialogTurn, type Phraser } from './dialog.js';
import { decide, type Draft } from './policy.js';
import { menu } from './quick-replies.js';
import { greeting } from './replies.js';
import { DEFAULT_ENGINE_TEXT_LIMIT, clipText } from '../text.js';

/** Runs the draft through the tenant's phrasing hook; any failure or empty answer keeps the draft. */
async function phrased(
  draft: Draft,
  message: string,
  instructions: string | undefined,
  phrase: Phraser | undefined,
): Promise<string> {
  if (!phrase) return draft.reply;
  try {
    const text = await phrase(draft.reply, {
      ...(instructions ? { instructions } : {}),
      knowledge: draft.knowledge,
      message,
    });
    return typeof text === 'string' && text.trim() !== '' ? text.trim() : draft.reply;
  } catch {
    return draft.reply;
  }
}

export interface DialogEngineOptions {
  /** Characters of a message the dialog reads (FRONTDESK_ENGINE_TEXT_LIMIT). */
  textLimit?: number;
}

export function createDialogEngine(options: DialogEngineOptions = {}): DialogEngine {
  const textLimit = options.textLimit ?? DEFAULT_ENGINE_TEXT_LIMIT;
  return {
    start(cfg, now): DialogTurn {
      return {
        reply: greeting(cfg, now),
        quickReplies: menu(),
        state: initialState(),
        intent: { name: null, confidence: 0 },
        actions: [],
        open: isOpen(cfg.businessHours, cfg.timezone, now),
      };
    },
    async turn(cfg, rawInput, phrase) {
      const input = { ...rawInput, text: clipText(rawInput.text, textLimit) };
      const draft = decide(cfg, input);
      return {
        reply: await phrased(draft, input.text, cfg.customInstructions, phrase),
        quickReplies: draft.quickReplies,
        state: draft.state,
        intent: { name: input.analysis.intent, confidence: input.analysis.intent_confidence },
        actions: draft.actions,
        open: isOpen(cfg.businessHours, cfg.timezone, input.now),
      };
    },
  };
}
