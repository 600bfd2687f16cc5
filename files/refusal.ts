// A path the user named that ovc will not read or write: one sentence, exit 2 (cli/main.ts prints
// it like a UsageError). The gate (files/) throws it before anything is changed.
export class PathRefused extends Error {
  override readonly name = 'PathRefused';
}

/** The errno of a failed file-system call, in words a user can act on. */
export function describeFsError(e: unknown): string {
  switch ((e as NodeJS.ErrnoException).code) {
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EROFS': return 'the file system is read-only';
    case 'ENOTDIR': return 'a part of the path is a file, not a folder';
    case 'ENOSPC': return 'no space left on the device';
    case 'ENAMETOOLONG': return 'the path is too long';
    case 'ELOOP': return 'the path is a symbolic link (ovc does not write through links)';
    case 'EEXIST': return 'it appeared while ovc was writing it';
    default: return (e as Error).message;
  }
}
