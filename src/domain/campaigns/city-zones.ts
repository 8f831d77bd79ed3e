/**
 * A callee's zone from their city when their number does not tell (docs/campaigns.md): the cities
 * campaigns commonly target, matched on the lower-cased name. Unknown cities fall back to the tenant's zone.
 */
const ZONES: Record<string, string> = {
  'Asia/Kolkata':
    'mumbai,pune,delhi,new delhi,bangalore,bengaluru,hyderabad,chennai,kolkata,ahmedabad,jaipur,lucknow,surat,nagpur,indore,noida,gurgaon,gurugram,chandigarh,kochi',
  'Asia/Dubai': 'dubai,abu dhabi,sharjah',
  'Asia/Singapore': 'singapore',
  'Europe/London': 'london,manchester,birmingham',
  'America/New_York': 'new york,boston,miami,atlanta,philadelphia',
  'America/Chicago': 'chicago,dallas,houston,austin',
  'America/Denver': 'denver',
  'America/Los_Angeles': 'los angeles,san francisco,seattle,san diego',
};

const BY_CITY = new Map<string, string>(
  Object.entries(ZONES).flatMap(([zone, cities]) => cities.split(',').map((c) => [c, zone] as const)),
);

export function cityZone(city: string | null): string | undefined {
  return city ? BY_CITY.get(city.trim().toLowerCase()) : undefined;
}
