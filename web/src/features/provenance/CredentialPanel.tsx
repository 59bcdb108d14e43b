import { useState, type FormEvent, type ReactNode } from 'react';
import { useApiData } from '../../api/useApiData';
import { ErrorNotice } from '../../shared/ui/ErrorNotice';
import { Loading } from '../../shared/ui/Loading';
import { segmentCredential, type SegmentCredential } from './api';

type Tone = 'good' | 'bad' | 'muted';

function Check({ term, tone, children }: { term: string; tone: Tone; children: ReactNode }) {
  return (
    <div data-check={term} data-tone={tone}>
      <dt>{term}</dt>
      <dd className={tone === 'muted' ? 'muted' : undefined}>
        {tone === 'muted' ? null : <span className={`badge badge-${tone}`}>{tone === 'good' ? 'ok' : 'failed'}</span>} {children}
      </dd>
    </div>
  );
}

/** The checks of a file that carries a manifest: what a reader of the file would be told, in the same order. */
function CredentialChecks({ data }: { data: SegmentCredential }) {
  const c = data.credential;
  const signer = c.signer;
  return (
    <>
      <dl className="facts">
        <Check term="Manifest" tone="good">
          <span className="mono">{c.manifest_label}</span>
          {c.claim_generator ? <> · made by {c.claim_generator}</> : null}
        </Check>
        <Check term="Hashes" tone={c.hash_matches === null ? 'muted' : c.hash_matches ? 'good' : 'bad'}>
          {c.hash_matches === null
            ? 'not checked (a hash binding this reader does not check)'
            : c.hash_matches
              ? 'match the bytes of the file'
              : 'do not match: the file was changed after it was signed'}
        </Check>
        <Check term="Signature" tone={c.signature_valid ? 'good' : 'bad'}>
          {c.signature_valid ? 'verifies' : 'does not verify'}
          {c.assertions_match === false ? ' · the assertions do not match the claim' : null}
        </Check>
        <Check term="Signer" tone={signer === null ? 'bad' : signer.development_certificate ? 'muted' : 'good'}>
          {signer === null ? (
            'no certificate'
          ) : (
            <>
              {signer.subject}
              {signer.development_certificate ? (
                <>
                  {' '}
                  <span className="badge badge-stale" title="made by reelmark credentials dev-cert; readers report it untrusted">
                    untrusted development certificate
                  </span>
                </>
              ) : null}
              <span className="meta"> · issued by {signer.issuer} · valid until {signer.not_after}</span>
            </>
          )}
        </Check>
        <Check
          term="Receipt"
          tone={data.matches_receipt === null ? 'muted' : data.matches_receipt ? 'good' : 'bad'}
        >
          {data.receipt_id === null
            ? 'this segment has no receipt to compare with'
            : data.matches_receipt
              ? `matches receipt #${data.receipt_id}`
              : `does not match receipt #${data.receipt_id}` +
                (c.receipt?.segment_id != null && c.receipt.segment_id !== data.segment_id
                  ? ` (it was signed for segment #${c.receipt.segment_id})`
                  : c.receipt?.receipt_id != null
                    ? ` (it carries receipt #${c.receipt.receipt_id})`
                    : '')}
        </Check>
      </dl>
      {c.problems.length > 0 ? (
        <ul className="stale-reasons" aria-label="Problems">
          {c.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

/**
 * The content credential (C2PA manifest) of the segment's clip, or of a signed copy of it named by path: whether the
 * file carries one, whether its hashes still match, who signed it and whether it matches the segment's receipt.
 */
export function CredentialPanel({ segmentId }: { segmentId: number }) {
  const [path, setPath] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  // verifying hashes the whole file: read on demand, not on every change the server announces
  const data = useApiData((signal) => segmentCredential(segmentId, path, signal), [segmentId, path], { live: null });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setPath(draft.trim() === '' ? null : draft.trim());
  };
  let body: ReactNode;
  if (data.status === 'loading') body = <Loading label="Reading the credential…" />;
  else if (data.status === 'error') {
    body = <ErrorNotice error={data.error} title="Could not read a credential" inline onRetry={data.reload} />;
  } else if (!data.data.credential.has_manifest) {
    body = (
      <p className="empty" data-state="none">
        No content credentials in <span className="mono">{data.data.file}</span>. Signed copies are made by{' '}
        <code>reelmark credentials sign {segmentId} --out FILE</code> or by packages with <code>content_credentials</code>.
      </p>
    );
  } else {
    body = (
      <>
        <p className="meta">
          <span className={`badge ${data.data.credential.valid ? 'badge-good' : 'badge-bad'}`}>
            {data.data.credential.valid ? 'valid' : 'invalid'}
          </span>{' '}
          <span className="mono">{data.data.file}</span>
        </p>
        <CredentialChecks data={data.data} />
      </>
    );
  }
  return (
    <section className="card receipt-panel" aria-label="Content credentials">
      <header className="receipt-header">
        <h2 className="card-title">Content credentials</h2>
        <span className="meta">C2PA</span>
      </header>
      <form className="inline-form" onSubmit={submit}>
        <label>
          Signed copy (path under the media roots; empty: the segment's clip){' '}
          <input type="text" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="deliveries/…/clips/…mp4" />
        </label>{' '}
        <button type="submit" className="button button-small">
          Check
        </button>
      </form>
      {body}
    </section>
  );
}
