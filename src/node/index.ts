// `allowance-router/node`: what needs Node's built-ins. Everything else is in the core entry.
export {
  createSqliteScanCache,
  defaultCachePath,
  type CreateSqliteScanCacheParameters,
  type CreateSqliteScanCacheReturnType,
} from "./sqlite-cache.js";
export {
  accountFrom,
  InvalidKeyError,
  MissingKeyError,
  OWNER_KEY_VARIABLE,
  ownerAccountFrom,
  RELAYER_KEY_VARIABLE,
  type Environment,
} from "./keys.js";
