// Each level of the number fallback chain, end to end: what Facebook received, what the audit row and
// the log line say.
import assert from 'node:assert/strict';
import {
  addDirection, addNumber, connectedUser, eventually, graphRequests, launch, launchRow, logLinesFor, setLegacyNumber, type FacebookWorld, type TestUser,
} from './support.ts';


async function assertLaunchedWith(
  user: TestUser, world: FacebookWorld, directionId: string,
  expected: { number: string | null; numberId: string | null; source: string; logMessage: string },
) {
  const reply = await launch(user, { direction_id: directionId });
  assert.equal(reply.status, 200, reply.text);
  assert.equal(reply.body.status, 'succeeded');
  assert.match(reply.body.adset_id, /^\d+$/);
  assert.equal(reply.body.source, expected.source);
  assert.equal(reply.body.whatsapp_phone_number, expected.number);
  assert.equal(reply.body.used_page_fallback, false);

  const requests = await graphRequests(world);
  assert.equal(requests.length, 1, 'exactly one Graph call');
  const promoted = requests[0].body.promoted_object;
  assert.equal(promoted.page_id, world.pageId);
  if (expected.number === null) assert.equal('whatsapp_phone_number' in promoted, false, 'no number: the Page number applies');
  else assert.equal(promoted.whatsapp_phone_number, expected.number);

  const row = await launchRow(reply.body.launch_id);
  assert.equal(row.status, 'succeeded');
  assert.equal(row.number_source, expected.source);
  assert.equal(row.phone_number, expected.number);
  assert.equal(row.whatsapp_phone_number_id, expected.numberId);
  assert.equal(row.fb_adset_id, reply.body.adset_id);
  assert.equal(row.direction_id, directionId);
  assert.equal(row.attempts, 1);
  assert.ok(row.finished_at);

  const lines = await eventually(() => logLinesFor(reply.body.launch_id), (l) => l.some((x) => x.msg === expected.logMessage));
  const choice = lines.filter((l) => typeof l.msg === 'string' && /WhatsApp number|No WhatsApp number/.test(l.msg as string));
  assert.equal(choice.length, 1, `one number-choice line per launch: ${JSON.stringify(lines)}`);
  assert.equal(choice[0].msg, expected.logMessage);
  assert.equal(choice[0].source, expected.source);
}

Deno.test('level direction: the direction\'s own active number is sent', async () => {
  const { user, world } = await connectedUser({ connectedNumbers: ['+77011112233', '+77014445566'] });
  await addNumber(user, '+77011112233');
  const own = await addNumber(user, '+7 701 444 55 66');
  const directionId = await addDirection(user, world, { whatsapp_phone_number_id: own });
  await assertLaunchedWith(user, world, directionId, { number: '+77014445566', numberId: own, source: 'direction', logMessage: 'Using WhatsApp number from direction' });
});

Deno.test('level default: a direction without a number uses the default number', async () => {
  const { user, world } = await connectedUser({ connectedNumbers: ['+77011112233'] });
  const dflt = await addNumber(user, '+77011112233');
  await addNumber(user, '+77019998877');
  const directionId = await addDirection(user, world);
  await assertLaunchedWith(user, world, directionId, { number: '+77011112233', numberId: dflt, source: 'default', logMessage: 'Using default WhatsApp number' });
});

Deno.test('level default: a direction bound to an inactive number falls back to the default', async () => {
  const { user, world } = await connectedUser({ connectedNumbers: ['+77011112233'] });
  const dflt = await addNumber(user, '+77011112233');
  const inactive = await addNumber(user, '+77015550000');
  const directionId = await addDirection(user, world, { whatsapp_phone_number_id: inactive });
  const { error } = await user.client.from('whatsapp_phone_numbers').update({ is_active: false }).eq('id', inactive);
  assert.equal(error, null);
  await assertLaunchedWith(user, world, directionId, { number: '+77011112233', numberId: dflt, source: 'default', logMessage: 'Using default WhatsApp number' });
});

Deno.test('level legacy: only the legacy user_accounts number, sent in E.164', async () => {
  const { user, world } = await connectedUser({ connectedNumbers: ['77015556677'] });
  await setLegacyNumber(user, '+7 (701) 555-66-77');
  const directionId = await addDirection(user, world);
  await assertLaunchedWith(user, world, directionId, { number: '+77015556677', numberId: null, source: 'legacy', logMessage: 'Using legacy WhatsApp number' });
});

Deno.test('level page_default: no number anywhere, the field is omitted', async () => {
  const { user, world } = await connectedUser({ connectedNumbers: [] });
  const directionId = await addDirection(user, world);
  await assertLaunchedWith(user, world, directionId, {
    number: null, numberId: null, source: 'page_default', logMessage: "No WhatsApp number configured: Facebook uses the Page's own number",
  });
});

Deno.test('dry run: the exact request without the token, and nothing written or sent', async () => {
  const { user, world } = await connectedUser({ connectedNumbers: ['+77011112233'] });
  await addNumber(user, '+77011112233');
  const directionId = await addDirection(user, world, {
    default_settings: { targeting: { geo_locations: { countries: ['KZ'], cities: [{ key: '1535367', radius: 25, distance_unit: 'kilometer' }] }, age_min: 30 } },
  });
  const reply = await launch(user, { direction_id: directionId, dry_run: true, status: 'ACTIVE', daily_budget_cents: 700000 });
  assert.equal(reply.status, 200, reply.text);
  assert.equal(reply.body.dry_run, true);
  assert.equal(reply.body.source, 'default');
  assert.equal(reply.body.request.method, 'POST');
  assert.equal(reply.body.request.url, `${Deno.env.get('GRAPH_DOUBLE_URL')}/v23.0/act_${world.adAccountId}/adsets`);
  const body = reply.body.request.body;
  assert.equal(body.campaign_id, world.campaignId);
  assert.equal(body.daily_budget, '700000');
  assert.equal(body.billing_event, 'IMPRESSIONS');
  assert.equal(body.optimization_goal, 'CONVERSATIONS');
  assert.equal(body.destination_type, 'WHATSAPP');
  assert.equal(body.bid_strategy, 'LOWEST_COST_WITHOUT_CAP');
  assert.equal(body.status, 'ACTIVE');
  assert.deepEqual(body.promoted_object, { page_id: world.pageId, whatsapp_phone_number: '+77011112233' });
  assert.deepEqual(body.targeting.geo_locations.cities, [{ key: '1535367', radius: 25, distance_unit: 'kilometer' }]);
  assert.equal(body.targeting.age_min, 30);
  assert.deepEqual(body.targeting.targeting_automation, { advantage_audience: 0 });
  assert.ok(!reply.text.includes(world.token), 'the token is not in the dry run');
  assert.equal((await graphRequests(world)).length, 0, 'nothing sent to Facebook');
  const { data } = await user.client.from('adset_launches').select('id').eq('direction_id', directionId);
  assert.deepEqual(data, [], 'nothing written');
});

Deno.test('targeting defaults: a direction without settings still sends a location and the advantage flag', async () => {
  const { user, world } = await connectedUser({ connectedNumbers: [] });
  const directionId = await addDirection(user, world, { default_settings: {} });
  const reply = await launch(user, { direction_id: directionId });
  assert.equal(reply.status, 200, reply.text);
  const [request] = await graphRequests(world);
  assert.deepEqual(request.body.targeting, { geo_locations: { countries: ['KZ'] }, targeting_automation: { advantage_audience: 0 } });
  assert.equal(request.body.status, 'PAUSED', 'PAUSED unless asked');
});
