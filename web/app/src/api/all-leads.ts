import type { LeadFilters, LeadListItem } from './app-api';
import { api } from './client';
import type { Answer } from '../hooks/useRequest';

/** The server's most per page. */
const PAGE = 100;
/** Enough for a year of a busy front desk; past it the counts say they are partial rather than hang the page. */
const MOST = 20_000;

/**
 * Every lead matching `filters`, a page at a time, for counting in the browser. Answers like one
 * request: the first refusal, or all the rows with the server's total.
 */
export async function allLeads(
  filters: LeadFilters,
): Promise<Answer<{ data: { leads: LeadListItem[]; total: number } }>> {
  const leads: LeadListItem[] = [];
  for (;;) {
    const answer = await api.GET('/app/api/leads', {
      params: { query: { ...filters, limit: PAGE, offset: leads.length } },
    });
    if (!answer.data) return answer;
    const { leads: page, total } = answer.data.data;
    leads.push(...page);
    if (page.length === 0 || leads.length >= total || leads.length >= MOST) {
      return { data: { data: { leads, total } }, response: answer.response };
    }
  }
}
