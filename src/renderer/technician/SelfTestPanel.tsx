import { useEffect, useState } from 'react';
import type { ErrorData } from '../../shared/domain/errors';
import type { DeviceStatus } from '../../shared/ipc/channels/devices';
import {
  SELFTEST_LEVELS,
  SIMULATED_PRINTER_STATES,
  type SelfTestPrompt,
  type SelfTestRun,
  type SimulateAction,
} from '../../shared/ipc/channels/selftest';
import { ErrorMessage } from '../components/ErrorMessage';
import { useScanner } from '../hooks/useScanner';
import { useI18n } from '../i18n/context';
import { useClient } from '../ipc/context';
import { DEVICE_NAMES, LEVEL_HINTS, LEVEL_LABELS, PROMPT_KINDS_WITHOUT_PARAMS, STEP_LABELS } from './labels';

const RUN_LABELS = {
  running: 'tech.run.running',
  passed: 'tech.run.passed',
  failed: 'tech.run.failed',
  cancelled: 'tech.run.cancelled',
} as const;

function useSecondsLeft(prompt: SelfTestPrompt | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!prompt) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [prompt]);
  return prompt ? Math.max(0, Math.ceil((Date.parse(prompt.deadline) - now) / 1000)) : 0;
}

interface Props {
  readonly active: boolean;
  readonly devices: readonly DeviceStatus[];
}

/** Runs the self-test at a level, shows each device's steps, and the technician's prompt with its countdown. */
export function SelfTestPanel({ active, devices }: Props) {
  const { t } = useI18n();
  const client = useClient();
  const [run, setRun] = useState<SelfTestRun | null>(null);
  const [error, setError] = useState<ErrorData | null>(null);
  const prompt = run?.status === 'running' ? run.prompt : null;
  const secondsLeft = useSecondsLeft(prompt);

  useEffect(() => {
    void client.call('selftest:current', {}).then((r) => {
      if (r.ok) setRun(r.value);
    });
    return client.onEvent('selftest:changed', (payload) => setRun(payload.run));
  }, [client]);

  // A keyboard-wedge scanner types the test code here: it answers the scan step.
  useScanner((code) => {
    if (!active || !run || prompt?.kind !== 'scan_test_barcode') return;
    void client.call('selftest:step', { runId: run.id, action: 'scan', code });
  });

  const start = async (level: SelfTestRun['level']) => {
    setError(null);
    const r = await client.call('selftest:start', { level });
    if (r.ok) setRun(r.value);
    else setError(r.error);
  };
  const act = async (call: () => Promise<{ ok: true } | { ok: false; error: ErrorData }>) => {
    setError(null);
    const r = await call();
    if (!r.ok) setError(r.error);
  };
  const simulate = (action: SimulateAction) => act(() => client.call('selftest:simulate', action));
  const simulated = (id: string) => devices.some((d) => d.id === id && d.simulated);
  const running = run?.status === 'running';

  return (
    <section className="tech-panel" data-testid="selftest-panel">
      <h2>{t('tech.selftest')}</h2>
      <div className="tech-levels">
        {SELFTEST_LEVELS.map((level) => (
          <button
            key={level}
            type="button"
            className="button"
            data-testid={`selftest-${level}`}
            disabled={running}
            onClick={() => void start(level)}
          >
            <span>{t(LEVEL_LABELS[level])}</span>
            <small className="tech-level-hint">{t(LEVEL_HINTS[level])}</small>
          </button>
        ))}
      </div>
      <ErrorMessage error={error} />
      {run ? (
        <div className="tech-run" data-testid="selftest-run" data-status={run.status}>
          <p className={`tech-run-status status-${run.status}`} data-testid="selftest-status">
            {t(LEVEL_LABELS[run.level])} · {t(RUN_LABELS[run.status])}
          </p>
          {prompt ? (
            <div className="tech-prompt" role="alert" data-testid="selftest-prompt" data-kind={prompt.kind}>
              <p className="tech-prompt-text">
                {prompt.kind === 'scan_test_barcode'
                  ? t('tech.prompt.scan_test_barcode', { code: prompt.testCode ?? '' })
                  : t(PROMPT_KINDS_WITHOUT_PARAMS[prompt.kind])}
              </p>
              <p className="tech-countdown" data-testid="selftest-countdown">
                {t('tech.prompt.seconds', { seconds: secondsLeft })}
              </p>
              <button
                type="button"
                className="button secondary"
                data-testid="selftest-skip"
                onClick={() =>
                  void act(() => client.call('selftest:step', { runId: run.id, action: 'skip' }))
                }
              >
                {t('tech.prompt.skip')}
              </button>
              {prompt.kind === 'scan_test_barcode' && simulated('scanner') ? (
                <button
                  type="button"
                  className="button secondary"
                  onClick={() => void simulate({ action: 'scan' })}
                >
                  {t('tech.sim.scan')}
                </button>
              ) : null}
              {prompt.kind === 'swipe_test_card' && simulated('card_reader') ? (
                <button
                  type="button"
                  className="button secondary"
                  onClick={() => void simulate({ action: 'swipe' })}
                >
                  {t('tech.sim.swipe')}
                </button>
              ) : null}
              {prompt.kind === 'close_drawer' && simulated('drawer') ? (
                <button
                  type="button"
                  className="button secondary"
                  onClick={() => void simulate({ action: 'drawer', open: false })}
                >
                  {t('tech.sim.drawerClose')}
                </button>
              ) : null}
            </div>
          ) : null}
          <ul className="tech-results">
            {run.devices.map((d) => {
              const name = DEVICE_NAMES[d.device];
              return (
                <li
                  key={d.device}
                  className={`tech-result result-${d.result}`}
                  data-testid={`result-${d.device}`}
                  data-result={d.result}
                >
                  <span className="tech-result-name">{name ? t(name) : d.device}</span>
                  <span className="tech-result-verdict">{t(STEP_LABELS[d.result])}</span>
                  <ol className="tech-steps">
                    {d.steps.map((s) => (
                      <li key={s.name} className={`result-${s.result}`}>
                        <span className="tech-step-name">{s.name}</span> {t(STEP_LABELS[s.result])}
                        {s.message ? <span className="tech-step-message"> — {s.message}</span> : null}
                      </li>
                    ))}
                  </ol>
                </li>
              );
            })}
          </ul>
          {running ? (
            <button
              type="button"
              className="button secondary"
              data-testid="selftest-cancel"
              onClick={() => void act(() => client.call('selftest:cancel', { runId: run.id }))}
            >
              {t('tech.cancel')}
            </button>
          ) : null}
        </div>
      ) : null}
      <SimulatorControls devices={devices} onSimulate={simulate} />
    </section>
  );
}

