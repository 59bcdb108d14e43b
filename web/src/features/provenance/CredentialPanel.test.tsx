import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, mockFetch } from '../../test/fetchMock';
import { CredentialPanel } from './CredentialPanel';

const devSigner = {
  subject: 'CN=Reelmark UNTRUSTED development signer,O=Reelmark UNTRUSTED',
  issuer: 'CN=Reelmark UNTRUSTED development root',
  not_after: '2027-12-01T00:00:00Z',
  development_certificate: true,
};
const signed = (over: Record<string, unknown> = {}, answer: Record<string, unknown> = {}) => ({
  segment_id: 7,
  file: '/data/signed/s7.mp4',
  receipt_id: 3,
  inputs_hash: 'f'.repeat(64),
  matches_receipt: true,
  ...answer,
  credential: {
    file: '/data/signed/s7.mp4',
    has_manifest: true,
    manifest_label: 'urn:c2pa:1234',
    claim_generator: 'Reelmark/0.1.0',
    digital_source_type: 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia',
    hash_matches: true,
    signature_valid: true,
    assertions_match: true,
    valid: true,
    signer: devSigner,
    receipt: { segment_id: 7, receipt_id: 3, inputs_hash: 'f'.repeat(64) },
    problems: [],
    ...over,
  },
});
const unsigned = {
  segment_id: 7,
  file: '/data/media/x/clip one.mp4',
  receipt_id: 3,
  inputs_hash: 'f'.repeat(64),
  matches_receipt: null,
  credential: {
    file: '/data/media/x/clip one.mp4',
    has_manifest: false,
    manifest_label: null,
    claim_generator: null,
    digital_source_type: null,
    hash_matches: null,
    signature_valid: null,
    assertions_match: null,
    valid: false,
    signer: null,
    receipt: null,
    problems: [],
  },
};

function check(term: string) {
  const row = document.querySelector(`[data-check="${term}"]`) as HTMLElement;
  expect(row).not.toBeNull();
  return row;
}

afterEach(() => vi.unstubAllGlobals());

describe('CredentialPanel', () => {
  it('says the clip carries none, then checks a signed copy: hashes, signer labelled untrusted, receipt', async () => {
    const fetch = mockFetch((url) => {
      if (url === '/api/segments/7/credentials') return jsonResponse(unsigned);
      if (url === '/api/segments/7/credentials?path=signed%2Fs7.mp4') return jsonResponse(signed());
      return jsonResponse({ status: 404, error: 'not_found', message: url, field: null }, 404);
    });
    render(<CredentialPanel segmentId={7} />);
    expect(await screen.findByText(/No content credentials in/)).toBeTruthy();
    expect(screen.getByText('/data/media/x/clip one.mp4')).toBeTruthy();

    fireEvent.change(screen.getByRole('textbox'), { target: { value: ' signed/s7.mp4 ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check' }));
    await waitFor(() => expect(document.querySelector('[data-check="Hashes"]')).not.toBeNull());
    expect(fetch.mock.calls.map((c) => c[0])).toContain('/api/segments/7/credentials?path=signed%2Fs7.mp4');
    expect(screen.getByText('valid')).toBeTruthy();
    expect(check('Manifest').textContent).toContain('urn:c2pa:1234');
    expect(check('Manifest').textContent).toContain('Reelmark/0.1.0');
    expect(check('Hashes').dataset.tone).toBe('good');
    expect(check('Hashes').textContent).toContain('match the bytes');
    expect(check('Signature').dataset.tone).toBe('good');
    // a development signer is never shown as trusted
    expect(check('Signer').dataset.tone).toBe('muted');
    expect(within(check('Signer')).getByText('untrusted development certificate')).toBeTruthy();
    expect(check('Signer').textContent).toContain('Reelmark UNTRUSTED development signer');
    expect(check('Receipt').dataset.tone).toBe('good');
    expect(check('Receipt').textContent).toContain('matches receipt #3');
  });

  it('shows a tampered copy signed for another segment as failing its hash and its receipt', async () => {
    mockFetch(() =>
      jsonResponse(
        signed(
          {
            hash_matches: false,
            valid: false,
            receipt: { segment_id: 9, receipt_id: 5, inputs_hash: 'a'.repeat(64) },
            problems: ['the BMFF hash does not match the file'],
            signer: { ...devSigner, development_certificate: false, subject: 'CN=Studio Signer' },
          },
          { matches_receipt: false },
        ),
      ),
    );
    render(<CredentialPanel segmentId={7} />);
    await waitFor(() => expect(document.querySelector('[data-check="Hashes"]')).not.toBeNull());
    expect(screen.getByText('invalid')).toBeTruthy();
    expect(check('Hashes').dataset.tone).toBe('bad');
    expect(check('Hashes').textContent).toContain('changed after it was signed');
    expect(check('Signer').dataset.tone).toBe('good');
    expect(check('Signer').textContent).not.toContain('untrusted');
    expect(check('Receipt').dataset.tone).toBe('bad');
    expect(check('Receipt').textContent).toContain('signed for segment #9');
    expect(screen.getByRole('list', { name: 'Problems' }).textContent).toContain('BMFF hash does not match');
  });

  it('shows the server’s reason when the clip cannot carry a credential', async () => {
    mockFetch(() =>
      jsonResponse(
        { status: 400, error: 'bad_request', message: 'take.mkv is not an MP4/MOV file', field: 'file' },
        400,
      ),
    );
    render(<CredentialPanel segmentId={7} />);
    expect((await screen.findByRole('alert')).textContent).toContain('take.mkv is not an MP4/MOV file');
  });
});
