import type { Mailer } from '../../../providers/notify/email.js';
import { NotifyError, type LeadAlert } from '../../../providers/notify/notify.js';
import type { SlackNotifier } from '../../../providers/notify/slack.js';
import { StepFailure, type StepOutcome, type StepRunner } from '../step.js';

interface AnalysisOutput {
  score: number;
  tier: LeadAlert['tier'];
  intent: string;
  lead_id: string;
}

/**
 * `notification`: a lead at or above the tenant's `high_value_threshold` is announced on Slack
 * (incoming webhook) and by e-mail (SMTP, or the outbox when none is configured).
 */
export function notificationStep(deps: { slack: SlackNotifier; mailer: Mailer; publicBaseUrl: string }): StepRunner {
  return async (input): Promise<StepOutcome> => {
    const analysis = input.outputs.ai_analysis as AnalysisOutput | undefined;
    if (!analysis) return { status: 'skipped', reason: 'no analysis to report' };
    const {
      high_value_threshold: threshold,
      slack_webhook: slackWebhook,
      email_alerts: emails,
    } = input.config.notification_config;
    if (analysis.score < threshold)
      return { status: 'skipped', reason: `score ${analysis.score} is below high_value_threshold ${threshold}` };
    if (!slackWebhook && emails.length === 0)
      return { status: 'skipped', reason: 'no slack_webhook or email_alerts configured' };

    const callData = input.request.callData;
    const enriched = input.request.enrichedData as { ai_analysis?: { reasoning?: string } };
    const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    const alert: LeadAlert = {
      leadId: analysis.lead_id,
      score: analysis.score,
      tier: analysis.tier,
      intent: analysis.intent,
      ...(text(callData.caller_name) ? { callerName: text(callData.caller_name) } : {}),
      ...(text(callData.caller_phone) ? { callerPhone: text(callData.caller_phone) } : {}),
      ...(enriched.ai_analysis?.reasoning ? { summary: enriched.ai_analysis.reasoning } : {}),
      leadUrl: `${deps.publicBaseUrl}/v1/tenants/${encodeURIComponent(input.tenantId)}/requests/${input.request.id}`,
      source: input.request.source,
    };
    const sent: string[] = [];
    try {
      if (slackWebhook) {
        await deps.slack.notifyLead(slackWebhook, alert);
        sent.push('slack');
      }
      if (emails.length > 0) {
        const who = alert.callerName ?? alert.callerPhone ?? 'a caller';
        const mail = await deps.mailer.send({
          to: emails,
          subject: `${alert.tier} lead (${alert.score}): ${who}`,
          text: [
            `Score ${alert.score} (${alert.tier}), intent ${alert.intent}.`,
            alert.summary ?? '',
            `Caller: ${who}`,
            `Details: ${alert.leadUrl}`,
          ]
            .filter(Boolean)
            .join('\n'),
        });
        sent.push(`email:${mail.transport}`);
      }
    } catch (err) {
      if (err instanceof NotifyError)
        throw new StepFailure(`${err.channel}: ${err.message}`, 'NOTIFICATION_ERROR', err.retryable);
      throw err;
    }
    return { status: 'completed', output: { channels: sent } };
  };
}