/** What a person would do at a simulated device: only offered for devices that are simulators. */
function SimulatorControls({
  devices,
  onSimulate,
}: {
  devices: readonly DeviceStatus[];
  onSimulate: (action: SimulateAction) => Promise<void>;
}) {
  const { t } = useI18n();
  const sim = (id: string) => devices.find((d) => d.id === id && d.simulated);
  const scanner = sim('scanner');
  const printer = sim('printer');
  const drawer = sim('drawer');
  if (!scanner && !printer && !sim('card_reader')) return null;
  return (
    <details className="tech-simulators" data-testid="tech-simulators">
      <summary>{t('tech.sim.title')}</summary>
      <div className="tech-sim-buttons">
        {scanner ? (
          <button
            type="button"
            className="button secondary"
            onClick={() =>
              void onSimulate({ action: scanner.state === 'online' ? 'unplug_scanner' : 'replug_scanner' })
            }
          >
            {t(scanner.state === 'online' ? 'tech.sim.unplug' : 'tech.sim.replug')}
          </button>
        ) : null}
        {sim('card_reader') ? (
          <button
            type="button"
            className="button secondary"
            onClick={() => void onSimulate({ action: 'swipe' })}
          >
            {t('tech.sim.swipe')}
          </button>
        ) : null}
        {drawer ? (
          <button
            type="button"
            className="button secondary"
            onClick={() => void onSimulate({ action: 'drawer', open: drawer.condition !== 'open' })}
          >
            {t(drawer.condition === 'open' ? 'tech.sim.drawerClose' : 'tech.sim.drawerOpen')}
          </button>
        ) : null}
        {printer ? (
          <label className="tech-sim-printer">
            {t('tech.sim.printerState')}
            <select
              data-testid="tech-sim-printer-state"
              onChange={(e) =>
                void onSimulate({
                  action: 'printer_state',
                  state: e.target.value as (typeof SIMULATED_PRINTER_STATES)[number],
                })
              }
              defaultValue="normal"
            >
              {SIMULATED_PRINTER_STATES.map((s) => (
                <option key={s} value={s}>
                  {t(`tech.sim.state.${s}`)}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
    </details>
  );
}
