import { slackCommandReply } from '../../providers/messaging/slack-web.js';
import { teamsReplyActivity } from '../../providers/messaging/teams.js';
import type { InlineReply } from './turns.js';

/*
 * Slack slash commands and Teams outgoing webhooks read the turn's answer off the webhook's own
 * HTTP response. The platforms' formats belong to the messaging providers, which a surface may not
 * import, so the surface sends what these return.
 */

type Answers = InlineReply['answers'];

/** A slash command's inline answer: the turn's answers as one message, their quick replies as buttons. */
export function slackInlineBody(answers: Answers): Record<string, unknown> {
  return slackCommandReply(
    joinedText(answers),
    answers.flatMap((a) => a.quickReplies),
  );
}

/** A Teams outgoing webhook's answer: the turn's answers as one message activity. */
export function teamsInlineBody(answers: Answers): Record<string, unknown> {
  return teamsReplyActivity(
    joinedText(answers),
    answers.flatMap((a) => a.quickReplies),
  );
}

function joinedText(answers: Answers): string {
  return answers.map((a) => a.text).join('\n\n');
}
