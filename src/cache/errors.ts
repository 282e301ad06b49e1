import { ScanError } from "../scan/errors.js";

/** The scan cache cannot live at the path given: the message names the path, why, and what to pass instead. */
export class CacheLocationError extends ScanError {
  constructor(path: string, reason: string) {
    super(`the scan cache cannot be kept at ${path}: ${reason}; pass --cache with a file in a folder you can write, or --no-cache`, {
      isInputError: true,
    });
  }
}
