import t from 'tap';
import { Listeners, MessageListeners } from '../../protocol/listeners.ts';

t.test('on() adds a listener, emit() calls each in order, the returned function removes it', async (t) => {
  const events = new Listeners<{ state: [state: string, detail?: number]; open: [] }>();
  const calls: string[] = [];
  const off = events.on('state', (state, detail) => calls.push(`a:${state}:${detail ?? '-'}`));
  events.on('state', (state) => calls.push(`b:${state}`));
  events.on('open', () => calls.push('open'));
  events.emit('state', 'joined', 7);
  off();
  off();
  events.emit('state', 'closed');
  events.emit('open');
  t.same(calls, ['a:joined:7', 'b:joined', 'b:closed', 'open']);
});

t.test('MessageListeners hands each message to the listeners of its type only', async (t) => {
  const messages = new MessageListeners();
  const counts: number[] = [];
  const offers: string[] = [];
  messages.on('viewerCount', (m) => counts.push(m.count));
  messages.on('offer', (m) => offers.push(m.sdp));
  messages.deliver({ type: 'viewerCount', count: 3 });
  messages.deliver({ type: 'offer', from: 'Hx2m-LZ0c_9pQeRt7uVw1A', sdp: 'v=0' });
  messages.deliver({ type: 'broadcastEnded', id: 'Hx2m-LZ0c_9pQeRt7uVw1A' });
  t.same(counts, [3]);
  t.same(offers, ['v=0']);
});
