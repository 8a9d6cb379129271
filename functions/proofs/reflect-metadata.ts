/**
 * The Reflect metadata functions @peculiar/x509's dependency injection (tsyringe) needs before it is loaded. No
 * polyfill package is installed, and tsyringe uses only these five, so the gateway carries this small one. Import it
 * (for its side effect) before anything that loads @peculiar/x509; it leaves an existing polyfill alone.
 */

type MetadataMap = Map<unknown, unknown>;

interface ReflectMetadata {
  defineMetadata(key: unknown, value: unknown, target: object, property?: PropertyKey): void;
  getOwnMetadata(key: unknown, target: object, property?: PropertyKey): unknown;
  getMetadata(key: unknown, target: object, property?: PropertyKey): unknown;
  hasMetadata(key: unknown, target: object, property?: PropertyKey): boolean;
  metadata(key: unknown, value: unknown): (target: object, property?: PropertyKey) => void;
}

const store = new WeakMap<object, Map<PropertyKey | undefined, MetadataMap>>();

function ownMap(target: object, property: PropertyKey | undefined, create: boolean): MetadataMap | undefined {
  let byProperty = store.get(target);
  if (!byProperty) {
    if (!create) return undefined;
    byProperty = new Map();
    store.set(target, byProperty);
  }
  let map = byProperty.get(property);
  if (!map && create) {
    map = new Map();
    byProperty.set(property, map);
  }
  return map;
}

/** Looks the key up on the target, then along its prototype chain, as reflect-metadata does. */
function lookUp(key: unknown, target: object, property: PropertyKey | undefined): { found: boolean; value: unknown } {
  for (let at: object | null = target; at !== null; at = Object.getPrototypeOf(at)) {
    const map = ownMap(at, property, false);
    if (map?.has(key)) return { found: true, value: map.get(key) };
  }
  return { found: false, value: undefined };
}

const polyfill: ReflectMetadata = {
  defineMetadata: (key, value, target, property) => {
    ownMap(target, property, true)?.set(key, value);
  },
  getOwnMetadata: (key, target, property) => ownMap(target, property, false)?.get(key),
  getMetadata: (key, target, property) => lookUp(key, target, property).value,
  hasMetadata: (key, target, property) => lookUp(key, target, property).found,
  metadata: (key, value) => (target, property) => {
    ownMap(target, property, true)?.set(key, value);
  },
};

const reflect = Reflect as typeof Reflect & Partial<ReflectMetadata>;
if (typeof reflect.getMetadata !== "function") Object.assign(Reflect, polyfill);
