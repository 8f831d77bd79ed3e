import { z } from 'zod';

/**
 * Spoken replies' section of the tenant configuration (`text_to_speech`): `openai`, an
 * OpenAI-compatible speech endpoint tried before the local voices (festival, then espeak-ng);
 * `local`, those voices only (the default); `none`, replies in text only. `api_key` is sealed
 * at rest like every secret-named key. This file imports nothing of ours so the tenant
 * configuration schema can compose it.
 */
export const textToSpeechSection = z.looseObject({
  provider: z.enum(['openai', 'local', 'none']).optional(),
  base_url: z.string().optional(),
  api_key: z.string().optional(),
  model: z.string().optional(),
  voice: z.string().optional(),
});
export type TextToSpeechConfig = z.infer<typeof textToSpeechSection>;
