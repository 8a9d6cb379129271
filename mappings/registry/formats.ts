/**
 * The registry document formats a file import takes, in a module of their own: the request schemas name them, and
 * importing them from the readers would put the XML parser in every function's init.
 */
export const REGISTRY_FORMATS = ["deqar-json", "elm-accreditation", "qdr-xml"] as const;
export type RegistryFormat = (typeof REGISTRY_FORMATS)[number];
