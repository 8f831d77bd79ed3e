import { callrailChannel, callrailSpecChannel } from './callrail.js';
import { genericChannel } from './generic.js';
import { messengerChannel } from './messenger.js';
import { slackChannel } from './slack.js';
import { teamsChannel } from './teams.js';
import { telegramChannel } from './telegram.js';
import { whatsappChannel } from './whatsapp.js';

/**
 * Every inbound vendor, by the name its routes and `channel_routes` use. Adding one (Twilio,
 * Exotel) is one adapter file implementing `Channel`, one line here, and its routes.
 */
export const channels = {
  whatsapp: whatsappChannel,
  messenger: messengerChannel,
  slack: slackChannel,
  teams: teamsChannel,
  telegram: telegramChannel,
  generic: genericChannel,
  callrail: callrailChannel,
  callrailSpec: callrailSpecChannel,
} as const;
