/**
 * OnAir's one Redis client module (Redis 7, through `ioredis`): it owns the two connections (commands, and one in
 * subscriber mode for pub/sub), their reconnection, the key layout and the Lua scripts. Nothing else imports ioredis.
 *
 * Key layout (a single Redis, not Redis Cluster: the scripts build key names):
 * - `onair:rooms`                   sorted set, room name → expiry (ms since the epoch): the cluster's rooms
 * - `onair:room:<room>:nodes`       sorted set, node id → expiry: the nodes that hold peers of the room
 * - `onair:room:<room>:node:<node>` hash, peer id → `watcher` | `broadcaster` | `broadcaster live`, with a TTL
 * - `onair:janus-loads`             hash, node id → JSON `{ e: expiry ms, l: { <Janus URL>: subscriptions } }`
 *
 * Every entry expires unless its node rewrites it (its heartbeat, see `cluster.ts`), so a dead node's peers vanish
 * within a TTL and a restarted, empty Redis is refilled by the next heartbeat of each node.
 *
 * Channels (pub/sub, at most once: what is published while a subscriber is disconnected is lost):
 * `onair:node:<node>` for messages to peers of one node, `onair:room:<room>` for a room's events and fan-out.
 * Redis delivers a connection's publishes to each subscriber in the order it received them, which keeps the
 * relay's order per sender and receiver across nodes.
 */
import { EventEmitter } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';

/** What a peer is in a room, as the hash stores it. */
export type MemberValue = 'watcher' | 'broadcaster' | 'broadcaster live';

/** One peer of the cluster, as Redis holds it. */
export interface MemberRecord {
  room: string;
  node: string;
  id: string;
  value: MemberValue;
}

/** What one node holds, for its heartbeat's full rewrite. */
export interface NodeRooms {
  room: string;
  members: ReadonlyArray<readonly [id: string, value: MemberValue]>;
}

const ROOMS = 'onair:rooms';
const JANUS_LOADS = 'onair:janus-loads';
const roomPrefix = 'onair:room:';
const nodesKey = (room: string) => `${roomPrefix}${room}:nodes`;
const hashKey = (room: string, node: string) => `${roomPrefix}${room}:node:${node}`;
/** The channel of one node's peers. */
export const nodeChannel = (node: string) => `onair:node:${node}`;
/** The channel of one room's events and fan-out. */
export const roomChannel = (room: string) => `onair:room:${room}`;

/**
 * The members of every live room (ARGV[3] empty) or of one room (ARGV[3] = its name), as flat quadruples
 * room, node, id, value; expired rooms and nodes are dropped on the way.
 */
const MEMBERS_LUA = `
local now, prefix, only = ARGV[1], ARGV[2], ARGV[3]
local rooms
if only ~= '' then rooms = { only } else
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
  rooms = redis.call('ZRANGE', KEYS[1], 0, -1)
end
local out = {}
for _, r in ipairs(rooms) do
  local nk = prefix .. r .. ':nodes'
  redis.call('ZREMRANGEBYSCORE', nk, '-inf', now)
  for _, n in ipairs(redis.call('ZRANGE', nk, 0, -1)) do
    local h = redis.call('HGETALL', prefix .. r .. ':node:' .. n)
    for i = 1, #h, 2 do
      out[#out + 1] = r; out[#out + 1] = n; out[#out + 1] = h[i]; out[#out + 1] = h[i + 1]
    end
  end
end
return out`;

type MembersCommand = (key: string, now: number, prefix: string, only: string) => Promise<string[]>;

/** Events: `up` once both connections are ready (again: rewrite what Redis may have lost), `down` when one drops. */
export interface RedisLinkEvents {
  up: [];
  down: [];
  message: [channel: string, message: string];
}

export class RedisLink extends EventEmitter<RedisLinkEvents> {
  private readonly commands: Redis;
  private readonly subscriber: Redis;
  private upNow = false;

  /**
   * Connect to `url` (`redis://` or `rediss://`); never throws for an unreachable Redis: it keeps retrying (every
   * 100 ms growing to 1 s) and says `up` when it gets through.
   */
  constructor(url: string, private readonly log: FastifyBaseLogger) {
    super();
    const options = {
      // Fail fast while Redis is down (the node degrades to its own peers) rather than queue stale messages.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      retryStrategy: (times: number) => Math.min(100 * times, 1000),
    };
    this.commands = new Redis(url, { ...options, connectionName: 'onair-commands' });
    // The subscriber queues its SUBSCRIBEs until connected, and ioredis subscribes again after a reconnect.
    this.subscriber = new Redis(url, { ...options, enableOfflineQueue: true, autoResubscribe: true, connectionName: 'onair-subscriber' });
    this.subscriber.on('message', (channel: string, message: string) => this.emit('message', channel, message));
    for (const client of [this.commands, this.subscriber]) {
      client.on('ready', () => this.updateState());
      client.on('close', () => this.updateState());
      client.on('error', (err: Error) => this.log.debug({ err: err.message }, 'redis connection error'));
    }
    (this.commands as unknown as { defineCommand: Redis['defineCommand'] }).defineCommand('onairMembers', { numberOfKeys: 1, lua: MEMBERS_LUA });
  }

