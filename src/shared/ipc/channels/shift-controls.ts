/** The shift, report and risk channels as one map, joined into the contract with one line. */
import { reportChannels } from './reports';
import { riskChannels } from './risk';
import { shiftChannels } from './shift';

export const shiftControlChannels = {
  ...shiftChannels,
  ...reportChannels,
  ...riskChannels,
} as const;
