import type { ErrorData, Result } from '../../shared/domain/errors';
import type { StationEvent } from '../../shared/ipc/events';

/**
 * The browser host's wire protocol: JSON text frames over one WebSocket.
 *
 *   client → host  { "id": number, "channel": string, "input": unknown }
 *   host → client  { "id": number, "result": Result }          (the reply to that request)
 *   host → client  { "id": null, "result": { ok: false, … } }  (a frame that could not be read as a request)
 *   host → client  { "event": StationEvent }                   (pushed)
 *
 * Replies may arrive in any order; the client matches them by id.
 */
export interface WsRequest {
  id: number;
  channel: unknown;
  input: unknown;
}

export interface WsReply {
  id: number | null;
  result: Result<unknown>;
}

export interface WsEventFrame {
  event: StationEvent;
}

export type ParsedFrame = { ok: true; request: WsRequest } | { ok: false; reply: WsReply };

function unreadable(message: string): ParsedFrame {
  const error: ErrorData = { code: 'bad_input', message };
  return { ok: false, reply: { id: null, result: { ok: false, error } } };
}

/** Reads one frame as a request. The channel and input are checked by the gate, not here. */
export function parseFrame(data: string): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return unreadable('The message is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return unreadable('The message must be a JSON object { id, channel, input }.');
  }
  const frame = value as Record<string, unknown>;
  if (typeof frame.id !== 'number' || !Number.isFinite(frame.id)) {
    return unreadable('The message must carry a numeric id.');
  }
  return { ok: true, request: { id: frame.id, channel: frame.channel, input: frame.input } };
}
