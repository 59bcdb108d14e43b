import { useApiData } from '../../api/useApiData';
import { formatScore } from '../../shared/ui/format';
import { catalogApi } from './api';
import { Tags } from './Tags';

/** The segment's overall quality score (0..1) as a number and a meter, "no score" when none was recorded. */
export function QualityScore({ segmentId }: { segmentId: number }) {
  const quality = useApiData((signal) => catalogApi.segmentQuality(segmentId, signal), [segmentId]);

  if (quality.status === 'loading') {
    return <p className="quality muted" aria-busy="true">Quality: loading…</p>;
  }
  if (quality.status === 'error') {
    return (
      <p className="quality error-text" role="alert">
        Quality: {quality.error.message}
      </p>
    );
  }
  const record = quality.data;
  if (!record) return <p className="quality muted">Quality: no score</p>;
  const score = record.overall_score;
  const level = score >= 0.8 ? 'good' : score >= 0.7 ? 'fair' : 'poor';
  return (
    <div className={`quality quality-${level}`}>
      <p>
        Quality: <strong>{formatScore(score)}</strong>
      </p>
      <meter min={0} max={1} low={0.7} high={0.8} optimum={1} value={score} aria-hidden="true" />
      {record.failure_tags && record.failure_tags.length > 0 ? (
        <Tags tags={record.failure_tags} label="Failure tags" />
      ) : null}
    </div>
  );
}
