/** A status word in a colour that matches its meaning (approved/complete green, failed/rejected red, …). */
export function StatusBadge({ status, label }: { status: string | null | undefined; label?: string }) {
  const value = status ?? 'unknown';
  return <span className={`badge badge-${tone(value)}`}>{label ?? value}</span>;
}

export function tone(status: string): 'good' | 'bad' | 'busy' | 'wait' | 'neutral' {
  switch (status) {
    case 'approved':
    case 'complete':
    case 'completed':
      return 'good';
    case 'failed':
    case 'rejected':
      return 'bad';
    case 'generating':
    case 'running':
      return 'busy';
    case 'pending':
    case 'queued':
    case 'paused':
      return 'wait';
    default:
      return 'neutral';
  }
}
