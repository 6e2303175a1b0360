export { startWebHost, WS_PATH, type WebHost, type WebHostLogger, type WebHostOptions } from './host';
export { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from './headers';
export type { WsEventFrame, WsReply, WsRequest } from './protocol';