  /** True while both connections are ready. */
  get up(): boolean {
    return this.upNow;
  }

  private updateState(): void {
    const up = this.commands.status === 'ready' && this.subscriber.status === 'ready';
    if (up === this.upNow) return;
    this.upNow = up;
    this.log.info({ redis: up ? 'up' : 'down' }, up ? 'redis connected' : 'redis connection lost');
    this.emit(up ? 'up' : 'down');
  }

  /** Listen on a channel (queued until connected; kept across reconnections). */
  async subscribe(channel: string): Promise<void> {
    await this.subscriber.subscribe(channel);
  }

  async unsubscribe(channel: string): Promise<void> {
    await this.subscriber.unsubscribe(channel);
  }

  /** Publish; rejects while Redis is down. */
  async publish(channel: string, message: string): Promise<void> {
    await this.commands.publish(channel, message);
  }

  /**
   * Add or update one member and publish `event` on the room's channel, in one transaction (the state is written
   * before anyone hears of it).
   */
  async setMember(record: MemberRecord, ttlMs: number, event: string): Promise<void> {
    const expiry = Date.now() + ttlMs;
    const { room, node } = record;
    await this.commands
      .multi()
      .hset(hashKey(room, node), record.id, record.value)
      .pexpire(hashKey(room, node), ttlMs)
      .zadd(nodesKey(room), expiry, node)
      .pexpire(nodesKey(room), ttlMs)
      .zadd(ROOMS, expiry, room)
      .publish(roomChannel(room), event)
      .exec();
  }

  /** Remove one member and publish `event` on the room's channel, in one transaction. */
  async removeMember(room: string, node: string, id: string, event: string): Promise<void> {
    await this.commands.multi().hdel(hashKey(room, node), id).publish(roomChannel(room), event).exec();
  }

  /**
   * Rewrite everything `node` holds, with a fresh TTL: each room's hash replaced whole (atomically, one
   * transaction), the node and the rooms marked live until now + `ttlMs`.
   */
  async writeNode(node: string, rooms: readonly NodeRooms[], ttlMs: number): Promise<void> {
    if (rooms.length === 0) return;
    const expiry = Date.now() + ttlMs;
    const tx = this.commands.multi();
    for (const { room, members } of rooms) {
      const key = hashKey(room, node);
      tx.del(key);
      if (members.length > 0) tx.hset(key, Object.fromEntries(members)).pexpire(key, ttlMs);
      tx.zadd(nodesKey(room), expiry, node).pexpire(nodesKey(room), ttlMs).zadd(ROOMS, expiry, room);
    }
    await tx.exec();
  }

  /** Forget `node`'s hash of `room` now (its last peer there left). */
  async dropRoom(room: string, node: string): Promise<void> {
    await this.commands.multi().del(hashKey(room, node)).zrem(nodesKey(room), node).exec();
  }

  /** Every live member of `room`, or of every room when `room` is null. Rejects while Redis is down. */
  async members(room: string | null = null): Promise<MemberRecord[]> {
    const flat = await (this.commands as unknown as { onairMembers: MembersCommand }).onairMembers(ROOMS, Date.now(), roomPrefix, room ?? '');
    const records: MemberRecord[] = [];
    for (let i = 0; i + 3 < flat.length; i += 4) {
      records.push({ room: flat[i]!, node: flat[i + 1]!, id: flat[i + 2]!, value: flat[i + 3] as MemberValue });
    }
    return records;
  }

  /** Write `node`'s subscriptions per Janus instance (by its URL), valid until now + `ttlMs`. */
  async writeJanusLoads(node: string, loads: Readonly<Record<string, number>>, ttlMs: number): Promise<void> {
    await this.commands.hset(JANUS_LOADS, node, JSON.stringify({ e: Date.now() + ttlMs, l: loads }));
  }

  /**
   * Every node's valid entry of {@link writeJanusLoads}, by node id; expired (or unreadable) entries are removed.
   * Rejects while Redis is down.
   */
  async janusLoads(): Promise<Map<string, Record<string, number>>> {
    const now = Date.now();
    const byNode = new Map<string, Record<string, number>>();
    const stale: string[] = [];
    for (const [node, json] of Object.entries(await this.commands.hgetall(JANUS_LOADS))) {
      try {
        const entry: unknown = JSON.parse(json);
        const { e, l } = (entry ?? {}) as { e?: unknown; l?: unknown };
        if (typeof e !== 'number' || e < now || typeof l !== 'object' || l === null) throw new Error('stale');
        // Only counts are kept: an entry is ours, but a stray field must not become a load.
        byNode.set(node, Object.fromEntries(Object.entries(l).filter((kv): kv is [string, number] => Number.isFinite(kv[1]))));
      } catch {
        stale.push(node);
      }
    }
    if (stale.length > 0) await this.commands.hdel(JANUS_LOADS, ...stale);
    return byNode;
  }

  /** Close both connections (no reconnection after). */
  async close(): Promise<void> {
    this.removeAllListeners('up');
    this.removeAllListeners('down');
    await Promise.allSettled([this.commands.quit(), this.subscriber.quit()]);
    this.commands.disconnect();
    this.subscriber.disconnect();
  }
}
