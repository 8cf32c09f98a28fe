/**
 * The room chat on both pages: the log (rendered as text, never HTML), the send form with a display name chosen on
 * the page (kept in `localStorage`), and the room's on/off state. The server stamps who sent what and when.
 */
import { LIMITS, type ServerMessage, type ServerMessageOf } from '../../protocol/messages.ts';
import { byId } from './dom.ts';
import type { SignalingClient } from './signaling.ts';

/** Messages kept on the page; older ones are dropped from the log. */
const MAX_SHOWN = 200;
const NAME_KEY = 'onair.name';

export interface ChatElements {
  log: HTMLOListElement;
  form: HTMLFormElement;
  text: HTMLInputElement;
  name: HTMLInputElement;
  /** Where chat's state and refusals are said (chat off, too fast). */
  notice: HTMLElement;
}

/** The chat elements both pages have: `#chat-log`, `#chat-form`, `#chat-text`, `#chat-name`, `#chat-notice`. */
export function pageChatElements(): ChatElements {
  return {
    log: byId('chat-log', HTMLOListElement),
    form: byId('chat-form', HTMLFormElement),
    text: byId('chat-text', HTMLInputElement),
    name: byId('chat-name', HTMLInputElement),
    notice: byId('chat-notice', HTMLElement),
  };
}

function timeOf(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export class ChatPanel {
  private enabled = true;
  private connected = false;
  private signaling: SignalingClient | null = null;
  private unsubscribe: (() => void)[] = [];

  constructor(private readonly el: ChatElements) {
    el.text.maxLength = LIMITS.chatChars;
    el.name.maxLength = LIMITS.chatNameChars;
    el.name.value = localStorage.getItem(NAME_KEY) ?? '';
    el.name.addEventListener('change', () => localStorage.setItem(NAME_KEY, el.name.value.trim()));
    el.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.send();
    });
    this.update();
  }

  /**
   * Use `signaling` (a page's current relay connection) until {@link detach}.
   *
   * @param earlier for a panel set up after the page joined: that it has joined, and the messages that arrived before
   *                (replayed in order, as if they arrived now)
   */
  attach(signaling: SignalingClient, earlier: { joined: boolean; messages: readonly ServerMessage[] } = { joined: false, messages: [] }): void {
    this.detach();
    this.signaling = signaling;
    const onJoined = () => {
      this.connected = true;
      this.update();
    };
    const onHistory = (m: ServerMessageOf<'chatHistory'>) => {
      this.el.log.replaceChildren();
      for (const entry of m.messages) this.append(entry);
      this.setEnabled(m.enabled);
    };
    const onChat = (m: ServerMessageOf<'chat'>) => this.append(m);
    const onSettings = (m: ServerMessageOf<'chatSettings'>) => this.setEnabled(m.enabled);
    const onError = (m: ServerMessageOf<'error'>) => {
      if (m.code === 'chat_rate_limited' || m.code === 'chat_disabled') this.el.notice.textContent = m.message;
    };
    this.unsubscribe = [
      signaling.on('joined', onJoined),
      signaling.on('chatHistory', onHistory),
      signaling.on('chat', onChat),
      signaling.on('chatSettings', onSettings),
      signaling.on('error', onError),
    ];
    if (earlier.joined) onJoined();
    for (const m of earlier.messages) {
      if (m.type === 'chatHistory') onHistory(m);
      else if (m.type === 'chat') onChat(m);
      else if (m.type === 'chatSettings') onSettings(m);
      else if (m.type === 'error') onError(m);
    }
  }

  /** Stop using the relay connection (the page stopped it); the log stays. */
  detach(): void {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    this.signaling = null;
    this.disconnected();
  }

  /** Whether the room has chat on (the broadcaster's switch). */
  get isEnabled(): boolean {
    return this.enabled;
  }

  /** The relay connection dropped or was closed: chat is unavailable until the next `joined`. */
  disconnected(): void {
    this.connected = false;
    this.update();
  }

  private send(): void {
    const text = this.el.text.value.trim();
    if (!text || !this.enabled || !this.connected || !this.signaling) return;
    const name = this.el.name.value.trim().slice(0, LIMITS.chatNameChars);
    localStorage.setItem(NAME_KEY, name);
    this.signaling.send({ type: 'chat', text, ...(name ? { name } : {}) });
    this.el.text.value = '';
    this.el.notice.textContent = '';
  }

  private setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.update();
  }

  private update(): void {
    const usable = this.enabled && this.connected;
    this.el.text.disabled = !usable;
    this.el.form.dataset.enabled = String(this.enabled);
    this.el.notice.textContent = this.enabled ? '' : 'Chat is off in this room.';
  }

  private append(entry: ServerMessageOf<'chat'>): void {
    const li = document.createElement('li');
    li.dataset.role = entry.role;
    const time = document.createElement('time');
    time.dateTime = new Date(entry.at).toISOString();
    time.textContent = timeOf(entry.at);
    const name = document.createElement('strong');
    name.textContent = entry.name;
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = entry.text; // text, never HTML
    li.append(time, ' ', name, entry.role === 'broadcaster' ? ' (host)' : '', ': ', text);
    this.el.log.append(li);
    while (this.el.log.childElementCount > MAX_SHOWN) this.el.log.firstElementChild?.remove();
    this.el.log.scrollTop = this.el.log.scrollHeight;
  }
}
