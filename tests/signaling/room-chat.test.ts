import t from 'tap';
import { RoomChat } from '../../server/signaling/room-chat.ts';
import { LIMITS } from '../../protocol/messages.ts';

const entry = (i: number) => ({ type: 'chat', from: 'Hx2m-LZ0c_9pQeRt7uVw1A', role: 'watcher', name: 'Ada', text: `#${i}`, at: i }) as const;

t.test('keeps the last messages, oldest first, and starts on', async (t) => {
  const chat = new RoomChat();
  t.equal(chat.enabled, true);
  t.same(chat.history(), []);
  for (let i = 0; i < LIMITS.chatHistory + 3; i++) chat.add(entry(i));
  const history = chat.history();
  t.equal(history.length, LIMITS.chatHistory);
  t.equal(history[0]?.text, '#3');
  t.equal(history.at(-1)?.text, `#${LIMITS.chatHistory + 2}`);
  history.pop();
  t.equal(chat.history().length, LIMITS.chatHistory, 'history() is a copy');
});
