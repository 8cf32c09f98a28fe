/**
 * Room chat over real sockets: the server stamps sender, role and time and delivers to everyone in the room (and no
 * other room); text limits; the per-sender rate limit; the last 50 messages for new joiners; chat off by the
 * broadcaster only.
 */
import t from 'tap';
import { LIMITS } from '../../protocol/messages.ts';
import { startServer } from '../helpers/server.ts';
import { WsPeer } from '../helpers/ws-peer.ts';
import { PEER_ID, TEST_OPTIONS } from '../signaling/helpers.ts';

const server = await startServer();
t.teardown(() => server.close());

t.test('a chat message reaches everyone in the room, stamped by the server', TEST_OPTIONS, async (t) => {
  const b = await WsPeer.joined(server.wsUrl, 'chat-a', 'broadcaster');
  const w1 = await WsPeer.joined(server.wsUrl, 'chat-a', 'watcher');
  const w2 = await WsPeer.joined(server.wsUrl, 'chat-a', 'watcher');
  const elsewhere = await WsPeer.joined(server.wsUrl, 'chat-b', 'watcher');
  t.same(await w1.peer.next('chatHistory'), { type: 'chatHistory', enabled: true, messages: [] }, 'a new room has chat on, empty');

  const before = Date.now();
  w1.peer.send({ type: 'chat', text: '<b>hello</b> & welcome', name: 'Ada' });
  for (const p of [b, w1, w2]) {
    const m = await p.peer.next('chat');
    t.same({ ...m, at: 0 }, { type: 'chat', from: w1.joined.id, role: 'watcher', name: 'Ada', text: '<b>hello</b> & welcome', at: 0 }, 'text as sent, sender stamped');
    t.ok(m.at >= before && m.at <= Date.now(), 'at: the server time');
  }
  b.peer.send({ type: 'chat', text: 'Thanks for coming' });
  t.match(await w2.peer.next('chat'), { from: b.joined.id, role: 'broadcaster', name: 'Broadcaster' }, 'default name by role');
  t.match(await w1.peer.next('chat'), { from: b.joined.id });

  elsewhere.peer.send({ type: 'chat', text: 'only here' });
  t.match(await elsewhere.peer.next('chat'), { text: 'only here' });
  t.notOk([b, w1, w2].some((p) => p.peer.received.some((m) => m.type === 'chat' && m.text === 'only here')), 'no other room hears it');
  for (const p of [b, w1, w2, elsewhere]) await p.peer.close();
});

t.test('a forged sender, blank or over-long text, a long name are refused', TEST_OPTIONS, async (t) => {
  const w = await WsPeer.joined(server.wsUrl, 'chat-bad', 'watcher');
  const bad = [
    { type: 'chat', text: 'hi', from: 'q8ZtV0l3rW2xYb5cN1kP4g' },
    { type: 'chat', text: 'hi', role: 'broadcaster' },
    { type: 'chat', text: '   ' },
    { type: 'chat', text: 'x'.repeat(LIMITS.chatChars + 1) },
    { type: 'chat', text: 'hi', name: 'n'.repeat(LIMITS.chatNameChars + 1) },
    { type: 'chat', text: 'hi', name: '' },
  ];
  for (const message of bad) {
    w.peer.send(message);
    t.match(await w.peer.next(), { type: 'error', code: 'invalid_message' }, JSON.stringify(message).slice(0, 60));
  }
  w.peer.send({ type: 'chat', text: 'x'.repeat(LIMITS.chatChars) });
  t.match(await w.peer.next(), { type: 'chat', from: w.joined.id }, `${LIMITS.chatChars} characters are fine`);
  await w.peer.close();
});

