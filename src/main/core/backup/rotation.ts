import fs from 'node:fs';
import path from 'node:path';
import { BACKUP_EXTENSION } from './format';

/**
 * Station backups are named `countertop-<station>-<UTC time>.ctbk`: the name sorts by time, and rotation only
 * ever touches files of this station with exactly this shape (never anything else a person keeps on the stick).
 */
export function backupFileName(stationId: string, stamp: string): string {
  return `countertop-${stationPart(stationId)}-${stamp}${BACKUP_EXTENSION}`;
}

const stationPart = (stationId: string): string => stationId.replace(/-/g, '').slice(0, 8).toLowerCase();

function namePattern(stationId: string): RegExp {
  return new RegExp(
    `^countertop-${stationPart(stationId)}-\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}-\\d{3}Z\\${BACKUP_EXTENSION}$`,
  );
}

/** This station's backups in a folder, newest first. */
export function listStationBackups(folder: string, stationId: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch {
    return [];
  }
  const pattern = namePattern(stationId);
  return names
    .filter((n) => pattern.test(n))
    .sort()
    .reverse()
    .map((n) => path.join(folder, n));
}

/** Deletes this station's backups beyond the newest `keep`; returns the names deleted. */
export function rotateBackups(folder: string, stationId: string, keep: number): string[] {
  const deleted: string[] = [];
  for (const file of listStationBackups(folder, stationId).slice(keep)) {
    fs.rmSync(file, { force: true });
    deleted.push(path.basename(file));
  }
  return deleted;
}
