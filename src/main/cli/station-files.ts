/**
 * The station database's file name inside a data folder. The same as `DATABASE_FILE` in core/station.ts
 * (a test holds them equal); repeated here so the maintenance commands do not bundle the whole station.
 */
export const STATION_DATABASE_FILE = 'station.db';