t.test(`a sender gets ${LIMITS.chatBurst} messages at once, then chat_rate_limited; others are not affected`, TEST_OPTIONS, async (t) => {
  const chatty = await WsPeer.joined(server.wsUrl, 'chat-rate', 'watcher');
  const calm = await WsPeer.joined(server.wsUrl, 'chat-rate', 'watcher');
  for (let i = 0; i <= LIMITS.chatBurst; i++) chatty.peer.send({ type: 'chat', text: `message ${i}` });
  for (let i = 0; i < LIMITS.chatBurst; i++) t.match(await chatty.peer.next(), { type: 'chat', text: `message ${i}` });
  t.match(await chatty.peer.next(), { type: 'error', code: 'chat_rate_limited' });
  calm.peer.send({ type: 'chat', text: 'my turn' });
  // Two sockets: the server may read either first. Once calm hears its own message, the server has sent it to the
  // whole room, so chatty's copy is ahead of whatever chatty is told next.
  let echo = await calm.peer.next();
  while (echo.type === 'chat' && echo.from === chatty.joined.id) echo = await calm.peer.next();
  t.match(echo, { type: 'chat', text: 'my turn', from: calm.joined.id }, 'another sender is not limited');
  chatty.peer.send({ type: 'getBroadcast', to: 'AAAAAAAAAAAAAAAAAAAAAA' });
  t.match(await chatty.peer.next(), { type: 'chat', text: 'my turn', from: calm.joined.id }, 'chatty still hears the room');
  t.match(await chatty.peer.next(), { type: 'error', code: 'peer_not_found' });
  await chatty.peer.close();
  await calm.peer.close();
});

t.test(`a new joiner gets the last ${LIMITS.chatHistory} messages, oldest first`, TEST_OPTIONS, async (t) => {
  const senders: WsPeer[] = [];
  const total = LIMITS.chatHistory + 7;
  for (let i = 0; i < total; i++) {
    if (i % LIMITS.chatBurst === 0) senders.push((await WsPeer.joined(server.wsUrl, 'chat-history', 'watcher')).peer);
    const sender = senders.at(-1)!;
    sender.send({ type: 'chat', text: `#${i}` });
    await sender.next('chat');
  }
  const late = await WsPeer.joined(server.wsUrl, 'chat-history', 'broadcaster');
  const history = await late.peer.next('chatHistory');
  t.equal(history.messages.length, LIMITS.chatHistory);
  t.same(history.messages.map((m) => m.text), Array.from({ length: LIMITS.chatHistory }, (_, i) => `#${i + total - LIMITS.chatHistory}`));
  t.ok(history.messages.every((m) => PEER_ID.test(m.from) && m.role === 'watcher'));
  for (const p of [...senders, late.peer]) await p.close();
});

t.test('the broadcaster turns chat off and on; watchers cannot', TEST_OPTIONS, async (t) => {
  const b = await WsPeer.joined(server.wsUrl, 'chat-off', 'broadcaster');
  const w = await WsPeer.joined(server.wsUrl, 'chat-off', 'watcher');
  w.peer.send({ type: 'chatSettings', enabled: false });
  t.match(await w.peer.next(), { type: 'error', code: 'forbidden' });

  b.peer.send({ type: 'chatSettings', enabled: false });
  t.same(await w.peer.next(), { type: 'chatSettings', enabled: false }, 'the watcher is told');
  t.same(await b.peer.next(), { type: 'chatSettings', enabled: false }, 'the broadcaster is told');
  w.peer.send({ type: 'chat', text: 'anyone?' });
  t.match(await w.peer.next(), { type: 'error', code: 'chat_disabled' });
  b.peer.send({ type: 'chat', text: 'me neither' });
  t.match(await b.peer.next(), { type: 'error', code: 'chat_disabled' }, 'off for the broadcaster too');
  const late = await WsPeer.joined(server.wsUrl, 'chat-off', 'watcher');
  t.match(await late.peer.next('chatHistory'), { enabled: false }, 'a joiner learns chat is off');

  b.peer.send({ type: 'chatSettings', enabled: true });
  t.same(await late.peer.next(), { type: 'chatSettings', enabled: true });
  late.peer.send({ type: 'chat', text: 'back on' });
  t.match(await w.peer.next('chat'), { text: 'back on' });
  for (const p of [b, w, late]) await p.peer.close();
});
