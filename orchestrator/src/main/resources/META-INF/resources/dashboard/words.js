// The platform's states and codes in words a pathologist understands. The sentences for error codes come from the
// platform (/dashboard/error-messages, kept beside the codes in contracts/messages: ErrorCodes, error-messages.json).
let sentences = {};

export async function loadErrorSentences() {
  const response = await fetch('/dashboard/error-messages');
  sentences = response.ok ? await response.json() : {};
}

export function errorSentence(code) {
  if (!code) return '';
  return sentences[code] || 'The platform reported a problem it has no description for.';
}

export function runStateWords(run) {
  if (run.state === 'PENDING') return 'Waiting to start';
  if (run.state === 'PROCESSING') return 'Analysing';
  switch (run.termination_reason) {
    case 'ALL_ITEMS_PROCESSED': {
      const s = run.statistics || {};
      const failed = (s.item_user_error_count || 0) + (s.item_system_error_count || 0);
      return failed ? `Finished, ${failed} slide${failed === 1 ? '' : 's'} failed` : 'Finished';
    }
    case 'CANCELED_BY_USER': return 'Cancelled';
    case 'CANCELED_BY_SYSTEM': return 'Stopped by the platform';
    default: return 'Ended';
  }
}

export function itemStateWords(item) {
  if (item.state === 'PENDING') return 'Waiting';
  if (item.state === 'PROCESSING') return 'Analysing';
  switch (item.termination_reason) {
    case 'SUCCEEDED': return 'Done';
    case 'USER_ERROR': return 'Failed: problem with the slide';
    case 'SYSTEM_ERROR': return 'Failed: platform problem';
    case 'SKIPPED': return 'Not analysed (run ended)';
    default: return 'Ended';
  }
}

export function stateClass(state, reason) {
  if (state !== 'TERMINATED') return state === 'PROCESSING' ? 'busy' : 'waiting';
  if (reason === 'SUCCEEDED' || reason === 'ALL_ITEMS_PROCESSED') return 'ok';
  if (reason === 'SKIPPED' || reason === 'CANCELED_BY_USER') return 'muted';
  return 'bad';
}

export function outputWords(name) {
  const [task, kind] = name.split(':');
  const taskWords = {
    tissue_qc: 'Tissue quality control', tissue_segmentation: 'Tissue segmentation',
    cell_classification: 'Cell classification', readout_generation: 'Readouts',
  }[task] || task;
  const kindWords = {
    segmentation_map_image: 'map (TIFF)', geojson_polygons: 'outlines (GeoJSON)',
    csv_class_information: 'class table (CSV)', slide_readouts: 'slide readouts (CSV)',
    cell_readouts: 'cell readouts (CSV)',
  }[kind] || kind || '';
  return `${taskWords}: ${kindWords}`;
}

export function roleWords(role) {
  return {SUPER_ADMIN: 'Platform operator', ADMIN: 'Administrator', MEMBER: 'Member'}[role] || role;
}

export function limitWords(value) {
  return value === null || value === undefined ? 'unlimited' : String(value);
}
