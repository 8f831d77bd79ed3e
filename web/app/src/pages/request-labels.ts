import type { RequestStatus } from '../api/app-api';

/** The request statuses, as the server writes them, with the words people read. */
const REQUEST_STATUS: Record<RequestStatus, string> = {
  pending: 'Waiting',
  processing: 'Running',
  completed: 'Done',
  failed: 'Failed',
};

export const REQUEST_STATUSES = Object.entries(REQUEST_STATUS).map(([value, label]) => ({ value, label }));

export function isRequestStatus(value: string | null): value is RequestStatus {
  return value !== null && value in REQUEST_STATUS;
}

export function requestStatusLabel(status: string): string {
  return isRequestStatus(status) ? REQUEST_STATUS[status] : status;
}

/** What each pipeline step does, in the order the server runs them; an unknown step shows its name. */
const STEP: Record<string, string> = {
  webhook_received: 'Received',
  callrail_api_fetch: 'Call details from CallRail',
  audio_download: 'Recording downloaded',
  speech_to_text: 'Transcribed',
  ai_analysis: 'Analysed and scored',
  crm_integration: 'Sent to the CRM',
  notification: 'Team notified',
};

export function stepLabel(step: string): string {
  return STEP[step] ?? step;
}

/** Badge colours dark enough for white text at WCAG AA; a skipped or waiting step is grey. */
export function statusColor(status: string): string {
  switch (status) {
    case 'completed':
      return 'teal.9';
    case 'failed':
      return 'red.9';
    case 'processing':
    case 'running':
      return 'blue.9';
    default:
      return 'gray.7';
  }
}
