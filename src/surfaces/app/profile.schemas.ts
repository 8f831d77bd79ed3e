import { z } from 'zod';
import { e164Phone } from '../../domain/notifications/index.js';

/** A team member's own details: the mobile their notices are texted to (null clears it). */
export const profileBody = z.object({ phone: e164Phone.nullable() });
