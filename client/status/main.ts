/**
 * The operator's status page (`/status`): the rooms live on this server and their audiences, from `GET /api/rooms`
 * every 2 s. Served only to addresses in `METRICS_ALLOW`, like the API it reads.
 */
import { RoomsReport, type RoomSummary } from '../../protocol/rooms-report.ts';
import { byId, setPageState } from '../shared/dom.ts';

const REFRESH_MS = 2000;
const SFU_TEXT: Record<RoomsReport['sfu'], string> = { off: 'none', connecting: 'connecting', up: 'up', down: 'down, reconnecting', closed: 'stopped' };
const totals = byId('totals', HTMLElement);
const body = byId('rooms', HTMLTableSectionElement);

function cell(text: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

function row(room: RoomSummary): HTMLTableRowElement {
  const tr = document.createElement('tr');
  const th = document.createElement('th');
  th.scope = 'row';
  th.textContent = room.name;
  const d = room.delivered;
  tr.append(
    th,
    cell(room.live ? 'live' : room.broadcaster ? 'starting' : 'waiting'),
    cell(String(room.watchers)),
    cell(room.path === 'sfu' ? `media server: ${room.viewersByPath.sfu}, peer to peer: ${room.viewersByPath.mesh}` : `peer to peer: ${room.viewersByPath.mesh}`),
    cell(d ? String(d.connected) : '–'),
    cell(d ? `${d.bitrateKbps} kbit/s` : '–'),
    cell(d ? `${d.fps} fps` : '–'),
    cell(room.chatEnabled ? 'on' : 'off'),
  );
  return tr;
}

async function refresh(): Promise<void> {
  try {
    const response = await fetch('/api/rooms', { cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const parsed = RoomsReport.safeParse(await response.json());
    if (!parsed.success) throw new Error(`unexpected /api/rooms document: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const report = parsed.data;
    const t = report.totals;
    totals.textContent = `${t.rooms} room${t.rooms === 1 ? '' : 's'}, ${t.live} live, ${t.watchers} watcher${t.watchers === 1 ? '' : 's'}; media server: ${SFU_TEXT[report.sfu]}`;
    body.replaceChildren(...report.rooms.map(row));
    setPageState('ok');
  } catch (err) {
    totals.textContent = `Cannot read /api/rooms: ${err instanceof Error ? err.message : String(err)}`;
    setPageState('error');
  }
}

void refresh();
setInterval(() => void refresh(), REFRESH_MS);
