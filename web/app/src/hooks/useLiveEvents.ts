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

/** The stream: being opened (or reopened after a drop), open, or refused and waiting to try again. */
export type LiveState = 'connecting' | 'open' | 'down';

interface Subscriber {
  onEvent: (event: LiveEvent) => void;
  onOpen: () => void;
  onState: (state: LiveState) => void;
}

// One stream per tab, shared by every mounted page that listens.
const subscribers = new Set<Subscriber>();
let source: EventSource | null = null;
let state: LiveState = 'connecting';
let reopenTimer: number | undefined;
let closeTimer: number | undefined;

function setState(value: LiveState): void {
  state = value;
  for (const s of [...subscribers]) s.onState(value);
}

function open(): void {
  const stream = new EventSource(`${BASE}/api/events`);
  source = stream;
  setState('connecting');
  stream.onopen = () => {
    setState('open');
    for (const s of [...subscribers]) s.onOpen();
  };
  stream.onerror = () => {
    // EventSource reconnects a dropped stream by itself; only a refused one ends up closed.
    if (stream.readyState !== EventSource.CLOSED) return setState('connecting');
    setState('down');
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
  state = 'connecting';
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
 * the stream's state; while it is not open, pages fall back to a slow poll.
 */
export function useLiveEvents(onEvent: (event: LiveEvent) => void, onOpen?: () => void): LiveState {
  const [current, setCurrent] = useState(state);
  const handlers = useRef({ onEvent, onOpen });
  handlers.current = { onEvent, onOpen };
  useEffect(
    () =>
      subscribe({
        onEvent: (event) => handlers.current.onEvent(event),
        onOpen: () => handlers.current.onOpen?.(),
        onState: setCurrent,
      }),
    [],
  );
  return current;
}
