// noVNC ships no types: the part of its RFB client the dashboard uses (core/rfb.js, its docs/API.md).
declare module '@novnc/novnc' {
  export interface RfbOptions {
    /** WebSocket subprotocols to offer. */
    wsProtocols?: string[];
    shared?: boolean;
  }
  export default class RFB extends EventTarget {
    constructor(target: HTMLElement, urlOrChannel: string | WebSocket, options?: RfbOptions);
    /** Scale the remote screen to the element (true) or show it at its own size. */
    scaleViewport: boolean;
    viewOnly: boolean;
    disconnect(): void;
    focus(): void;
  }
}
