/**
 * Mailbox providers anyone can sign up to, plus placeholder domains. An address here says
 * nothing about the sender's employer. Kept as a shipped list so enrichment works offline.
 */
const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.co.uk', 'yahoo.ca', 'yahoo.com.au', 'yahoo.co.in', 'yahoo.fr',
  'yahoo.de', 'ymail.com', 'rocketmail.com', 'hotmail.com', 'hotmail.co.uk', 'hotmail.fr', 'hotmail.de', 'outlook.com',
  'outlook.co.uk', 'live.com', 'live.co.uk', 'msn.com', 'passport.com', 'icloud.com', 'me.com', 'mac.com', 'aol.com',
  'aim.com', 'protonmail.com', 'protonmail.ch', 'proton.me', 'pm.me', 'tutanota.com', 'tuta.io', 'fastmail.com',
  'fastmail.fm', 'hey.com', 'gmx.com', 'gmx.net', 'gmx.de', 'gmx.at', 'web.de', 'mail.com', 'email.com', 'usa.com',
  'zoho.com', 'zohomail.com', 'yandex.com', 'yandex.ru', 'mail.ru', 'inbox.ru', 'bk.ru', 'list.ru', 'rambler.ru',
  'qq.com', '163.com', '126.com', 'sina.com', 'sohu.com', 'naver.com', 'hanmail.net', 'daum.net', 'rediffmail.com',
  'libero.it', 'virgilio.it', 'orange.fr', 'wanadoo.fr', 'free.fr', 'laposte.net', 'sfr.fr', 't-online.de',
  'btinternet.com', 'sky.com', 'virginmedia.com', 'talktalk.net', 'ntlworld.com', 'shaw.ca', 'rogers.com',
  'sympatico.ca', 'bigpond.com', 'bigpond.net.au', 'optusnet.com.au', 'comcast.net', 'verizon.net', 'att.net',
  'sbcglobal.net', 'bellsouth.net', 'cox.net', 'charter.net', 'earthlink.net', 'optonline.net', 'frontier.com',
  'windstream.net', 'juno.com', 'netzero.net', 'mailinator.com', 'guerrillamail.com', '10minutemail.com',
  'yopmail.com', 'trashmail.com', 'example.com', 'example.org', 'example.net', 'test.com',
]);

export function isFreeMailDomain(domain: string): boolean {
  return FREE_MAIL_DOMAINS.has(domain.toLowerCase());
}
