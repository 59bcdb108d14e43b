import { useApiData } from '../../api/useApiData';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { Loading } from '../../shared/ui/Loading';
import { PageHeader } from '../../shared/ui/PageHeader';
import { StatusBadge } from '../../shared/ui/StatusBadge';
import { useDocumentTitle } from '../../shared/ui/useDocumentTitle';
import { provenanceApi } from './api';
import { CredentialPanel } from './CredentialPanel';
import { ReceiptPanel } from './ReceiptPanel';
import { SegmentWatch } from '../../shared/media/SegmentWatch';
import { useSegmentLabels } from '../../shared/media/useSegmentLabels';

/** A segment's forward provenance: its generation receipt panel and its clip's content credential. */
export function SegmentProvenancePage({ id }: { id: number }) {
  const data = useApiData((signal) => provenanceApi.segment(id, signal), [id]);
  const { nameOf } = useSegmentLabels([id]);
  useDocumentTitle(`${nameOf(id)} receipt`);
  const crumbs = [{ label: 'Provenance', to: '/provenance' }];
  if (data.status === 'loading') return <Loading label="Loading the receipt…" />;
  if (data.status === 'error') {
    return (
      <>
        <PageHeader title={`Segment #${id}`} kicker="Generation receipt" crumbs={crumbs} />
        <ErrorNotice error={data.error} title="Could not load the segment's provenance" onRetry={data.reload} />
      </>
    );
  }
  const { segment } = data.data;
  return (
    <>
      <PageHeader
        title={nameOf(segment.id)}
        kicker="Generation receipt"
        crumbs={[...crumbs, { label: `Scene #${segment.scene_id}`, to: `/catalog/scenes/${segment.scene_id}` }]}
      >
        <p className="meta">
          <StatusBadge status={segment.status} /> · {data.data.receipts.length}{' '}
          {data.data.receipts.length === 1 ? 'receipt' : 'receipts'}
        </p>
      </PageHeader>
      <SegmentWatch provenance={data.data} />
      <ReceiptPanel provenance={data.data} />
      <CredentialPanel segmentId={segment.id} />
    </>
  );
}
