import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { CopyButton } from '../../components/copy-button.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingRows } from '../../components/query-states.tsx';
import { Input } from '../../components/ui/input.tsx';
import { type Field, type OpenApiDocument, type ReferenceOperation, operationsByTag } from './operations.ts';

/** Where the server publishes its REST surface; the document needs no token. */
export const OPENAPI_URL = '/api/v1/openapi.json';

const methodColour: Record<string, string> = {
  GET: 'border-sky-500/40 bg-sky-500/10 text-sky-700 dark:text-sky-300',
  POST: 'border-emerald-500/40 bg-emerald-500/10 text-emerald-700 dark:text-emerald-300',
  PATCH: 'border-amber-500/40 bg-amber-500/10 text-amber-700 dark:text-amber-300',
  DELETE: 'border-destructive/40 bg-destructive/10 text-destructive',
};

// The document describes the REST surface, not data of ours: a plain fetch of a public file, not a
// tRPC call (there is no procedure for it).
const fetchDocument = async (): Promise<OpenApiDocument> => {
  const response = await fetch(OPENAPI_URL, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`The server answered ${response.status} for its API document`);
  return (await response.json()) as OpenApiDocument;
};

function Fields({ fields }: { fields: Field[] }) {
  if (fields.length === 0) return <p className="text-xs text-muted-foreground">No fields.</p>;
  return (
    <ul className="space-y-1 text-xs">
      {fields.map((field) => (
        <li key={`${field.in}-${field.name}`}>
          <code className="font-semibold">{field.name}</code>{' '}
          <span className="text-muted-foreground">
            ({field.in}, {field.type}
            {field.required ? ', required' : ''})
          </span>
          {field.description ? <span className="text-muted-foreground"> — {field.description}</span> : null}
        </li>
      ))}
    </ul>
  );
}

function OperationRow({ operation }: { operation: ReferenceOperation }) {
  return (
    <details className="group rounded-md border px-3 py-2" id={operation.id}>
      <summary className="flex cursor-pointer flex-wrap items-center gap-3 text-sm">
        <span
          className={`w-16 rounded border px-1.5 py-0.5 text-center font-mono text-xs font-semibold ${methodColour[operation.method] ?? ''}`}
        >
          {operation.method}
        </span>
        <code className="font-mono text-xs">{operation.path}</code>
        <span className="text-muted-foreground">{operation.summary}</span>
      </summary>
      <div className="mt-3 space-y-3 pl-2">
        <p className="text-xs text-muted-foreground">
          Operation <code>{operation.id}</code>
          {operation.needsToken ? ' · needs a token' : ' · no token needed'}
        </p>
        <Fields fields={operation.fields} />
        {operation.actions.map((action) => (
          <div key={action.type}>
            <p className="text-xs">
              <code className="font-semibold">{`{ "type": "${action.type}" }`}</code>
              {action.description ? (
                <span className="text-muted-foreground"> — {action.description}</span>
              ) : null}
            </p>
            {action.fields.length > 0 ? (
              <div className="mt-1 pl-4">
                <Fields fields={action.fields} />
              </div>
            ) : null}
          </div>
        ))}
      </div>
    </details>
  );
}

/** The REST API's operations, read from the server's own OpenAPI document. */
export function ApiReferencePage() {
  // The document changes only with the server; a failure is shown at once, with a button to retry.
  const document = useQuery({
    queryKey: ['openapi-document'],
    queryFn: fetchDocument,
    staleTime: Infinity,
    retry: false,
  });
  const [filter, setFilter] = useState('');
  const base = `${window.location.origin}/api/v1`;
  const needle = filter.trim().toLowerCase();
  const groups = document.data ? [...operationsByTag(document.data)] : [];
  const shown = groups
    .map(
      ([tag, operations]) =>
        [
          tag,
          operations.filter(
            (o) => !needle || `${o.method} ${o.path} ${o.summary} ${tag}`.toLowerCase().includes(needle),
          ),
        ] as const,
    )
    .filter(([, operations]) => operations.length > 0);
  const example = `curl -H "Authorization: Bearer $UNCLOUD_TOKEN" ${base}/projects`;
  return (
    <>
      <PageHeader
        title="API reference"
        description={
          <>
            Every action of the dashboard as REST under <code>{base}</code>. Send an{' '}
            <Link className="underline" to="/tokens">
              API token
            </Link>{' '}
            as a bearer token. The{' '}
            <a className="underline" href={OPENAPI_URL}>
              OpenAPI 3.1 document
            </a>{' '}
            generates clients in any language.
          </>
        }
      />
      <div className="mb-4 flex flex-wrap items-center gap-2 rounded-md border bg-muted/40 px-3 py-2">
        <code className="flex-1 overflow-x-auto font-mono text-xs">{example}</code>
        <CopyButton value={example} label="Copy the example" />
      </div>
      <Input
        className="mb-4 max-w-sm"
        placeholder="Filter operations (droplets, POST, power_off…)"
        aria-label="Filter operations"
        value={filter}
        onChange={(event) => setFilter(event.target.value)}
      />
      {document.isPending ? <LoadingRows rows={6} /> : null}
      {document.error ? <ErrorState error={document.error} onRetry={() => void document.refetch()} /> : null}
      {document.data && shown.length === 0 ? (
        <p className="text-sm text-muted-foreground">No operation matches “{filter}”.</p>
      ) : null}
      <div className="space-y-6">
        {shown.map(([tag, operations]) => (
          <section key={tag} aria-labelledby={`tag-${tag}`}>
            <h2 id={`tag-${tag}`} className="mb-2 text-lg font-semibold">
              {tag}
            </h2>
            <div className="space-y-1">
              {operations.map((operation) => (
                <OperationRow key={operation.id} operation={operation} />
              ))}
            </div>
          </section>
        ))}
      </div>
    </>
  );
}
