import type { ReactNode } from 'react';
import { keepFocus } from '../components/KeyButton';
import { useVoicePrompts } from '../feedback/voice';
import { useI18n } from '../i18n/context';

/**
 * The customer display is a page of this renderer; the browser host opens it as a second tab or window. In
 * Electron (`window.countertop`) the shell opens it on the second screen itself and denies window.open, so
 * the button is not shown there.
 */
export const CUSTOMER_DISPLAY_HASH = '#/customer-display';

function openCustomerDisplay(): void {
  // Same origin and opened from here, so the new tab inherits this tab's session storage (the access token).
  window.open(CUSTOMER_DISPLAY_HASH, 'countertop-customer-display');
}

/** Back, the search (passed in), voice prompts on/off and the customer display. */
export function CheckoutToolbar({ onBack, children }: { onBack: () => void; children: ReactNode }) {
  const { t } = useI18n();
  const [voiceOn, setVoiceOn] = useVoicePrompts();
  return (
    <div className="checkout-toolbar">
      <button
        type="button"
        className="button secondary toolbar-back"
        data-testid="checkout-back"
        onMouseDown={keepFocus}
        onClick={onBack}
      >
        ← {t('checkout.back')} <kbd>Esc</kbd>
      </button>
      {children}
      <button
        type="button"
        className="button secondary toolbar-toggle"
        data-testid="voice-toggle"
        aria-pressed={voiceOn}
        title={t('checkout.voiceHint')}
        onMouseDown={keepFocus}
        onClick={() => setVoiceOn(!voiceOn)}
      >
        {voiceOn ? t('checkout.voiceOn') : t('checkout.voiceOff')}
      </button>
      {window.countertop ? null : (
        <button
          type="button"
          className="button secondary toolbar-toggle"
          data-testid="customer-display-button"
          title={t('checkout.customerDisplayHint')}
          onMouseDown={keepFocus}
          onClick={openCustomerDisplay}
        >
          {t('checkout.customerDisplay')}
        </button>
      )}
    </div>
  );
}
