import { useEffect, useRef, useState } from 'react';
import type { LiveEvent, LiveEventType } from '../api/app-api';
import { BASE } from '../router';

const TYPES: LiveEventType[] = [
  'message.created',
  'typing',
  'conversation.transferred',
  'conversation.updated',
  'lead.created',
  'lead.updated',
];

/** A stream the server refused (signed out, too many open) stays closed; it is tried again this much later. */
const REOPEN_MS = 30_000;
/** A page switch unsubscribes one page just before the next subscribes; the stream outlives that gap. */
const CLOSE_DELAY_MS = 2_000;

interface Subscriber {
  onEvent: (event: LiveEvent) => void;
  onOpen: () => void;
  onState: (connected: boolean) => void;
}

// One stream per tab, shared by every mounted page that listens.
const subscribers = new Set<Subscriber>();
let source: EventSource | null = null;
let connected = false;
let reopenTimer: number | undefined;
let closeTimer: number | undefined;

function setConnected(value: boolean): void {
  connected = value;
  for (const s of [...subscribers]) s.onState(value);
}

function open(): void {
  const stream = new EventSource(`${BASE}/api/events`);
  source = stream;
  stream.onopen = () => {
    setConnected(true);
    for (const s of [...subscribers]) s.onOpen();
  };
  stream.onerror = () => {
    setConnected(false);
    // EventSource reconnects a dropped stream by itself; only a refused one ends up closed.
    if (stream.readyState !== EventSource.CLOSED) return;
    source = null;
    reopenTimer = window.setTimeout(() => {
      reopenTimer = undefined;
      if (subscribers.size > 0 && !source) open();
    }, REOPEN_MS);
  };
  for (const type of TYPES)
    stream.addEventListener(type, (message) => {
      const event = JSON.parse((message as MessageEvent<string>).data) as LiveEvent;
      for (const s of [...subscribers]) s.onEvent(event);
    });
}

function shut(): void {
  window.clearTimeout(reopenTimer);
  reopenTimer = undefined;
  source?.close();
  source = null;
  connected = false;
}

function subscribe(subscriber: Subscriber): () => void {
  window.clearTimeout(closeTimer);
  subscribers.add(subscriber);
  if (!source && reopenTimer === undefined) open();
  return () => {
    subscribers.delete(subscriber);
    if (subscribers.size > 0) return;
    closeTimer = window.setTimeout(() => {
      if (subscribers.size === 0) shut();
    }, CLOSE_DELAY_MS);
  };
}

/**
 * The tenant's live events (`GET /app/api/events`) as they happen: `onEvent` for each, `onOpen`
 * whenever the stream (re)opens, since events sent while it was down are not replayed. Answers
 * whether the stream is open now; while it is not, pages fall back to a slow poll.
 */
export function useLiveEvents(onEvent: (event: LiveEvent) => void, onOpen?: () => void): boolean {
  const [isConnected, setIsConnected] = useState(connected);
  const handlers = useRef({ onEvent, onOpen });
  handlers.current = { onEvent, onOpen };
  useEffect(
    () =>
      subscribe({
        onEvent: (event) => handlers.current.onEvent(event),
        onOpen: () => handlers.current.onOpen?.(),
        onState: setIsConnected,
      }),
    [],
  );
  return isConnected;
}
