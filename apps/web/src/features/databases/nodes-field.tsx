import { DatabaseEngine, maxDatabaseNodes } from '@uncloud/sdk';
import type { FieldControlProps } from '../../components/form-field.tsx';
import { Input, NativeSelect } from '../../components/ui/input.tsx';

const engineOf = (engine: string) => DatabaseEngine.safeParse(engine).data;

/** How many nodes a database of this engine may have: 1 for engines Uncloud does not replicate. */
export const nodesAllowed = (engine: string) => {
  const known = engineOf(engine);
  return known ? maxDatabaseNodes(known) : 1;
};

/** The hint under the nodes field, with the reason when the engine runs one node only. */
export const nodesHint = (engine: string, engineName: string) =>
  nodesAllowed(engine) === 1
    ? `${engineName} runs 1 node: Uncloud does not replicate ${engineName} yet, so more nodes would be separate servers with different data. Choose PostgreSQL for standby nodes.`
    : `1 to ${nodesAllowed(engine)}; more nodes keep a standby ready.`;

/** A number field for engines with standbys; for single-node engines a choice of 1 only. */
export const nodesControl = (engine: string, control: FieldControlProps<string>) => {
  const max = nodesAllowed(engine);
  if (max === 1)
    return (
      <NativeSelect {...control}>
        <option value="1">1</option>
      </NativeSelect>
    );
  return <Input type="number" inputMode="numeric" min={1} max={max} {...control} />;
};
