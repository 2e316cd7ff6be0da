// Builds the ad set targeting from a direction's default_settings, with the fields Facebook requires:
// geo_locations (a location is mandatory) and, since v23, targeting_automation.advantage_audience.
const TARGETING_KEYS = [
  'geo_locations', 'excluded_geo_locations', 'age_min', 'age_max', 'genders', 'locales', 'flexible_spec',
  'exclusions', 'custom_audiences', 'excluded_custom_audiences', 'interests', 'behaviors', 'publisher_platforms',
  'facebook_positions', 'instagram_positions', 'device_platforms', 'targeting_automation',
];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

const LOCATION_KEYS = ['countries', 'regions', 'cities', 'zips', 'custom_locations', 'geo_markets', 'country_groups', 'places'];

function hasLocation(geo: unknown): boolean {
  return isObject(geo) && LOCATION_KEYS.some((key) => Array.isArray(geo[key]) && (geo[key] as unknown[]).length > 0);
}

function advantageFlag(value: unknown): 0 | 1 | undefined {
  if (value === true || value === 1 || value === '1') return 1;
  if (value === false || value === 0 || value === '0') return 0;
  return undefined;
}

/**
 * `default_settings` may hold a full Facebook spec under `targeting`, or the same keys at top level,
 * or shorthands (`countries`, `cities`, `regions`, `advantage_audience`).
 */
export function buildTargeting(defaultSettings: unknown, fallbackCountry: string): Json {
  const settings = isObject(defaultSettings) ? defaultSettings : {};
  const source = isObject(settings.targeting) ? settings.targeting : settings;
  const targeting: Json = {};
  for (const key of TARGETING_KEYS) if (source[key] !== undefined) targeting[key] = structuredClone(source[key]);

  const geo: Json = isObject(targeting.geo_locations) ? targeting.geo_locations : {};
  for (const shorthand of ['countries', 'regions', 'cities'] as const) {
    if (geo[shorthand] === undefined && Array.isArray(source[shorthand])) geo[shorthand] = source[shorthand];
  }
  targeting.geo_locations = hasLocation(geo) ? geo : { ...geo, countries: [fallbackCountry] };

  const automation: Json = isObject(targeting.targeting_automation) ? targeting.targeting_automation : {};
  // Advantage audience off by default: the direction's audience stays a hard limit unless the user opted in.
  automation.advantage_audience = advantageFlag(automation.advantage_audience) ?? advantageFlag(source.advantage_audience) ?? 0;
  targeting.targeting_automation = automation;
  return targeting;
}
