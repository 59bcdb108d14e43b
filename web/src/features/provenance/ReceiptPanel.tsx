import type { ReactNode } from 'react';
import { Link } from '../../shared/router';
import { formatDateTime } from '../../shared/ui/format';
import type { GenerationReceipt, ReceiptSummary, SegmentProvenance } from './api';
import { CopyableHash } from './CopyableHash';
import { describeReason, formatMillis } from './logic';
import { provenanceRoutes } from '../../shared/routes';

/** One collapsible section of the receipt (a native <details>, so keyboard and screen readers just work). */
function Section({ title, open = false, children }: { title: string; open?: boolean; children: ReactNode }) {
  return (
    <details className="receipt-section" open={open} data-section={title}>
      <summary>{title}</summary>
      <div className="receipt-section-body">{children}</div>
    </details>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/**
 * A segment's generation receipt: which exact asset versions made it (with hashes to copy), the prompt, sampling,
 * source images and timing, in collapsible sections, plus every receipt of the segment and its regenerations.
 */
export function ReceiptPanel({ provenance }: { provenance: SegmentProvenance }) {
  const r = provenance.latest;
  if (!r) {
    return (
      <section className="card receipt-panel" aria-label="Generation receipt">
        <p className="empty">
          No generation receipt for this segment yet: nothing records which assets made it. A receipt is written when
          a generator reports its inputs (<code>POST /api/segments/{'{id}'}/receipts</code> or an import).
        </p>
        <Regenerations provenance={provenance} />
      </section>
    );
  }
  return (
    <section className="card receipt-panel" aria-label="Generation receipt" data-receipt-id={r.id}>
      <header className="receipt-header">
        <h2 className="card-title">
          Receipt <span className="mono muted">#{r.id}</span>
        </h2>
        {provenance.stale ? (
          <span className="badge badge-stale">stale</span>
        ) : (
          <span className="badge badge-good">current</span>
        )}
        <span className="meta">recorded by {r.source}</span>
      </header>
      {provenance.stale ? (
        <ul className="stale-reasons" aria-label="Why it is stale">
          {provenance.stale_reasons.map((reason) => (
            <li key={`${reason.asset_type}:${reason.used_id ?? reason.asset_name}`}>
              {describeReason(reason)}
              {reason.current_id !== null && reason.asset_type !== 'source_image' && reason.asset_type !== 'variant_image' ? (
                <>
                  {' · '}
                  <Link to={provenanceRoutes.asset(reason.current_id)}>usage by version</Link>
                </>
              ) : null}
            </li>
          ))}
          {provenance.media
            .filter((m) => m.reason !== null)
            .map((m) => (
              <li key={`media:${m.role}:${m.ref_id}`} data-reason={m.reason}>
                {m.message}
              </li>
            ))}
        </ul>
      ) : null}
      <dl className="facts facts-compact">
        <Fact term="Inputs hash">
          <CopyableHash value={r.inputs_hash} label="inputs hash" />
        </Fact>
      </dl>

      <Section title="Assets used" open>
        <AssetsUsed receipt={r} />
      </Section>
      <Section title="Prompt">
        <dl className="facts facts-stack">
          <Fact term="Prompt">
            <p className="prompt-text">{r.prompt_text}</p>
          </Fact>
          <Fact term="Negative prompt">
            {r.negative_prompt ? <p className="prompt-text">{r.negative_prompt}</p> : <span className="muted">none</span>}
          </Fact>
        </dl>
      </Section>
      <Section title="Sampling">
        <dl className="facts facts-inline">
          <Fact term="CFG scale">{r.cfg_scale}</Fact>
          <Fact term="Seed">
            <span className="mono">{r.seed}</span>
          </Fact>
          <Fact term="Steps">{r.steps}</Fact>
          <Fact term="Sampler">{r.sampler}</Fact>
          <Fact term="Resolution">
            {r.resolution_width}×{r.resolution_height}
          </Fact>
        </dl>
        {Object.keys(r.additional_params).length > 0 ? (
          <dl className="facts facts-inline" aria-label="Additional parameters">
            {Object.entries(r.additional_params).map(([key, value]) => (
              <Fact key={key} term={key}>
                <span className="mono">{JSON.stringify(value)}</span>
              </Fact>
            ))}
          </dl>
        ) : null}
      </Section>
      <Section title="Source images">
        <dl className="facts">
          <Fact term="Source image">
            {r.source_image_id === null ? (
              <span className="muted">none</span>
            ) : (
              <>
                <span className="mono">#{r.source_image_id}</span> <CopyableHash value={r.source_image_hash} label="source image hash" />
              </>
            )}
          </Fact>
          <Fact term="Variant image">
            {r.variant_image_id === null ? (
              <span className="muted">none</span>
            ) : (
              <>
                <span className="mono">#{r.variant_image_id}</span>{' '}
                <CopyableHash value={r.variant_image_hash} label="variant image hash" />
              </>
            )}
          </Fact>
        </dl>
      </Section>
      <Section title="Timing">
        <dl className="facts facts-inline">
          <Fact term="Started">
            <time dateTime={r.generation_started_at}>{formatDateTime(r.generation_started_at)}</time>
          </Fact>
          <Fact term="Completed">
            {r.generation_completed_at ? (
              <time dateTime={r.generation_completed_at}>{formatDateTime(r.generation_completed_at)}</time>
            ) : (
              <span className="muted">not reported</span>
            )}
          </Fact>
          <Fact term="Duration">{formatMillis(r.generation_duration_ms)}</Fact>
        </dl>
      </Section>
      <Section title={`All receipts (${provenance.receipts.length})`}>
        <AllReceipts receipts={provenance.receipts} latestId={r.id} />
      </Section>
      <Regenerations provenance={provenance} />
    </section>
  );
}

function AssetsUsed({ receipt: r }: { receipt: GenerationReceipt }) {
  return (
    <div className="table-wrap">
      <table className="data-table receipt-assets">
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Name</th>
            <th scope="col">Version</th>
            <th scope="col">Weight</th>
            <th scope="col">Hash</th>
          </tr>
        </thead>
        <tbody>
          <tr data-kind="model">
            <td>model</td>
            <th scope="row">
              {r.model_asset_id !== null ? <Link to={provenanceRoutes.asset(r.model_asset_id)}>{r.model_name}</Link> : r.model_name}
            </th>
            <td>{r.model_version ?? '—'}</td>
            <td className="muted">—</td>
            <td>
              <CopyableHash value={r.model_hash} label={`${r.model_name} hash`} />
            </td>
          </tr>
          {r.workflow_name ? (
            <tr data-kind="workflow">
              <td>workflow</td>
              <th scope="row">
                {r.workflow_asset_id !== null ? (
                  <Link to={provenanceRoutes.asset(r.workflow_asset_id)}>{r.workflow_name}</Link>
                ) : (
                  r.workflow_name
                )}
              </th>
              <td>{r.workflow_version ?? '—'}</td>
              <td className="muted">—</td>
              <td>
                <CopyableHash value={r.workflow_hash} label={`${r.workflow_name} hash`} />
              </td>
            </tr>
          ) : null}
          {r.loras.map((lora) => (
            <tr key={lora.position} data-kind="lora">
              <td>LoRA</td>
              <th scope="row">
                {lora.asset_id !== null ? <Link to={provenanceRoutes.asset(lora.asset_id)}>{lora.lora_name}</Link> : lora.lora_name}
              </th>
              <td>{lora.version ?? '—'}</td>
              <td>{lora.weight}</td>
              <td>
                <CopyableHash value={lora.hash} label={`${lora.lora_name} hash`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AllReceipts({ receipts, latestId }: { receipts: ReceiptSummary[]; latestId: number }) {
  return (
    <div className="table-wrap">
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Receipt</th>
            <th scope="col">Model</th>
            <th scope="col">Inputs hash</th>
            <th scope="col">Started</th>
            <th scope="col">Completed</th>
          </tr>
        </thead>
        <tbody>
          {receipts.map((x) => (
            <tr key={x.id} aria-current={x.id === latestId ? 'true' : undefined}>
              <th scope="row" className="mono">
                #{x.id} {x.id === latestId ? <span className="badge badge-neutral">latest</span> : null}
              </th>
              <td>
                {x.model_name} {x.model_version ?? ''}
              </td>
              <td>
                <CopyableHash value={x.inputs_hash} label={`inputs hash of receipt ${x.id}`} />
              </td>
              <td>
                <time dateTime={x.generation_started_at}>{formatDateTime(x.generation_started_at)}</time>
              </td>
              <td>{formatDateTime(x.generation_completed_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Regenerations({ provenance }: { provenance: SegmentProvenance }) {
  if (provenance.regenerations.length === 0) return null;
  return (
    <section className="regenerations" aria-label="Regenerations">
      <h3 className="section-title">Regenerated as</h3>
      <ul>
        {provenance.regenerations.map((d) => (
          <li key={d.id}>
            <Link to={provenanceRoutes.segment(d.new_segment_id)}>segment #{d.new_segment_id}</Link> ({d.state}, job #{d.job_id},
            planned inputs <CopyableHash value={d.planned_inputs_hash} label={`planned inputs hash of segment ${d.new_segment_id}`} />)
          </li>
        ))}
      </ul>
    </section>
  );
}
