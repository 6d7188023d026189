/**
 * The `scope` of a registry token request, as the Docker registry token specification writes it:
 * `resourcetype[(class)]:resourcename:action[,action…]`, e.g. `repository:shop/api:pull,push` or
 * `registry:catalog:*`. A name may itself hold a colon (`repository:host:5000/app:pull`), so the
 * type ends at the first colon and the actions start after the last one.
 */
export interface RequestedAccess {
  type: string;
  /** `repository(plugin)` names the class `plugin`; absent for most requests. */
  resourceClass?: string;
  name: string;
  actions: string[];
}

/** One entry of a token's `access` claim: what the registry lets the bearer do. */
export interface GrantedAccess {
  type: string;
  name: string;
  actions: string[];
}

const TYPE = /^([a-z0-9]+)(?:\(([a-z0-9]+)\))?$/;

/** One scope string; undefined for one that is not of the grammar (the spec's server ignores it). */
export const parseScope = (scope: string): RequestedAccess | undefined => {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last === first) return undefined;
  const type = TYPE.exec(scope.slice(0, first));
  const name = scope.slice(first + 1, last);
  const actions = scope
    .slice(last + 1)
    .split(',')
    .filter((action) => action !== '');
  if (!type || name === '' || actions.length === 0) return undefined;
  return {
    type: type[1]!,
    ...(type[2] ? { resourceClass: type[2] } : {}),
    name,
    actions: [...new Set(actions)],
  };
};

/**
 * Every `scope` parameter of a request: the client repeats the parameter for several resources
 * (`scope=a&scope=b`), and older clients put several in one, separated by spaces.
 */
export const parseScopes = (values: readonly string[]): RequestedAccess[] =>
  values
    .flatMap((value) => value.split(' '))
    .map(parseScope)
    .filter((access): access is RequestedAccess => access !== undefined);
