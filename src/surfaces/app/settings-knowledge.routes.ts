import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { AppError } from '../../domain/errors.js';
import type { Tenant } from '../../domain/tenants/index.js';
import type { AppDeps } from './services.js';
import { saveSettings, settingsTenant } from './settings-save.js';
import { knowledgeEntryBody, knowledgeParams } from './settings.schemas.js';

const tags = ['app: settings'];
type Entry = z.infer<typeof knowledgeEntryBody>;

/** The knowledge base's question-and-answer entries; `faq_<n>` is the id the assistant's index gives them too. */
function faqsOf(tenant: Tenant): Entry[] {
  return (tenant.config.chatbot?.knowledge_base?.faqs ?? []).map((f) => ({ question: f.question, answer: f.answer }));
}

const viewOf = (entry: Entry, index: number) => ({ id: `faq_${index + 1}`, ...entry });

/** The position of entry `id` in the list, or NOT_FOUND. */
function indexOf(faqs: Entry[], id: string): number {
  const index = Number(id.slice('faq_'.length)) - 1;
  if (index < 0 || index >= faqs.length) throw new AppError('NOT_FOUND', `Knowledge entry '${id}' not found`);
  return index;
}

const patchOf = (faqs: Entry[]) => ({ chatbot: { knowledge_base: { faqs } } });

/** `/app/api/settings/knowledge`: the assistant's question-and-answer entries, used from its next answer on. */
export function registerKnowledgeRoutes(scope: FastifyInstance, deps: AppDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const errors = ['UNAUTHENTICATED', 'FORBIDDEN'] as const;
  const example = { question: 'Do you take walk-ins?', answer: 'Yes, weekdays before noon.' };
  const config = { appSession: 'required' } as const;
  app.get(
    '/app/api/settings/knowledge',
    {
      schema: {
        tags,
        summary: 'The knowledge base entries',
        description: 'Each question the assistant can answer and its answer, in the order kept.',
        docs: { ok: { 200: '`{ data: [{ id, question, answer }] }`' }, errors },
      },
      config,
    },
    async (request) => ({ data: faqsOf(await settingsTenant(request, deps)).map(viewOf) }),
  );
  app.post(
    '/app/api/settings/knowledge',
    {
      schema: {
        body: knowledgeEntryBody,
        tags,
        summary: 'Add a knowledge base entry',
        description: 'Appended to the list; the assistant answers from it at once.',
        docs: { ok: { 201: '`{ data: { id, question, answer } }`' }, errors, example },
      },
      config,
    },
    async (request, reply) => {
      const saved = faqsOf(await saveSettings(request, deps, (t) => patchOf([...faqsOf(t), request.body])));
      return reply.code(201).send({ data: viewOf(saved.at(-1)!, saved.length - 1) });
    },
  );
  app.patch(
    '/app/api/settings/knowledge/:id',
    {
      schema: {
        params: knowledgeParams,
        body: knowledgeEntryBody,
        tags,
        summary: 'Change a knowledge base entry',
        description: 'The question and answer given replace the entry’s.',
        docs: { ok: { 200: '`{ data: { id, question, answer } }`' }, errors: [...errors, 'NOT_FOUND'], example },
      },
      config,
    },
    async (request) => {
      let index = -1;
      const saved = await saveSettings(request, deps, (t) => {
        const faqs = faqsOf(t);
        index = indexOf(faqs, request.params.id);
        return patchOf(faqs.map((f, i) => (i === index ? request.body : f)));
      });
      return { data: viewOf(faqsOf(saved)[index]!, index) };
    },
  );
  app.delete(
    '/app/api/settings/knowledge/:id',
    {
      schema: {
        params: knowledgeParams,
        tags,
        summary: 'Remove a knowledge base entry',
        description: 'The entries after it move up one: their ids change.',
        docs: { ok: { 204: 'Removed' }, errors: [...errors, 'NOT_FOUND'] },
      },
      config,
    },
    async (request, reply) => {
      await saveSettings(request, deps, (t) => {
        const faqs = faqsOf(t);
        const index = indexOf(faqs, request.params.id);
        return patchOf(faqs.filter((_f, i) => i !== index));
      });
      return reply.code(204).send();
    },
  );
}
