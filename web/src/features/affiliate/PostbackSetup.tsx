/**
 * What an advertiser's system needs to send postbacks to a source: the URL with its parameters, and
 * how to sign it (docs/affiliate/postbacks.md). The URL is the server's address (this page's origin)
 * and the source's path.
 */
import { type PostbackParameter, postbackParameters } from '../../../../src/wire/postbacks.ts';
import { DataTable } from '../../common/ui/PagedTable.tsx';
import { CopyField } from './CopyField.tsx';
import type { PostbackSource } from './postbacks-api.ts';

/** The URL template to hand over: every parameter as a placeholder for the sender's own macro. */
export function postbackUrlTemplate(source: Pick<PostbackSource, 'path'>, origin = window.location.origin): string {
  const query = postbackParameters.map((parameter) => `${parameter.name}={${parameter.name}}`).join('&');
  return `${origin}${source.path}?${query}`;
}

export function PostbackSetup({ source }: { source: PostbackSource }) {
  return (
    <section className="card" aria-label="Sending postbacks">
      <h2 style={{ marginTop: 0 }}>The postback URL</h2>
      <CopyField
        label="Postback URL"
        value={postbackUrlTemplate(source)}
        hint="Replace each {…} with the value; leave amount and ts empty (or out) when there is none. No Authorization header: the signature is the credential."
      />
      <DataTable<PostbackParameter>
        items={postbackParameters}
        rowKey={(parameter) => parameter.name}
        label="Postback parameters"
        framed={false}
        columns={[
          { header: 'Parameter', cell: (parameter) => parameter.name, className: 'mono' },
          { header: 'Required', cell: (parameter) => (parameter.required ? 'yes' : 'no') },
          { header: 'Meaning', cell: (parameter) => parameter.meaning },
        ]}
      />
      <h3>How to sign</h3>
      <ol className="small">
        <li>
          Percent-encode each value (<code>encodeURIComponent</code>) and write each parameter as <code>name=value</code>, exactly as it
          goes into the URL.
        </li>
        <li>
          Sort them by name, leave out <code>sig</code>, and join them with <code>&amp;</code>:{' '}
          <code>amount=49.90&amp;click_id=clk-77&amp;event=purchase&amp;ts=1796119200&amp;txid=ORD%2F1001</code>.
        </li>
        <li>
          <code>sig</code> is the lower-case hex HMAC-SHA256 of that text, keyed by the whole secret (<code>pbsec_…</code>):{' '}
          <code>printf &apos;%s&apos; &apos;amount=…&amp;txid=…&apos; | openssl dgst -sha256 -hmac &apos;pbsec_…&apos;</code>
        </li>
        <li>Send the parameters in any order; send each value exactly as you signed it.</li>
      </ol>
      <p className="small muted">
        The same txid again is answered “duplicate” and writes nothing. A wrong signature is 401, an unknown key 404, a bad value 422, a
        disabled source 403; none of them writes anything.
      </p>
    </section>
  );
}
